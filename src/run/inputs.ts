/**
 * Input values: --var, then --var-file, then the environment variable, then the default, then
 * (only on a terminal) a prompt. Resolved before any request is sent; a missing one is a usage error.
 */
import { createInterface } from 'node:readline';
import type { InputDef } from '../notebook/types.js';
import { shortSecretMessage, tooShortToRedact } from './redact.js';

export class InputError extends Error {}

/** Ctrl-C at a prompt, or a signal while one was open: the run ends (exit 130), nothing sent. */
export class PromptInterrupted extends Error {}

export interface InputSources {
  env: NodeJS.ProcessEnv;
  overrides: Record<string, unknown>;
  /** Asks on the terminal; undefined when stdin is not a terminal. */
  ask?: (question: string, hidden: boolean) => Promise<string>;
}

export async function resolveInputs(file: string, inputs: InputDef[], sources: InputSources): Promise<Record<string, unknown>> {
  const values: Record<string, unknown> = {};
  for (const input of inputs) {
    if (Object.hasOwn(sources.overrides, input.name)) values[input.name] = sources.overrides[input.name];
    else if (input.env && sources.env[input.env] !== undefined && sources.env[input.env] !== '') values[input.name] = sources.env[input.env];
    else if (input.default !== undefined) values[input.name] = input.default;
    else if (sources.ask) values[input.name] = await sources.ask(input.prompt ?? `Value for ${input.name}: `, input.secret);
    else {
      const ways = [input.env ? `set ${input.env}` : undefined, `pass --var ${input.name}=…`, `put ${input.name}=… in a --var-file`, input.prompt ? 'run on a terminal to be asked' : undefined].filter(Boolean);
      throw new InputError(`${input.span.file || file}:${input.span.line}:${input.span.col}: input \`${input.name}\` has no value; ${ways.join(', or ')}`);
    }
    refuseShortSecret(file, input, values[input.name]);
  }
  return values;
}

/** A secret too short to redact is refused before any request (exit 2), never printed. */
function refuseShortSecret(file: string, input: InputDef, value: unknown): void {
  if (!input.secret || (typeof value !== 'string' && typeof value !== 'number') || !tooShortToRedact(String(value))) return;
  const what = `secret input \`${input.name}\``;
  throw new InputError(`${input.span.file || file}:${input.span.line}:${input.span.col}: ${shortSecretMessage(what, String(value))}; give its real value, or drop \`secret: true\` if it is not a secret`);
}

/**
 * A terminal prompt; typed characters are not echoed for secrets. readline puts the terminal in
 * raw mode, so Ctrl-C arrives here as a key, not as a signal: it rejects with PromptInterrupted,
 * as does `signal` (a SIGINT/SIGTERM sent from outside). Ctrl-D answers nothing: an InputError.
 */
export function terminalAsk(question: string, hidden: boolean, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new PromptInterrupted('interrupted at the prompt; nothing was sent'));
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      finish();
      rl.close();
    };
    const onAbort = () => settle(() => reject(new PromptInterrupted('interrupted at the prompt; nothing was sent')));
    signal?.addEventListener('abort', onAbort);
    rl.on('SIGINT', () => settle(() => reject(new PromptInterrupted(`Ctrl-C at the prompt "${question.trim()}": stopped; nothing was sent`))));
    rl.on('close', () => settle(() => reject(new InputError(`no answer at the prompt "${question.trim()}" (input closed)`))));
    if (hidden) {
      // readline echoes through _writeToOutput; print the question only, never the typed secret.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
        if (s.includes(question)) process.stderr.write(question);
      };
    }
    rl.question(question, (answer) => {
      settle(() => {
        if (hidden) process.stderr.write('\n');
        resolve(answer);
      });
    });
  });
}

/**
 * A value given with `--var` is in the process's argv: every local user can read it (`ps`,
 * /proc/PID/cmdline) for as long as the run lasts, and the shell keeps it in its history. One
 * warning per secret input so set (naming the input, never the value), with the ways that keep
 * it out of argv: a --var-file, or the input's environment variable.
 */
export function argvSecretWarnings(inputs: Iterable<InputDef>, argvNames: string[]): string[] {
  const given = new Set(argvNames);
  const warned = new Map<string, string>();
  for (const input of inputs) {
    if (!input.secret || !given.has(input.name) || warned.has(input.name)) continue;
    const env = input.env ? `, or the environment variable ${input.env}` : ` (or give it \`env:\` and set that variable)`;
    warned.set(input.name, `warning: --var ${input.name}=… sets secret input \`${input.name}\` on the command line, where other users of this machine can read it (ps, /proc) and your shell history keeps it; pass it with --var-file FILE${env} instead`);
  }
  return [...warned.values()];
}

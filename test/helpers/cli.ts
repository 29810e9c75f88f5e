/** Runs the built CLI (dist/, as users get it) as a child process and collects what it printed. */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'dist', 'cli', 'main.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Called once the process is running, e.g. to interrupt it. */
  onSpawn?: (child: ReturnType<typeof spawn>) => void;
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', CI: 'true', API_NOTEBOOK_MOCK_VALIDATE: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    options.onSpawn?.(child);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

export function tempDir(prefix = 'api-notebook-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `text` at `rel` inside `dir`, making the folders between. */
export function writeInto(dir: string, rel: string, text: string): string {
  const file = join(dir, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

export function readJson<T = any>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** onSpawn hook: once stdout shows `text` (a step has finished), send `signal` after `delayMs`. */
export function interruptAfter(text: string, signal: NodeJS.Signals = 'SIGINT', delayMs = 200): CliOptions['onSpawn'] {
  return (child) => {
    let sent = false;
    child.stdout?.on('data', (chunk: Buffer) => {
      if (!sent && chunk.toString().includes(text)) {
        sent = true;
        setTimeout(() => child.kill(signal), delayMs);
      }
    });
  };
}

/** Writes a notebook's text to `nb.yaml` in a new temp folder; returns its path. */
export function writeNotebook(text: string): string {
  const file = join(tempDir(), 'nb.yaml');
  writeFileSync(file, text);
  return file;
}

#!/usr/bin/env -S node --max-semi-space-size=4
// A small young generation keeps peak memory down (~20 MiB at 900 steps) at no cost in time:
// measured with npm run bench. `env -S` passes the flag; GNU coreutils and macOS support it.
/**
 * The `api-notebook` command. Exit codes: 0 every step passed, 1 a step failed or errored,
 * 2 invalid notebook or command line, 130 interrupted. Never a stack trace for bad input.
 *
 * The signal handlers go in before anything else is loaded: a Ctrl-C during start-up must end
 * the process with 130 like any other, never kill it. Everything else is imported after that, by
 * command (a dynamic import() each): `--version` and `help` load args.ts and no more, `validate` no
 * HTTP client, mock, reporters or live page (test/startup/lazy-load.test.ts). Node's compile cache is on first.
 */
import './compile-cache.js';
import './v8-settings.js';
import { Interrupts } from './interrupts.js';

const interrupts = new Interrupts(process.stderr).install();

type Io = import('./io.js').Io;

async function main(argv: string[], io: Io): Promise<number> {
  const { HELP, parseCommandLine } = await import('./args.js');
  const args = parseCommandLine(argv);
  switch (args.command) {
    case 'help':
      io.stdout.write((HELP[args.topic ?? 'main'] ?? HELP.main) + '\n');
      return 0;
    case 'version': {
      const { TOOL } = await import('./version.js');
      io.stdout.write(`${TOOL.name} ${TOOL.version}\n`);
      return 0;
    }
    case 'validate':
      return (await import('./validate-command.js')).validateCommand(args, io);
    case 'run':
      return (await import('./run-command.js')).runCommand(args, io, interrupts);
    case 'merge':
      return (await import('./merge-command.js')).mergeCommand(args, io);
    case 'coverage':
      return (await import('./coverage-command.js')).coverageCommand(args, io);
    case 'open': {
      // The page stops on Ctrl-C by itself: teardown of what was run, then exit 0.
      interrupts.uninstall();
      const { openCommand } = await import('./open-command.js');
      return openCommand(args, io);
    }
    case 'mock': {
      // The mock server stops on Ctrl-C by itself and exits 0.
      interrupts.uninstall();
      const { mockCommand } = await import('./mock-command.js');
      return mockCommand(args, io);
    }
    case 'import': {
      const { importCommand } = await import('./import-command.js');
      return importCommand(args, io);
    }
  }
}

const io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env, stdinIsTTY: process.stdin.isTTY === true };
main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = interrupts.interrupted ? 130 : code;
  },
  async (err: unknown) => {
    const { UsageError } = await import('./args.js');
    if (err instanceof UsageError) {
      // A usage error may quote what it was given (a file's text, a path): nothing in it may act on the terminal.
      const { terminalLines } = await import('../report/escape/terminal.js');
      io.stderr.write(`error: ${terminalLines(err.message)}\n`);
      process.exitCode = 2;
    } else {
      const { crashReport } = await import('./crash.js');
      io.stderr.write(crashReport(err));
      process.exitCode = 70;
    }
  },
).finally(() => {
  interrupts.dispose();
  // Everything is written by now (stdout and stderr are synchronous for files and pipes on Linux
  // and macOS). Should a stray handle (a connection attempt nobody can cancel) still hold the
  // event loop, the command must end anyway, not hang its CI job: unref'd, this never delays an exit.
  setTimeout(() => process.exit(), 2000).unref();
});

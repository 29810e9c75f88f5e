/**
 * The real bin spawned with test/helpers/usage-hook.mjs, which records the process's own CPU
 * time and peak memory: the broken-notebook corpus and the big-notebook tests hold every answer
 * to a budget of both.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, tempDir } from './cli.js';

const HOOK = join(ROOT, 'test', 'helpers', 'usage-hook.mjs');

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  cpuMs: number;
  maxRssKiB: number;
}

export interface UsageOptions {
  /** Node flags before the bin (e.g. the shebang's). */
  nodeFlags?: string[];
  cwd?: string;
  /** Killed after this long: a hang is a failure, not a stalled suite. */
  killAfterMs: number;
  /**
   * A run over this much CPU is run once more and the cheaper of the two kept. On a shared
   * 2-core CI machine, neighbours and the suite's own parallel files inflate a process's CPU time
   * by a third and more (a 1.5 s answer measured 2.1 s there); a real regression (work that grows
   * with the square of the file) is many times over and fails both runs.
   */
  cpuBudgetMs?: number;
}

export async function binWithUsage(args: string[], options: UsageOptions): Promise<Outcome> {
  const first = await spawnWithUsage(args, options);
  if (options.cpuBudgetMs === undefined || first.cpuMs < options.cpuBudgetMs || first.code === null) return first;
  const second = await spawnWithUsage(args, options);
  return second.cpuMs < first.cpuMs ? second : first;
}

function spawnWithUsage(args: string[], { nodeFlags = [], cwd, killAfterMs }: UsageOptions): Promise<Outcome> {
  const usageFile = join(tempDir('usage-'), 'usage.json');
  return new Promise((done) => {
    const child = spawn(process.execPath, [...nodeFlags, '--import', HOOK, BIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', CI: 'true', API_NOTEBOOK_USAGE_FILE: usageFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('close', (code) => {
      clearTimeout(killer);
      const usage = existsSync(usageFile) ? JSON.parse(readFileSync(usageFile, 'utf8')) : { cpuMs: Infinity, maxRssKiB: Infinity };
      rmSync(join(usageFile, '..'), { recursive: true, force: true });
      done({ code, stdout, stderr, ...usage });
    });
  });
}

/**
 * The compile cache (src/cache/), cold vs warm, through the real bin: `validate` and `run` of the
 * flagship notebooks (against the embedded mock) and of a 900-step notebook with 600 inline
 * schemas, each written out in block style, 60 different ones. Prints medians of 3; asserts nothing.
 *   node --import tsx bench/cache.bench.ts
 * "no build" also hides dist/compiled/ (the shipped schemas compiled at build time) for the run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'dist', 'cli', 'main.js');
const BUILT = join(ROOT, 'dist', 'compiled');
const work = mkdtempSync(join(tmpdir(), 'api-notebook-cache-bench-'));

function manyInline(): string {
  const lines = ['title: many inline schemas', 'mock: stripe', 'auth:', '  basic: { username: sk_test_api_notebook_mock, password: "" }', 'steps:'];
  for (let i = 0; i < 900; i++) {
    lines.push(`  - name: step ${i}`, '    request: GET /v1/customers?limit=1', '    expect:', '      status: 200');
    if (i < 600) lines.push('      schema:', '        type: object', `        required: [object, data]`, '        properties:', '          object:', `            const: list`, '          data:', '            type: array', `            maxItems: ${100 + (i % 60)}`);
  }
  return lines.join('\n') + '\n';
}
const inline = join(work, 'inline.yaml');
writeFileSync(inline, manyInline());

function seconds(args: string[], cacheDir: string): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, ...args, '--cache-dir', cacheDir], { cwd: ROOT, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'ignore', 'pipe'] });
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.status !== 0) throw new Error(`${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return s;
}

const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function measure(label: string, args: string[], noBuild: boolean): void {
  const cold: number[] = [];
  const warm: number[] = [];
  if (noBuild) renameSync(BUILT, BUILT + '.hidden');
  try {
    for (let i = 0; i < 3; i++) {
      const dir = join(work, `cache-${Math.random().toString(36).slice(2)}`);
      mkdirSync(dir, { mode: 0o700 });
      cold.push(seconds(args, dir));
      warm.push(seconds(args, dir));
    }
  } finally {
    if (noBuild) renameSync(BUILT + '.hidden', BUILT);
  }
  console.log(`${label.padEnd(44)} cold ${median(cold).toFixed(2)} s   warm ${median(warm).toFixed(2)} s`);
}

const out = join(work, 'reports');
const cases: Array<[string, string[]]> = [
  ['validate notebooks/ (flagship)', ['validate', 'notebooks']],
  ['run notebooks/ (flagship, mock)', ['run', 'notebooks', '--out', out, '-q']],
  ['validate 900 steps, 600 inline schemas', ['validate', inline]],
  ['run 900 steps, 600 inline schemas (mock)', ['run', inline, '--out', out, '-q']],
];
try {
  for (const [label, args] of cases) {
    measure(label, args, false);
    measure(`${label}, no build`, args, true);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

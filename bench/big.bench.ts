/**
 * npm run bench, big notebooks (issue 23 §4), run after runner.bench.ts with its helpers:
 *
 * 1. A 900-step notebook in block style with each step's schema written inline (~400 KiB,
 *    test/helpers/big-notebooks.ts) against the bench's item server, beside the raw undici+ajv
 *    loop (bench/raw-loop.mjs) in the same run: start-up (wall time of a 3-step run), per step
 *    ((900-step run − 3-step run) / 897, as runner.bench.ts counts), peak RSS; medians of
 *    BENCH_RUNS rounds, and the ratio as the median of each round's pair (a slow spell of the
 *    machine slows both sides of a pair).
 * 2. 90,000 steps as 9 notebooks of 10,000 in one run with every reporter on, in that style
 *    (~4.5 MB each) and with schemas by name (~1.3 MB each): wall, peak RSS (target ≤ 200 MiB),
 *    report sizes.
 *
 * Prints figures, asserts nothing. BENCH_ONLY=notebooks runs this part alone;
 * BENCH_BIG_NOTEBOOKS=0 skips it; BENCH_BIG_NOTEBOOK_STEPS changes the 10,000 per notebook.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { blockNotebook, flowNotebook, NAMED_SCHEMAS } from '../test/helpers/big-notebooks.js';

interface Measured {
  ms: number;
  rssKiB: number;
  cpuMs: number;
  code: number | null;
}

/** What runner.bench.ts lends: its measuring child runner, its server, its median, the CLI's node flags. */
export interface BenchHelpers {
  bin: string;
  timed(cmd: string, args: string[]): Promise<Measured>;
  startServer(): Promise<{ url: string; child: ChildProcess }>;
  median(xs: number[]): number;
  cliNodeFlags: string[];
}

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

export async function bigNotebooksBench(h: BenchHelpers): Promise<void> {
  if (process.env.BENCH_BIG_NOTEBOOKS === '0') return;
  if (process.env.BENCH_ONLY && process.env.BENCH_ONLY !== 'notebooks') return;
  const dir = mkdtempSync(join(tmpdir(), 'api-notebook-bench-big-'));
  await perStep(h, dir);
  await ninetyThousand(h, dir);
}

async function perStep(h: BenchHelpers, dir: string): Promise<void> {
  const big = blockNotebook(900);
  writeFileSync(join(dir, 'block-900.yaml'), big);
  writeFileSync(join(dir, 'block-3.yaml'), blockNotebook(3));
  const server = await h.startServer();
  const out = join(dir, 'reports');
  const ours = (file: string) => h.timed(h.bin, ['run', join(dir, file), '--base-url', server.url, '--out', out, '--reporter', 'json', '--quiet']);
  const raw = (rounds: number) => h.timed(process.execPath, [...h.cliNodeFlags, join(ROOT, 'bench', 'raw-loop.mjs'), server.url, String(rounds)]);
  const rounds: Array<{ one: Measured; big: Measured; rawOne: Measured; rawBig: Measured }> = [];
  await ours('block-3.yaml'); // warm the file cache
  for (let i = 0; i < RUNS; i++) {
    const round = { one: await ours('block-3.yaml'), big: await ours('block-900.yaml'), rawOne: await raw(1), rawBig: await raw(300) };
    if ([round.one, round.big, round.rawOne, round.rawBig].some((r) => r.code !== 0)) throw new Error('a big-notebook benchmark run failed');
    rounds.push(round);
  }
  server.child.kill();
  const m = h.median;
  // As runner.bench.ts: the fixed cost subtracted is the median of all short runs (start-up is noisy).
  const fixed = m(rounds.map((r) => r.one.ms));
  const rawFixed = m(rounds.map((r) => r.rawOne.ms));
  const step = (r: (typeof rounds)[number]) => (r.big.ms - fixed) / 897;
  const rawStep = (r: (typeof rounds)[number]) => (r.rawBig.ms - rawFixed) / 897;
  const cpuStep = m(rounds.map((r) => (r.big.cpuMs - m(rounds.map((x) => x.one.cpuMs))) / 897));
  const rawCpuStep = m(rounds.map((r) => (r.rawBig.cpuMs - m(rounds.map((x) => x.rawOne.cpuMs))) / 897));
  const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
  console.log(`\nBig notebook: 900 steps in block style, each schema inline (${(big.length / 1024).toFixed(0)} KiB), json reporter, median of ${RUNS} rounds`);
  console.log(`${''.padEnd(28)} ${'start-up'.padStart(10)} ${'per step'.padStart(12)} ${'900 steps'.padStart(10)} ${'peak RSS'.padStart(10)}`);
  console.log(`${'api-notebook'.padEnd(28)} ${(fixed / 1000).toFixed(3).padStart(8)} s ${m(rounds.map(step)).toFixed(3).padStart(9)} ms ${(m(rounds.map((r) => r.big.ms)) / 1000).toFixed(2).padStart(8)} s ${mib(m(rounds.map((r) => r.big.rssKiB))).padStart(10)}`);
  console.log(`${'raw undici + ajv loop'.padEnd(28)} ${(rawFixed / 1000).toFixed(3).padStart(8)} s ${m(rounds.map(rawStep)).toFixed(3).padStart(9)} ms ${(m(rounds.map((r) => r.rawBig.ms)) / 1000).toFixed(2).padStart(8)} s ${mib(m(rounds.map((r) => r.rawBig.rssKiB))).padStart(10)}`);
  const ratios = rounds.map((r) => step(r) / rawStep(r));
  console.log(`  ratios: per step ${m(ratios).toFixed(2)}× (rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}), start-up ${(fixed / rawFixed).toFixed(2)}×, peak ${(m(rounds.map((r) => r.big.rssKiB)) / m(rounds.map((r) => r.rawBig.rssKiB))).toFixed(2)}×; CPU per step ${cpuStep.toFixed(3)} ms against ${rawCpuStep.toFixed(3)} ms (${(cpuStep / rawCpuStep).toFixed(2)}×)`);
}

/**
 * Twice: in block style with each schema inline (each of the 90,000 compiled on its own until
 * identical schemas are compiled once), and one line per key with the schemas by name, which
 * separates what the schemas cost from what 9 loaded notebooks and 90,000 results cost.
 */
async function ninetyThousand(h: BenchHelpers, dir: string): Promise<void> {
  const per = Number(process.env.BENCH_BIG_NOTEBOOK_STEPS ?? 10_000);
  const server = await h.startServer();
  console.log(`\n${(9 * per).toLocaleString('en')} steps as 9 notebooks of ${per.toLocaleString('en')}, one run, every reporter on (target: peak ≤ 200 MiB):`);
  for (const [style, text] of [['block style, schemas inline', blockNotebook(per)], ['one line per key, schemas by name', flowNotebook(per)]] as const) {
    const suite = join(dir, `nine-${style.split(' ')[0]}`);
    mkdirSync(join(suite, 'schemas'), { recursive: true });
    for (const [file, schema] of Object.entries(NAMED_SCHEMAS)) writeFileSync(join(suite, 'schemas', file), JSON.stringify(schema));
    for (let n = 1; n <= 9; n++) writeFileSync(join(suite, `part-${n}.yaml`), text.replace(/^title: .*/, `title: Part ${n}`));
    const out = join(suite, 'reports');
    const r = await h.timed(h.bin, ['run', suite, '--base-url', server.url, '--out', out, '--reporter', 'console,json,junit,html,markdown']);
    const sizes = readdirSync(out).filter((f) => /^report\.|junit\.xml$/.test(f)).map((f) => `${f} ${(statSync(join(out, f)).size / 1e6).toFixed(1)} MB`).join(', ');
    console.log(`  ${style} (${(text.length / 1e6).toFixed(1)} MB each): exit ${r.code}, wall ${(r.ms / 1000).toFixed(1)} s, CPU ${(r.cpuMs / 1000).toFixed(1)} s, peak RSS ${(r.rssKiB / 1024).toFixed(0)} MiB; ${sizes}`);
  }
  server.child.kill();
}

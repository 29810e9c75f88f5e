/**
 * Start-up figures of issue 21, each beside its goal: `--version` against `node -e 0`, `validate` of
 * the flagship, `npm start`'s command (3 notebooks against the embedded mock), and a one-round run
 * against the raw undici+ajv loop (bench/raw-loop.mjs). Each measured side runs beside its floor,
 * alternating which goes first; figures are medians of BENCH_RUNS (7) pairs. Prints, asserts nothing.
 * Called at the end of `npm run bench` (skipped when BENCH_ONLY is set), or alone:
 * `node --import tsx bench/startup.bench.ts`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = process.env.API_NOTEBOOK_BIN ? resolve(process.env.API_NOTEBOOK_BIN) : join(ROOT, 'dist', 'cli', 'main.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const FLAGSHIP = join(ROOT, 'notebooks', 'stripe', 'accounts-customers-plans-coupons.yaml');

function wall(cmd: string, args: string[]): Promise<number> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done(performance.now() - t0) : fail(new Error(`${cmd} ${args.join(' ')}: exit ${code}\n${err}`))));
  });
}

/**
 * The CLI on the Node running the bench, with its shebang's flags. Started as `BIN` its shebang
 * (`env -S node …`) finds the first `node` on PATH: the figures printed for Node 24 were Node 20's.
 */
const cli = (args: string[]) => wall(process.execPath, ['--max-semi-space-size=4', BIN, ...args]);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** RUNS pairs of (measured, floor), alternating which runs first: medians of each side, and of each pair's ratio. */
async function paired(measured: () => Promise<number>, floor: () => Promise<number>) {
  const a: number[] = [];
  const b: number[] = [];
  const ratios: number[] = [];
  await measured(); // once to warm the OS's file cache and Node's compile cache, as a second run of a user's finds them
  for (let i = 0; i < RUNS; i++) {
    const [x, y] = i % 2 ? [await floor(), await measured()].reverse() : [await measured(), await floor()];
    a.push(x!);
    b.push(y!);
    ratios.push(x! / y!);
  }
  return { measured: median(a), floor: median(b), ratio: median(ratios), diff: median(a.map((x, i) => x - b[i]!)) };
}

async function series(measured: () => Promise<number>) {
  await measured();
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) xs.push(await measured());
  return median(xs);
}

const s = (ms: number) => `${(ms / 1000).toFixed(3)} s`;

export async function startupBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'api-notebook-startup-'));
  console.log(`\nStart-up (issue 21), ${process.version}, medians of ${RUNS}, ${BIN === join(ROOT, 'dist', 'cli', 'main.js') ? 'dist/cli/main.js' : BIN}:`);

  const version = await paired(() => cli(['--version']), () => wall(process.execPath, ['-e', '0']));
  console.log(`  --version ${s(version.measured)} vs node -e 0 ${s(version.floor)}: +${s(version.diff)} (goal: within 0.05 s)`);

  const validate = await series(() => cli(['validate', FLAGSHIP]));
  console.log(`  validate of the flagship ${s(validate)} (goal: <= 0.30 s)`);

  // `npm start`'s command (package.json), with the reports written to a temp folder.
  const start = await series(() => cli(['run', 'notebooks', '--out', join(dir, 'start'), '--quiet']));
  console.log(`  npm start (run notebooks: 3 notebooks, 91 steps against the embedded mock) ${s(start)} wall (goal: <= 0.8 s)`);

  const { url, stop } = await itemServer();
  try {
    mkdirSync(join(dir, 'schemas'));
    writeFileSync(join(dir, 'schemas', 'item.json'), JSON.stringify({ type: 'object', required: ['id', 'object', 'name', 'created'], properties: { id: { type: 'string' }, object: { const: 'item' }, name: { type: 'string' }, created: { type: 'integer' } } }));
    writeFileSync(join(dir, 'schemas', 'deleted.json'), JSON.stringify({ type: 'object', required: ['id', 'deleted'], properties: { deleted: { const: true } } }));
    writeFileSync(join(dir, 'round.yaml'), ['title: One round', 'steps:',
      '  - name: Create', '    request: { method: POST, path: /items, form: { name: item0 } }', '    expect: { status: 200, schema: item }', '    capture: { id: body.id }',
      '  - name: Get', '    request: GET /items/${id}', '    expect: { status: 200, schema: item }',
      '  - name: Delete', '    request: DELETE /items/${id}', '    expect: { status: 200, schema: deleted }', ''].join('\n'));
    const round = await paired(
      () => cli(['run', join(dir, 'round.yaml'), '--base-url', url, '--out', join(dir, 'round'), '--reporter', 'json', '--quiet']),
      () => wall(process.execPath, ['--max-semi-space-size=4', join(ROOT, 'bench', 'raw-loop.mjs'), url, '1']),
    );
    console.log(`  one-round run ${s(round.measured)} vs raw undici+ajv loop ${s(round.floor)}: ${round.ratio.toFixed(2)}× (goal: <= 1.1×)`);
  } finally {
    stop();
  }
}

async function itemServer(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [join(ROOT, 'bench', 'item-server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, DELAY_MS: '0' } });
  const port = await new Promise<string>((r) => child.stdout.once('data', (c) => r(String(c).trim())));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  startupBench().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}

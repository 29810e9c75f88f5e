/**
 * npm run bench: the runner's hot path and start-up, measured against a raw undici+ajv loop
 * doing the same requests in the same run. A generated notebook of 900 steps (300 rounds of
 * create / get / delete, each with a status and a schema check and a capture) runs against a
 * local server in its own process. Prints figures; asserts nothing (a benchmark, not a test).
 * Per step is the difference between that notebook and a one-round one (the median of those
 * runs: start-up is noisy), over 897 steps, for api-notebook and the raw loop alike; medians of
 * BENCH_RUNS (7) rounds, with the lowest and
 * highest round printed to show the noise. Each variant runs beside a run of the raw loop, and a
 * ratio is the median of those pairs' ratios (a slow spell of the machine slows both sides).
 *
 * Then, at scale (issue 10): the per-step cost with every default reporter beside json-only,
 * against the raw loop (target ≤ 1.5×); 90,000 steps with the default reporters (wall, peak
 * RSS, report sizes; target < 200 MB, report.html < 25 MB; report.json must parse and junit.xml
 * validate); and 40 notebooks × 20 steps against a server answering after 20 ms, --jobs 1 vs
 * --jobs 8 (target ≥ 5×).
 *
 * Targets (issue 2, this 2-core machine): ≤ 0.6 ms per step, ≤ 0.5 s start-up, ≤ 130 MiB peak.
 * API_NOTEBOOK_BIN=<path to dist/cli/main.js> measures another build (e.g. an older one);
 * BENCH_SCALE=0 skips the scale section, BENCH_ONLY=big|jobs runs one scale figure alone,
 * BENCH_BIG_STEPS changes the 90,000. Then big notebooks (bench/big.bench.ts; BENCH_ONLY=notebooks
 * runs them alone, BENCH_BIG_NOTEBOOKS=0 skips them).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bigNotebooksBench } from './big.bench.js';
import { redactionCost } from './redaction.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = process.env.API_NOTEBOOK_BIN ? resolve(process.env.API_NOTEBOOK_BIN) : join(ROOT, 'dist', 'cli', 'main.js');
const HOOK = join(ROOT, 'bench', 'rss-hook.mjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const ROUNDS = 300;

/** Secret inputs with characters every encoding changes, for the redaction's cost (see SECRET_INPUTS). */
const SECRETS: Record<string, string> = {
  BENCH_KEY: 'sk_test_4eC39HqLyjWDarjtT1zdp7dc',
  BENCH_PASSWORD: `p!'()* "\\q+&<>%ü🔑`,
  BENCH_TOKEN: 'tok/+=abcdefghijklmnopqrstuvwxyz0123456789',
};
const SECRET_INPUTS = ['inputs:', ...Object.keys(SECRETS).map((env) => `  ${env.toLowerCase()}: { env: ${env}, secret: true }`), 'auth:', '  bearer: "${bench_key}"'];

function notebook(rounds: number, withSecrets = false, top: string[] = []): string {
  const lines = [
    'title: Benchmark',
    ...(withSecrets ? SECRET_INPUTS : []),
    ...top,
    'steps:',
  ];
  for (let i = 0; i < rounds; i++) {
    lines.push(
      `  - name: Create ${i}`,
      `    request: { method: POST, path: /items, form: { name: item${i} } }`,
      `    expect: { status: 200, schema: item }`,
      `    capture: { id${i}: body.id }`,
      `  - name: Get ${i}`,
      `    request: GET /items/\${id${i}}`,
      `    expect: { status: 200, schema: item }`,
      `    capture: { name${i}: body.name }`,
      `  - name: Delete ${i}`,
      `    request: DELETE /items/\${id${i}}`,
      `    expect: { status: 200, schema: deleted }`,
      `    capture: { gone${i}: body.deleted }`,
    );
  }
  return lines.join('\n') + '\n';
}

interface Measured {
  ms: number;
  rssKiB: number;
  cpuMs: number;
  code: number | null;
}

function timed(cmd: string, args: string[]): Promise<Measured> {
  return new Promise((done) => {
    const t0 = performance.now();
    // The hook reports peak memory; passed in NODE_OPTIONS so the bin runs as users run it.
    const env = { ...process.env, NO_COLOR: '1', NODE_OPTIONS: `--import=${HOOK}` };
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let err = '';
    child.stderr!.on('data', (c) => (err += c));
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      const rss = /BENCH_MAX_RSS_KIB=(\d+)/.exec(err);
      if (code !== 0) process.stderr.write(err);
      const cpu = /BENCH_CPU_US=(\d+)/.exec(err);
      done({ ms, rssKiB: rss ? Number(rss[1]) : NaN, cpuMs: cpu ? Number(cpu[1]) / 1000 : NaN, code });
    });
  });
}

/**
 * What each request's deadline costs: the client arms one setTimeout when it sends and clears it
 * at the last byte (src/http/exchange.ts), plus one abort listener for the interrupt signal.
 * Measured in this process, per request, in microseconds.
 */
function deadlineCostUs(): number {
  const interrupt = new AbortController().signal;
  const noop = () => {};
  const n = 200_000;
  const once = () => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const timer = setTimeout(noop, 30_000);
      interrupt.addEventListener('abort', noop);
      interrupt.removeEventListener('abort', noop);
      clearTimeout(timer);
    }
    return ((performance.now() - t0) * 1000) / n;
  };
  once(); // warm up
  return median([once(), once(), once(), once(), once()]);
}

/** The bench server's API as an OpenAPI 3.1 description: the `--openapi` row checks every response against it. */
const ITEM = { type: 'object', required: ['id', 'object', 'name', 'created'], properties: { id: { type: 'string' }, object: { const: 'item' }, name: { type: 'string' }, created: { type: 'integer' } } };
const ok = (schema: object) => ({ 200: { description: 'ok', content: { 'application/json': { schema } } }, 404: { description: 'no such item', content: { 'application/json': { schema: { type: 'object' } } } } });
const ITEMS_OPENAPI = {
  openapi: '3.1.0',
  info: { title: 'items', version: '1' },
  paths: {
    '/items': { post: { responses: ok({ $ref: '#/components/schemas/item' }) } },
    '/items/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      get: { responses: ok({ $ref: '#/components/schemas/item' }) },
      delete: { responses: ok({ type: 'object', required: ['id', 'deleted'], properties: { deleted: { const: true } } }) },
    },
  },
  components: { schemas: { item: ITEM } },
};

/**
 * The node flags the CLI runs with (the shebang of src/cli/main.ts, src/cli/v8-settings.ts). The
 * raw loop runs with them too, so the ratio compares the code and not V8's settings: with node's
 * defaults, V8 recompiles undici's HTTP parser with TurboFan after a few responses, and a process
 * cannot exit before that compile ends (~0.1 s), which a one-round run pays and a 300-round run
 * hides, so the subtraction would credit every step with -0.1 ms. The row "with node's defaults"
 * shows the raw loop as node runs it by default.
 */
const CLI_NODE_FLAGS = ['--max-semi-space-size=4', '--liftoff-only'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function startServer(delayMs = 0, extraEnv: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(ROOT, 'bench', 'item-server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, DELAY_MS: String(delayMs), ...extraEnv } });
  const port = await new Promise<string>((r) => child.stdout!.once('data', (c) => r(String(c).trim())));
  return { url: `http://127.0.0.1:${port}`, child };
}

async function main() {
  // BENCH_ONLY=big or BENCH_ONLY=jobs runs one scale figure alone.
  if (process.env.BENCH_ONLY === 'notebooks') return; // bench/big.bench.ts alone
  if (process.env.BENCH_ONLY) {
    const dir = mkdtempSync(join(tmpdir(), 'api-notebook-bench-'));
    writeSchemas(dir);
    if (process.env.BENCH_ONLY === 'big') await bigRun(dir);
    else await jobsRun(dir);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'api-notebook-bench-'));
  writeSchemas(dir);
  writeFileSync(join(dir, 'items.openapi.json'), JSON.stringify(ITEMS_OPENAPI));
  writeFileSync(join(dir, 'big.yaml'), notebook(ROUNDS));
  writeFileSync(join(dir, 'one.yaml'), notebook(1).split('\n').slice(0, 6).join('\n') + '\n');
  writeFileSync(join(dir, 'round.yaml'), notebook(1));
  writeFileSync(join(dir, 'secret-big.yaml'), notebook(ROUNDS, true));
  writeFileSync(join(dir, 'secret-one.yaml'), notebook(1, true).split('\n').slice(0, 6 + SECRET_INPUTS.length).join('\n') + '\n');
  writeFileSync(join(dir, 'secret-round.yaml'), notebook(1, true));
  // The cookie jar (issue 19): the same notebook against a server whose every response sets two
  // cookies, with the jar on (the default: each is stored and sent back) and with cookies: false.
  const JAR_OFF = ['defaults: { cookies: false }'];
  for (const [prefix, top] of [['jar-on', []], ['jar-off', JAR_OFF]] as const) {
    writeFileSync(join(dir, `${prefix}-big.yaml`), notebook(ROUNDS, false, [...top]));
    writeFileSync(join(dir, `${prefix}-one.yaml`), notebook(1, false, [...top]).split('\n').slice(0, 6 + top.length).join('\n') + '\n');
    writeFileSync(join(dir, `${prefix}-round.yaml`), notebook(1, false, [...top]));
  }
  Object.assign(process.env, SECRETS);
  const server = await startServer();
  const cookieServer = await startServer(0, { SET_COOKIE: '1' });
  const out = join(dir, 'reports');
  // The bin itself (its shebang sets node's flags), as `npx api-notebook` runs it.
  const cli = (file: string) => timed(BIN, ['run', join(dir, file), '--base-url', server.url, '--out', out, '--reporter', 'json', '--quiet']);
  const withOpenApi = (file: string) => timed(BIN, ['run', join(dir, file), '--base-url', server.url, '--out', out, '--reporter', 'json', '--quiet', '--openapi', join(dir, 'items.openapi.json')]);
  // Every default reporter (console, json, junit, html, markdown), console output as a user sees it.
  const cliAll = (file: string) => timed(BIN, ['run', join(dir, file), '--base-url', server.url, '--out', out]);
  const validate = (file: string) => timed(BIN, ['validate', join(dir, file)]);
  const withCookies = (file: string) => timed(BIN, ['run', join(dir, file), '--base-url', cookieServer.url, '--out', out, '--reporter', 'json', '--quiet']);
  const raw = (rounds: number, flags = CLI_NODE_FLAGS) => timed(process.execPath, [...flags, join(ROOT, 'bench', 'raw-loop.mjs'), server.url, String(rounds)]);

  // Each variant runs three notebooks per round: one step (its start-up), one round of
  // create/get/delete (the same schemas and shape as the big one) and 300 rounds. Per step is
  // (300 rounds − 1 round) / 897 steps, so fixed costs (start-up, compiling the two schemas)
  // are not charged to steps, as the raw loop's 1 round carries them too.
  // This machine's speed drifts by a third from one second to the next (a shared VM), so each
  // variant is paired with a run of the raw loop right beside it (before it in one round, after
  // it in the next): the ratio is the median over rounds of each pair's ratio, and a slow spell
  // slows both sides of a pair. Per-step figures are medians over rounds.
  const variants = {
    json: cli,
    all: cliAll,
    openapi: withOpenApi,
    secrets: (f: string) => cli(`secret-${f}`),
    jarOn: (f: string) => withCookies(`jar-on-${f}`),
    jarOff: (f: string) => withCookies(`jar-off-${f}`),
    load: validate,
  };
  type Name = keyof typeof variants | 'raw' | 'rawDefaults';
  type Triple = { one: Measured; round: Measured; big: Measured };
  const runs = new Map<Name, Triple[]>();
  const pairs = new Map<Name, Array<{ ours: Triple; raw: Triple }>>();
  const record = (name: Name, triple: Triple) => {
    if ([triple.one, triple.round, triple.big].some((r) => r.code !== 0)) throw new Error(`a benchmark run failed (${name})`);
    runs.set(name, [...(runs.get(name) ?? []), triple]);
    return triple;
  };
  /** The raw loop's short and long runs (one round is also its start-up), under the CLI's flags or others. */
  const rawTriple = async (name: 'raw' | 'rawDefaults' = 'raw', flags = CLI_NODE_FLAGS): Promise<Triple> => {
    const round = await raw(1, flags);
    return record(name, { one: round, round, big: await raw(ROUNDS, flags) });
  };
  await cli('one.yaml'); // warm the file cache
  for (let i = 0; i < RUNS; i++) {
    // For reference, not for the ratios: the raw loop under node's own defaults.
    await rawTriple('rawDefaults', []);
    for (const [name, run] of Object.entries(variants) as Array<[Name, (f: string) => Promise<Measured>]>) {
      const before = i % 2 === 0 ? await rawTriple() : undefined;
      const ours = record(name, { one: await run('one.yaml'), round: await run('round.yaml'), big: await run('big.yaml') });
      pairs.set(name, [...(pairs.get(name) ?? []), { ours, raw: before ?? (await rawTriple()) }]);
    }
  }
  server.child.kill();
  cookieServer.child.kill();
  const steps = ROUNDS * 3;
  // A process's start-up varies by ±80 ms here, so the fixed cost subtracted from each 900-step
  // run is the median of all of that variant's one-round runs, not the one beside it: a single
  // slow start would otherwise move that round's per-step figure by ±0.1 ms.
  type Key = 'ms' | 'cpuMs';
  const fixedCost = (name: Name, key: Key) => median(runs.get(name)!.map((r) => r.round[key]));
  const stepsOf = (name: Name, r: Triple, key: Key = 'ms') => (r.big[key] - fixedCost(name, key)) / (steps - 3);
  const perStep = (name: Name, key: Key = 'ms') => median(runs.get(name)!.map((r) => stepsOf(name, r, key)));
  const ratio = (name: Name, key: Key = 'ms') => median(pairs.get(name)!.map((p) => stepsOf(name, p.ours, key) / stepsOf('raw', p.raw, key)));
  // The spread of per-step figures over rounds: how noisy the machine was during this run.
  const spread = (name: Name) => {
    const xs = runs.get(name)!.map((r) => stepsOf(name, r));
    return `${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)}`;
  };
  const row = (label: string, name: Name) => {
    const r = runs.get(name)!;
    return `${label.padEnd(28)} ${(median(r.map((x) => x.one.ms)) / 1000).toFixed(3).padStart(8)} s ${perStep(name).toFixed(3).padStart(9)} ms ${(median(r.map((x) => x.big.ms)) / 1000).toFixed(2).padStart(8)} s ${(median(r.map((x) => x.big.rssKiB)) / 1024).toFixed(0).padStart(8)} MiB ${pairs.has(name) ? `${ratio(name).toFixed(2).padStart(6)}×` : '       '}  ${spread(name)}`;
  };
  console.log(`Runner benchmark: ${steps} steps (${ROUNDS} rounds of create/get/delete, status + schema + capture each), median of ${RUNS} rounds`);
  console.log(`${''.padEnd(28)} ${'start-up'.padStart(10)} ${'per step'.padStart(12)} ${'900 steps'.padStart(10)} ${'peak RSS'.padStart(12)} ${'vs raw'.padStart(8)}  per step, lowest–highest round`);
  console.log(row('api-notebook, json only', 'json'));
  console.log(row('api-notebook, all reporters', 'all'));
  console.log(row('  … json only, --openapi', 'openapi'));
  console.log(row('  … json only, 3 secrets', 'secrets'));
  console.log(row('  … cookies set, jar on', 'jarOn'));
  console.log(row('  … cookies set, cookies: false', 'jarOff'));
  console.log(row('raw undici + ajv loop', 'raw'));
  console.log(row('  … with node\'s defaults', 'rawDefaults'));
  const ratios = (name: Name) => pairs.get(name)!.map((p) => stepsOf(name, p.ours) / stepsOf('raw', p.raw));
  const range = (name: Name) => `${Math.min(...ratios(name)).toFixed(2)}–${Math.max(...ratios(name)).toFixed(2)}`;
  console.log(`Per step against the raw loop: json only ${ratio('json').toFixed(2)}×, all default reporters ${ratio('all').toFixed(2)}× (target ≤ 1.5×)`);
  console.log(`  (medians of ${RUNS} pairs of rounds; lowest–highest pair: json only ${range('json')}, all default reporters ${range('all')})`);
  // CPU time of the measured process (the server is another process): the work itself, without the waiting.
  console.log(`CPU per step: json only ${perStep('json', 'cpuMs').toFixed(3)} ms (${ratio('json', 'cpuMs').toFixed(2)}×), all default reporters ${perStep('all', 'cpuMs').toFixed(3)} ms (${ratio('all', 'cpuMs').toFixed(2)}×), raw loop ${perStep('raw', 'cpuMs').toFixed(3)} ms`);
  const redaction = redactionCost(Object.values(SECRETS));
  console.log(`Redacting 3 secrets (in every form): ${(perStep('secrets') - perStep('json')).toFixed(3)} ms per step by wall clock;` +
    ` in-process ${redaction.microsPerResult.toFixed(1)} µs per step result (${redaction.microsPerResultClean.toFixed(1)} µs when it holds no secret).`);
  console.log(`Cookie jar (every response sets 2 cookies; the jar stores them and sends them back): ${perStep('jarOn').toFixed(3)} ms per step with the jar on, ${perStep('jarOff').toFixed(3)} ms with cookies: false` +
    ` (${(perStep('jarOn') - perStep('jarOff')).toFixed(3)} ms; CPU ${(perStep('jarOn', 'cpuMs') - perStep('jarOff', 'cpuMs')).toFixed(3)} ms).`);
  const load = perStep('load');
  console.log(`Of api-notebook's per-step cost, ${load.toFixed(3)} ms is loading the notebook (YAML with positions, checks, compiling; from validate),`);
  console.log(`and ${(perStep('json') - load).toFixed(3)} ms is running the step (request, checks, capture, report).`);
  const deadline = deadlineCostUs();
  console.log(`Each request's deadline (one setTimeout + clearTimeout, one abort listener): ${deadline.toFixed(2)} µs per request, ${((deadline / 1000 / perStep('json')) * 100).toFixed(1)}% of a step.`);
  console.log('Targets: start-up ≤ 0.5 s, per step ≤ 0.6 ms, peak ≤ 130 MiB (start-up = wall time of a 1-step run).');
  if (process.env.BENCH_SCALE !== '0') {
    await bigRun(dir);
    await jobsRun(dir);
  }
}

function writeSchemas(dir: string) {
  const schemas = join(dir, 'schemas');
  mkdirSync(schemas);
  writeFileSync(join(schemas, 'item.json'), JSON.stringify({ type: 'object', required: ['id', 'object', 'name', 'created'], properties: { id: { type: 'string' }, object: { const: 'item' }, name: { type: 'string' }, created: { type: 'integer' } } }));
  writeFileSync(join(schemas, 'deleted.json'), JSON.stringify({ type: 'object', required: ['id', 'deleted'], properties: { deleted: { const: true } } }));
}

/** 90,000 steps, every default reporter: a create, then one GET with a schema check per forEach item. */
async function bigRun(dir: string) {
  const steps = Number(process.env.BENCH_BIG_STEPS ?? 90_000);
  writeFileSync(join(dir, 'huge.yaml'), [
    'title: Ninety thousand steps',
    'steps:',
    '  - name: Create',
    '    request: { method: POST, path: /items, form: { name: big } }',
    '    expect: { status: 200, schema: item }',
    '    capture: { id: body.id }',
    '  - name: Get',
    `    forEach: "\${range(${steps - 1})}"`,
    '    request: GET /items/${id}',
    '    expect: { status: 200, schema: item }',
    '',
  ].join('\n'));
  const server = await startServer();
  const out = join(dir, 'huge-reports');
  const r = await timed(BIN, ['run', join(dir, 'huge.yaml'), '--base-url', server.url, '--out', out]);
  server.child.kill();
  const size = (f: string) => (existsSync(join(out, f)) ? statSync(join(out, f)).size / 1e6 : NaN);
  let parses = 'no';
  try {
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    parses = report.summary.steps === steps ? `yes, ${report.summary.steps} steps` : `yes, but ${report.summary.steps} steps`;
  } catch (err) {
    parses = `no (${(err as Error).message})`;
  }
  let valid = 'xmllint not installed';
  try {
    execFileSync('xmllint', ['--noout', '--stream', '--schema', join(ROOT, 'test', 'fixtures', 'junit', 'JUnit.xsd'), join(out, 'junit.xml')], { stdio: 'pipe' });
    valid = 'yes';
  } catch (err) {
    const e = err as { code?: string; stderr?: Buffer };
    if (e.code !== 'ENOENT') valid = `no (${String(e.stderr ?? '').slice(0, 200)})`;
  }
  console.log(`\n${steps.toLocaleString('en')} steps, all default reporters: exit ${r.code}, wall ${(r.ms / 1000).toFixed(1)} s, peak RSS ${(r.rssKiB / 1024).toFixed(0)} MiB (target < 200 MB)`);
  console.log(`  report.json ${size('report.json').toFixed(1)} MB (parses: ${parses}), junit.xml ${size('junit.xml').toFixed(1)} MB (valid: ${valid}), report.html ${size('report.html').toFixed(1)} MB (target < 25), report.md ${size('report.md').toFixed(1)} MB`);
}

/** 40 notebooks × 20 steps against a server that answers after 20 ms: waiting, not computing. */
async function jobsRun(dir: string) {
  const suite = join(dir, 'suite');
  mkdirSync(suite, { recursive: true });
  for (let n = 0; n < 40; n++) {
    const lines = ['title: Latency ' + n, 'steps:', '  - name: Create', '    request: { method: POST, path: /items, form: { name: n' + n + ' } }', '    expect: { status: 200, schema: item }', '    capture: { id: body.id }'];
    for (let i = 1; i < 20; i++) lines.push(`  - name: Get ${i}`, '    request: GET /items/${id}', '    expect: { status: 200, schema: item }');
    writeFileSync(join(suite, `nb-${String(n).padStart(2, '0')}.yaml`), lines.join('\n') + '\n');
  }
  const server = await startServer(20);
  // --jobs 1 is the default, so an older build without the flag measures the serial run too.
  const run = (jobs: number) => timed(BIN, ['run', suite, '--base-url', server.url, '--out', join(dir, `jobs-${jobs}`), ...(jobs > 1 ? ['--jobs', String(jobs)] : []), '--quiet']);
  const serial = await run(1);
  const parallel = await run(8);
  server.child.kill();
  console.log(`\n40 notebooks × 20 steps, server answering after 20 ms: --jobs 1 ${(serial.ms / 1000).toFixed(2)} s, --jobs 8 ${(parallel.ms / 1000).toFixed(2)} s: ${(serial.ms / parallel.ms).toFixed(1)}× (target ≥ 5×; exits ${serial.code}, ${parallel.code})`);
  // On a machine busy with other work, --jobs 8 is bound by the CPU it gets, not by the waiting.
  console.log(`  CPU time used: --jobs 1 ${(serial.cpuMs / 1000).toFixed(2)} s, --jobs 8 ${(parallel.cpuMs / 1000).toFixed(2)} s; the floor for --jobs 8 is max(CPU, 40 × 20 × 20 ms / 8 = 2 s)`);
}

main()
  .then(() => bigNotebooksBench({ bin: BIN, timed, startServer: () => startServer(), median, cliNodeFlags: CLI_NODE_FLAGS }))
  .then(async () => { if (!process.env.BENCH_ONLY) await (await import('./startup.bench.js')).startupBench(); })
  .catch((err) => {
  console.error(err);
  process.exitCode = 1;
});

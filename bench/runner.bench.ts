/**
 * npm run bench: the runner's hot path and start-up, measured against a raw undici+ajv loop
 * doing the same requests in the same run. A generated notebook of 900 steps (300 rounds of
 * create / get / delete, each with a status and a schema check and a capture) runs against a
 * local server in its own process. Prints figures; asserts nothing (a benchmark, not a test).
 *
 * Targets (issue 2, this 2-core machine): ≤ 0.6 ms per step, ≤ 0.5 s start-up, ≤ 130 MiB peak.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { redactionCost } from './redaction.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'dist', 'cli', 'main.js');
const HOOK = join(ROOT, 'bench', 'rss-hook.mjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ROUNDS = 300;

/** Secret inputs with characters every encoding changes, for the redaction's cost (see SECRET_INPUTS). */
const SECRETS: Record<string, string> = {
  BENCH_KEY: 'sk_test_4eC39HqLyjWDarjtT1zdp7dc',
  BENCH_PASSWORD: `p!'()* "\\q+&<>%ü🔑`,
  BENCH_TOKEN: 'tok/+=abcdefghijklmnopqrstuvwxyz0123456789',
};
const SECRET_INPUTS = ['inputs:', ...Object.keys(SECRETS).map((env) => `  ${env.toLowerCase()}: { env: ${env}, secret: true }`), 'auth:', '  bearer: "${bench_key}"'];

function notebook(rounds: number, withSecrets = false): string {
  const lines = [
    'title: Benchmark',
    ...(withSecrets ? SECRET_INPUTS : []),
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

function timed(cmd: string, args: string[]): Promise<{ ms: number; rssKiB: number; code: number | null }> {
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
      done({ ms, rssKiB: rss ? Number(rss[1]) : NaN, code });
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(ROOT, 'bench', 'item-server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((r) => child.stdout!.once('data', (c) => r(String(c).trim())));
  return { url: `http://127.0.0.1:${port}`, child };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'api-notebook-bench-'));
  const schemas = join(dir, 'schemas');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(schemas);
  writeFileSync(join(schemas, 'item.json'), JSON.stringify({ type: 'object', required: ['id', 'object', 'name', 'created'], properties: { id: { type: 'string' }, object: { const: 'item' }, name: { type: 'string' }, created: { type: 'integer' } } }));
  writeFileSync(join(schemas, 'deleted.json'), JSON.stringify({ type: 'object', required: ['id', 'deleted'], properties: { deleted: { const: true } } }));
  writeFileSync(join(dir, 'items.openapi.json'), JSON.stringify(ITEMS_OPENAPI));
  writeFileSync(join(dir, 'big.yaml'), notebook(ROUNDS));
  writeFileSync(join(dir, 'one.yaml'), notebook(1).split('\n').slice(0, 6).join('\n') + '\n');
  writeFileSync(join(dir, 'secret-big.yaml'), notebook(ROUNDS, true));
  writeFileSync(join(dir, 'secret-one.yaml'), notebook(1, true).split('\n').slice(0, 6 + SECRET_INPUTS.length).join('\n') + '\n');
  Object.assign(process.env, SECRETS);
  const server = await startServer();
  const out = join(dir, 'reports');
  // The bin itself (its shebang sets node's flags), as `npx api-notebook` runs it.
  const cli = (file: string) => timed(BIN, ['run', join(dir, file), '--base-url', server.url, '--out', out, '--reporter', 'json', '--quiet']);
  const withOpenApi = (file: string) => timed(BIN, ['run', join(dir, file), '--base-url', server.url, '--out', out, '--reporter', 'json', '--quiet', '--openapi', join(dir, 'items.openapi.json')]);
  const validate = (file: string) => timed(BIN, ['validate', join(dir, file)]);
  const raw = (rounds: number) => timed(process.execPath, [join(ROOT, 'bench', 'raw-loop.mjs'), server.url, String(rounds)]);

  const results = { secretOne: [] as number[], secretBig: [] as number[], secretRss: [] as number[], cliOne: [] as number[], cliBig: [] as number[], cliRss: [] as number[], rawOne: [] as number[], rawBig: [] as number[], rawRss: [] as number[], loadOne: [] as number[], loadBig: [] as number[], oaOne: [] as number[], oaBig: [] as number[], oaRss: [] as number[] };
  await cli('one.yaml'); // warm the file cache
  for (let i = 0; i < RUNS; i++) {
    const a = await cli('one.yaml');
    const b = await cli('big.yaml');
    const c = await raw(1);
    const d = await raw(ROUNDS);
    const e = await validate('one.yaml');
    const f = await validate('big.yaml');
    const g = await withOpenApi('one.yaml');
    const h = await withOpenApi('big.yaml');
    const sOne = await cli('secret-one.yaml');
    const sBig = await cli('secret-big.yaml');
    if ([a, b, c, d, e, f, g, h, sOne, sBig].some((r) => r.code !== 0)) throw new Error('a benchmark run failed');
    results.oaOne.push(g.ms);
    results.oaBig.push(h.ms);
    results.oaRss.push(h.rssKiB);
    results.secretOne.push(sOne.ms);
    results.secretBig.push(sBig.ms);
    results.secretRss.push(sBig.rssKiB);
    results.loadOne.push(e.ms);
    results.loadBig.push(f.ms);
    results.cliOne.push(a.ms);
    results.cliBig.push(b.ms);
    results.cliRss.push(b.rssKiB);
    results.rawOne.push(c.ms);
    results.rawBig.push(d.ms);
    results.rawRss.push(d.rssKiB);
  }
  server.child.kill();
  const steps = ROUNDS * 3;
  const perStep = (big: number[], one: number[]) => (median(big) - median(one)) / (steps - 1);
  const row = (label: string, one: number[], big: number[], rss: number[]) =>
    `${label.padEnd(26)} ${(median(one) / 1000).toFixed(3).padStart(8)} s ${perStep(big, one).toFixed(3).padStart(9)} ms ${(median(big) / 1000).toFixed(2).padStart(8)} s ${(median(rss) / 1024).toFixed(0).padStart(8)} MiB`;
  console.log(`Runner benchmark: ${steps} steps (${ROUNDS} rounds of create/get/delete, status + schema + capture each), median of ${RUNS} runs`);
  console.log(`${''.padEnd(26)} ${'start-up'.padStart(10)} ${'per step'.padStart(12)} ${'900 steps'.padStart(10)} ${'peak RSS'.padStart(12)}`);
  console.log(row('api-notebook run', results.cliOne, results.cliBig, results.cliRss));
  console.log(row('  … with --openapi', results.oaOne, results.oaBig, results.oaRss));
  console.log(row('  … with 3 secrets', results.secretOne, results.secretBig, results.secretRss));
  console.log(row('raw undici + ajv loop', results.rawOne, results.rawBig, results.rawRss));
  const redaction = redactionCost(Object.values(SECRETS));
  console.log(`Redacting 3 secrets (in every form): ${(perStep(results.secretBig, results.secretOne) - perStep(results.cliBig, results.cliOne)).toFixed(3)} ms per step by wall clock;` +
    ` in-process ${redaction.microsPerResult.toFixed(1)} µs per step result (${redaction.microsPerResultClean.toFixed(1)} µs when it holds no secret).`);
  const load = perStep(results.loadBig, results.loadOne);
  console.log(`Of api-notebook's per-step cost, ${load.toFixed(3)} ms is loading the notebook (YAML with positions, checks, compiling; from validate),`);
  console.log(`and ${(perStep(results.cliBig, results.cliOne) - load).toFixed(3)} ms is running the step (request, checks, capture, report).`);
  const deadline = deadlineCostUs();
  console.log(`Each request's deadline (one setTimeout + clearTimeout, one abort listener): ${deadline.toFixed(2)} µs per request, ${((deadline / 1000 / perStep(results.cliBig, results.cliOne)) * 100).toFixed(1)}% of a step.`);
  console.log('Targets: start-up ≤ 0.5 s, per step ≤ 0.6 ms, peak ≤ 130 MiB (start-up = wall time of a 1-step run).');
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});

/**
 * npm run bench:mock: requests per second the embedded Stripe mock serves at 16 connections for
 * GET /v1/plans/{id} and a form POST /v1/customers (a new customer each time: state grows), the
 * mock started as users start it (the bin, `api-notebook mock`) in its own process on 127.0.0.1.
 * With STRIPE_MOCK_BIN naming a stripe-mock binary, it is measured beside ours in the same run,
 * round by round (interleaved, so a noisy neighbour hurts both alike). Then a soak: POST for
 * BENCH_SOAK_SECONDS (20) and the mock's resident memory after it, against its bounds.
 *
 * Each figure: the median of BENCH_ROUNDS (3) runs of BENCH_SECONDS (5) and the range; and the
 * server's CPU time per request (from /proc), which a busy machine disturbs far less than req/s.
 * BENCH_MOCK_COMPARE may name another build's dist/cli/main.js to measure beside this one.
 * Prints figures; asserts nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AUTH, cpuSeconds, FORM, freePort, loadAverage, loadTool, median, rssMiB, run, waitFor, type Load, type LoadResult } from './load.js';

const ROOT = resolve(import.meta.dirname, '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SOAK_SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 20);
const DIR = mkdtempSync(join(tmpdir(), 'mock-bench-'));

const GET: Load = { method: 'GET', path: '/v1/plans/gold' };
const POST: Load = { method: 'POST', path: '/v1/customers', body: FORM };

interface Target {
  name: string;
  url: string;
  child: ChildProcess;
  get: Figures[];
  post: Figures[];
}

interface Figures extends LoadResult {
  cpuUsPerRequest: number;
}

/** Our mock as a user starts it: the bin itself, so its shebang's Node flags apply. */
async function startOurs(name: string, bin: string): Promise<Target> {
  const child = spawn(bin, ['mock', '--port', '0', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((done, fail) => {
    let out = '';
    child.once('exit', (code) => fail(new Error(`${bin} exited (${code})`)));
    child.stdout!.on('data', (c) => {
      out += c;
      const m = /listening on (\S+)/.exec(out);
      if (m) done(m[1]);
    });
  });
  return { name, url, child, get: [], post: [] };
}

/** stripe-mock on 127.0.0.1 only (its HTTPS listener too); its per-request log goes nowhere. */
async function startStripeMock(bin: string): Promise<Target> {
  const [http, https] = [await freePort(), await freePort()];
  const child = spawn(bin, ['-http-addr', `127.0.0.1:${http}`, '-https-addr', `127.0.0.1:${https}`], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${http}`;
  await waitFor(url, child);
  return { name: 'stripe-mock', url, child, get: [], post: [] };
}

async function measure(target: Target, load: Load, seconds: number): Promise<Figures> {
  const pid = target.child.pid!;
  const cpu0 = cpuSeconds(pid);
  const r = await run(target.url, load, seconds, DIR);
  return { ...r, cpuUsPerRequest: ((cpuSeconds(pid) - cpu0) * 1e6) / r.requests };
}

async function seed(target: Target): Promise<void> {
  const res = await fetch(`${target.url}/v1/plans`, {
    method: 'POST',
    headers: { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'id=gold&amount=2000&currency=usd&interval=month&name=Gold',
  });
  await res.arrayBuffer();
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function summary(runs: Figures[]): string {
  const rps = runs.map((r) => r.rps);
  const failures = runs.reduce((a, r) => a + r.failures, 0);
  return `${fmt(median(rps)).padStart(7)} (${fmt(Math.min(...rps))}–${fmt(Math.max(...rps))})`.padEnd(26) +
    `${median(runs.map((r) => r.cpuUsPerRequest)).toFixed(0).padStart(4)} µs CPU/req  p99 ${median(runs.map((r) => r.p99ms)).toFixed(1)} ms` +
    (failures ? `  FAILED ${failures}` : '');
}

async function main() {
  const targets: Target[] = [await startOurs('api-notebook mock', join(ROOT, 'dist', 'cli', 'main.js'))];
  if (process.env.BENCH_MOCK_COMPARE) targets.push(await startOurs('compare build', resolve(process.env.BENCH_MOCK_COMPARE)));
  if (process.env.STRIPE_MOCK_BIN) targets.push(await startStripeMock(process.env.STRIPE_MOCK_BIN));
  const ours = targets[0];
  const load0 = loadAverage();
  try {
    for (const t of targets) {
      await seed(t);
      await measure(t, GET, 1); // warm-up: JIT, connections
      await measure(t, POST, 1);
    }
    const rssBefore = rssMiB(ours.child.pid!);
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of targets) {
        t.get.push(await measure(t, GET, SECONDS));
        t.post.push(await measure(t, POST, SECONDS));
      }
    }
    const rssAfterRounds = rssMiB(ours.child.pid!);
    console.log(`Mock benchmark: ${loadTool()}, ${ROUNDS} rounds × ${SECONDS} s, interleaved; load average ${load0} at start, ${loadAverage()} at end`);
    console.log(`${''.padEnd(20)}${'GET /v1/plans/{id}: req/s median (range)'.padEnd(62)}POST /v1/customers (form): req/s median (range)`);
    for (const t of targets) console.log(`${t.name.padEnd(20)}${summary(t.get).padEnd(62)}${summary(t.post)}`);
    // On a busy machine noise only ever slows a run down: the best round estimates capacity.
    const rps = (t: Target, load: 'get' | 'post', pick: (xs: number[]) => number) => pick(t[load].map((r) => r.rps));
    const cpu = (t: Target, load: 'get' | 'post') => median(t[load].map((r) => r.cpuUsPerRequest));
    for (const t of targets.slice(1)) {
      const ratios = (load: 'get' | 'post') =>
        `median ${(rps(ours, load, median) / rps(t, load, median)).toFixed(2)}×, best ${(rps(ours, load, (xs) => Math.max(...xs)) / rps(t, load, (xs) => Math.max(...xs))).toFixed(2)}×, CPU per request ${(cpu(ours, load) / cpu(t, load)).toFixed(2)}×`;
      console.log(`ours ÷ ${t.name}: GET ${ratios('get')}; POST ${ratios('post')}`);
    }
    const soak = await measure(ours, POST, SOAK_SECONDS);
    console.log(
      `Memory (RSS) of our mock: ${rssBefore.toFixed(0)} MiB before the load, ${rssAfterRounds.toFixed(0)} MiB after the rounds, ` +
        `${rssMiB(ours.child.pid!).toFixed(0)} MiB after a further ${SOAK_SECONDS} s of POSTs (${fmt(soak.requests)} customers created at ${fmt(soak.rps)} req/s` +
        `${soak.failures ? `, ${soak.failures} FAILED` : ''}); the bounds: README, "The embedded Stripe mock".`,
    );
  } finally {
    for (const t of targets) t.child.kill('SIGTERM');
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});

/**
 * npm run bench:mock: requests per second the embedded Stripe mock serves for a GET and a form
 * POST at 16 connections (autocannon, a kept load tool), the mock in its own process on
 * 127.0.0.1. Prints figures; asserts nothing.
 *
 * For comparison, on this 2-core machine (issue 3): stripe-mock (Go, stateless) 8,300–13,500 GET
 * and 6,100–10,300 POST req/s; localstripe 2,900 GET and 95 POST.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';

const ROOT = resolve(import.meta.dirname, '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const AUTH = `Basic ${Buffer.from('sk_test_bench:').toString('base64')}`;

function load(url: string, opts: Partial<autocannon.Options>): Promise<autocannon.Result> {
  return new Promise((done, fail) => {
    autocannon({ url, connections: 16, duration: SECONDS, headers: { authorization: AUTH }, ...opts }, (err, result) => (err ? fail(err) : done(result)));
  });
}

async function main() {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli', 'main.js'), 'mock', '--port', '0', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((r) => child.stdout!.on('data', (c) => {
    const m = /listening on (\S+)/.exec(String(c));
    if (m) r(m[1]);
  }));
  try {
    // Something to read: a customer, fetched by id.
    const res = await fetch(`${url}/v1/customers`, { method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=bench%40example.com' });
    const { id } = (await res.json()) as { id: string };
    await load(`${url}/v1/customers/${id}`, { duration: 2 }); // warm-up
    const get = await load(`${url}/v1/customers/${id}`, {});
    const post = await load(`${url}/v1/plans`, {
      method: 'POST',
      headers: { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded' },
      // A fresh plan id per request ([<id>] is autocannon's unique request id).
      requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: `id=plan_${Math.random().toString(36).slice(2)}&amount=777&currency=usd&interval=month&name=Bench` }) }],
    });
    const row = (label: string, r: autocannon.Result) =>
      `${label.padEnd(34)} ${Math.round(r.requests.average).toString().padStart(8)} req/s   p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms   non-2xx ${r.non2xx}  errors ${r.errors}`;
    console.log(`Embedded Stripe mock, 16 connections, ${SECONDS} s each`);
    console.log(row('GET /v1/customers/{id}', get));
    console.log(row('POST /v1/plans (form, new plan)', post));
    console.log('Reference on this machine: stripe-mock 8,300–13,500 GET / 6,100–10,300 POST req/s; localstripe 2,900 / 95.');
  } finally {
    child.kill('SIGINT');
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});

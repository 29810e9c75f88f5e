/**
 * Load drivers and process gauges for bench/mock.bench.ts: wrk when it is on the PATH (C, one
 * thread, so the server under test has the other core), autocannon (a devDependency) otherwise;
 * a server's CPU time and resident memory read from /proc (Linux; NaN elsewhere).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import autocannon from 'autocannon';

export const CONNECTIONS = 16;
export const AUTH = `Basic ${Buffer.from('sk_test_bench:').toString('base64')}`;
export const FORM = 'email=bench%40example.com&description=Bench+customer';

export interface Load {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

export interface LoadResult {
  rps: number;
  requests: number;
  p50ms: number;
  p99ms: number;
  /** Non-2xx answers and socket errors: any is a broken run. */
  failures: number;
}

export const hasWrk = (() => {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    // wrk prints its usage and exits 1 on --version: it is there.
    return (err as { status?: number }).status === 1;
  }
})();

export function loadTool(): string {
  return hasWrk ? `wrk (1 thread, ${CONNECTIONS} connections)` : `autocannon (${CONNECTIONS} connections, in the benchmark's process: install wrk for steadier figures)`;
}

export function run(url: string, load: Load, seconds: number, dir: string): Promise<LoadResult> {
  return hasWrk ? runWrk(url, load, seconds, dir) : runAutocannon(url, load, seconds);
}

function runWrk(url: string, load: Load, seconds: number, dir: string): Promise<LoadResult> {
  const script = join(dir, `${load.method.toLowerCase()}.lua`);
  writeFileSync(script, [
    `wrk.method = "${load.method}"`,
    `wrk.headers["Authorization"] = "${AUTH}"`,
    ...(load.body ? [`wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"`, `wrk.body = "${load.body}"`] : []),
    '',
  ].join('\n'));
  return new Promise((done, fail) => {
    const child = spawn('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', '-s', script, url + load.path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('error', fail);
    child.on('close', () => {
      const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? 0);
      const ms = (re: RegExp) => {
        const m = re.exec(out);
        return m ? Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1) : NaN;
      };
      const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      done({
        rps: num(/Requests\/sec:\s+([\d.]+)/),
        requests: num(/(\d+) requests in/),
        p50ms: ms(/50%\s+([\d.]+)(us|ms|s)/),
        p99ms: ms(/99%\s+([\d.]+)(us|ms|s)/),
        failures: num(/Non-2xx or 3xx responses: (\d+)/) + (socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0),
      });
    });
  });
}

function runAutocannon(url: string, load: Load, seconds: number): Promise<LoadResult> {
  const headers: Record<string, string> = { authorization: AUTH };
  if (load.body) headers['content-type'] = 'application/x-www-form-urlencoded';
  return new Promise((done, fail) => {
    autocannon({ url: url + load.path, method: load.method, body: load.body, headers, connections: CONNECTIONS, duration: seconds }, (err, r) =>
      err ? fail(err) : done({ rps: r.requests.average, requests: r.requests.total, p50ms: r.latency.p50, p99ms: r.latency.p99, failures: r.non2xx + r.errors }),
    );
  });
}

/** CPU seconds (user + system, all threads) a process has used so far. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ (100 on Linux)
  } catch {
    return NaN;
  }
}

export function rssMiB(pid: number): number {
  try {
    const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib ? Number(kib) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

export function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  } catch {
    return '?';
  }
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

/** Polls until something answers on the URL (stripe-mock prints its address late and noisily). */
export async function waitFor(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited (${child.exitCode})`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url}: no answer after 15 s`);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

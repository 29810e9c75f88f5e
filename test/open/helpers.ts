/** Starts the real `api-notebook open` (the built bin) as a child process, and talks to it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { BIN, ROOT } from '../helpers/cli.js';

export interface OpenProcess {
  /** The first line of stdout, as printed. */
  url: string;
  /** The URL without the fragment. */
  base: string;
  token: string;
  port: number;
  child: ChildProcess;
  stderr: () => string;
  /** Sends SIGINT and resolves with the exit code once the process is gone. */
  stop(): Promise<number | null>;
}

/** `browser: true` leaves out --no-browser (set BROWSER in `env` to a command that records its argv). */
export async function startOpen(args: string[], env: Record<string, string> = {}, cwd = ROOT, options: { browser?: boolean } = {}): Promise<OpenProcess> {
  const child = spawn(process.execPath, [BIN, 'open', ...args, ...(options.browser ? [] : ['--no-browser'])], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', API_NOTEBOOK_MOCK_VALIDATE: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c) => {
      out += c;
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    exited.then(() => reject(new Error(`open exited before printing a URL:\n${stderr}`)));
  });
  const [base, fragment] = url.split('#');
  return {
    url,
    base,
    token: fragment.replace(/^token=/, ''),
    port: Number(new URL(base).port),
    child,
    stderr: () => stderr,
    async stop() {
      child.kill('SIGINT');
      return exited;
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with exactly the headers given (Host included), as another program or page could send. */
export function raw(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, setHost: false }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Reads the page's event stream for `ms` milliseconds, as the page would. */
export async function readEvents(open: OpenProcess, ms: number): Promise<string> {
  const controller = new AbortController();
  const res = await fetch(`${open.base}api/events`, { headers: { 'x-api-notebook-token': open.token }, signal: controller.signal });
  let text = '';
  const reader = res.body!.getReader();
  const timer = setTimeout(() => controller.abort(), ms);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString('utf8');
    }
  } catch {
    // aborted: done reading
  }
  clearTimeout(timer);
  return text;
}

export async function api(open: OpenProcess, path: string, body?: unknown): Promise<{ status: number; json: any; text: string }> {
  const res = await fetch(`${open.base}${path.replace(/^\//, '')}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'x-api-notebook-token': open.token, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, text };
}

/**
 * A request written byte for byte on a socket (like `curl --path-as-is`): the request target
 * goes out exactly as given, absolute-form, dot segments, escapes and all. Resolves with the
 * status (0 when the server closed without answering) and the body.
 */
export function rawTarget(port: number, method: string, target: string, headers: Record<string, string>, body = ''): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const lines = [`${method} ${target} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), `content-length: ${Buffer.byteLength(body)}`, 'connection: close', '', body];
    // Written, not ended: a half-closed socket may be dropped before a slower answer is sent.
    socket.on('connect', () => socket.write(Buffer.from(lines.join('\r\n'), 'utf8')));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    // A stream (the event stream, served by mistake) never ends: what came within 3 s is the answer.
    socket.setTimeout(3000, () => socket.destroy());
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      const headers: Record<string, string> = {};
      for (const line of head.split('\r\n').slice(1)) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status, headers, body: rest.join('\r\n\r\n') });
    });
  });
}

/**
 * The local server of `api-notebook open` (plain node:http): the page's three static files, and
 * its API under /api/, guarded (see guard.ts). Live updates go to the page as Server-Sent Events
 * on GET /api/events; actions are POSTs of JSON. Every response passes the run's redactor.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from '../files/package-root.js';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redactor } from '../run/redact.js';
import { allowedHosts, refusal } from './guard.js';
import type { LiveState } from './live.js';
import type { OneTimeCodes } from './one-time-code.js';
import { peerUid } from './peer-user.js';
import { requestPath } from './target.js';

/** What the page can ask for. Each answers with JSON, or throws an ActionError. */
export interface Actions {
  run(cell: string): Promise<unknown>;
  runAll(): Promise<unknown>;
  reset(): Promise<unknown>;
  inputs(values: Record<string, string>): Promise<unknown>;
  check(cell: string, yaml: string): Promise<unknown>;
  save(cell: string, yaml: string): Promise<unknown>;
}

export class ActionError extends Error {
  constructor(readonly status: number, message: string, readonly details?: Record<string, unknown>) {
    super(message);
  }
}

export interface OpenServerOptions {
  host: string;
  port: number;
  token: string;
  live: LiveState;
  actions: Actions;
  redactor: Redactor;
  /** The browser's one-time codes (one-time-code.ts), traded for the token at POST /api/code. */
  codes?: OneTimeCodes;
  /** A code was refused: used already (someone may have raced the browser), expired, or another user's. */
  onCodeRefused?(why: string): void;
}

export interface OpenServer {
  /** The page's URL, with the address the server really listens on (0.0.0.0 stays 0.0.0.0). */
  url: string;
  /** The URL for a browser on this machine (a loopback address when listening on every interface). */
  localUrl: string;
  /** The address listened on, as the system reports it. */
  address: string;
  port: number;
  close(): Promise<void>;
}

// Beside this module in the sources and in tsc's output; from the bundled CLI (dist/cli/chunks/), dist/open/page/.
const PAGE_DIR = existsSync(new URL('./page/', import.meta.url)) ? new URL('./page/', import.meta.url) : pathToFileURL(join(PACKAGE_ROOT, 'dist', 'open', 'page') + '/');
const STATIC: Record<string, [string, string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/page.js': ['page.js', 'text/javascript; charset=utf-8'],
  '/page.css': ['page.css', 'text/css; charset=utf-8'],
};
const MAX_BODY = 1024 * 1024;
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

export async function startOpenServer(options: OpenServerOptions): Promise<OpenServer> {
  const sockets = new Set<ServerResponse>();
  let hosts = new Set<string>();
  const server = createServer((req, res) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    // One path per request, decided once: the guard and the router read the same value.
    const target = requestPath(req.url);
    if ('refused' in target) return send(res, 400, 'text/plain; charset=utf-8', `Bad request: ${target.refused}\n`);
    const why = refusal(req, target.path, hosts, options.token);
    if (why) return send(res, 403, 'text/plain; charset=utf-8', `Forbidden: ${why}\n`);
    route(req, res, target.path, options, sockets).catch((err: unknown) => {
      if (!res.headersSent) json(res, 500, { error: (err as Error).message }, options.redactor);
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port, address } = server.address() as AddressInfo;
  hosts = allowedHosts(options.host, port);
  hosts.add(`${bracket(address).toLowerCase()}:${port}`);
  const local = address === '0.0.0.0' ? '127.0.0.1' : address === '::' ? '::1' : address;
  return {
    url: `http://${bracket(address)}:${port}/`,
    localUrl: `http://${bracket(local)}:${port}/`,
    address,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function route(req: IncomingMessage, res: ServerResponse, path: string, options: OpenServerOptions, streams: Set<ServerResponse>): Promise<void> {
  if (req.method === 'GET' && path === '/favicon.ico') return send(res, 204, 'image/x-icon', '');
  if (req.method === 'GET' && STATIC[path]) {
    const [file, type] = STATIC[path];
    return send(res, 200, type, await readFile(new URL(file, PAGE_DIR)));
  }
  if (req.method === 'GET' && path === '/api/events') return events(req, res, options.live, streams);
  if (req.method === 'GET' && path === '/api/state') return json(res, 200, options.live.snapshot(), options.redactor);
  if (req.method !== 'POST' || !path.startsWith('/api/')) return send(res, 404, 'text/plain; charset=utf-8', 'Not found\n');
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return json(res, 415, { error: 'send JSON' }, options.redactor);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(await readBody(req)) as Record<string, unknown>;
  } catch (err) {
    return json(res, 400, { error: `bad request body: ${(err as Error).message}` }, options.redactor);
  }
  if (path === '/api/code') return trade(req, res, body, options);
  const a = options.actions;
  const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
  const handlers: Record<string, () => Promise<unknown>> = {
    '/api/run': () => a.run(str('cell')),
    '/api/run-all': () => a.runAll(),
    '/api/reset': () => a.reset(),
    '/api/inputs': () => a.inputs((body.values ?? {}) as Record<string, string>),
    '/api/check': () => a.check(str('cell'), str('yaml')),
    '/api/save': () => a.save(str('cell'), str('yaml')),
  };
  const handler = handlers[path];
  if (!handler) return json(res, 404, { error: 'no such action' }, options.redactor);
  try {
    json(res, 200, await handler(), options.redactor);
  } catch (err) {
    if (err instanceof ActionError) json(res, err.status, { error: err.message, ...err.details }, options.redactor);
    else throw err;
  }
}

/** The page trades the code from its URL for the token: once, in time, and from this user only. */
function trade(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>, options: OpenServerOptions): void {
  const refuse = (why: string) => {
    options.onCodeRefused?.(why);
    json(res, 403, { error: `This link cannot open the page: ${why}. Open the URL printed by \`api-notebook open\` instead.` }, options.redactor);
  };
  const uid = peerUid(req.socket);
  if (uid !== undefined && typeof process.getuid === 'function' && uid !== process.getuid()) return refuse(`its one-time code was sent by another user of this machine (uid ${uid})`);
  const outcome = options.codes && typeof body.code === 'string' ? options.codes.trade(body.code) : 'unknown';
  if (outcome === 'ok') return json(res, 200, { token: options.token }, options.redactor);
  refuse(outcome === 'used' ? 'its one-time code has been used already' : outcome === 'expired' ? 'its one-time code has expired' : 'its one-time code is not one this server gave out');
}

function events(req: IncomingMessage, res: ServerResponse, live: LiveState, streams: Set<ServerResponse>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
  res.flushHeaders();
  streams.add(res);
  const unsubscribe = live.subscribe((event, json) => res.write(`event: ${event}\ndata: ${json}\n\n`));
  // A comment now and then keeps proxies and idle timers from closing the stream.
  const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
  req.on('close', () => {
    clearInterval(ping);
    unsubscribe();
    streams.delete(res);
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('larger than 1 MiB'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8') || '{}'));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, data: unknown, redactor: Redactor): void {
  send(res, status, 'application/json; charset=utf-8', redactor.text(JSON.stringify(data)));
}

function bracket(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * The mock's HTTP layer: auth (Basic or Bearer, sk_test_ keys, one account per key), body and
 * query parsing with limits (a bad body is a 400, never a 500), routing, Idempotency-Key replay,
 * Request-Id on every response, and Stripe's error shape for everything that goes wrong.
 * A request whose Host is not this mock is refused first (host-check.ts: DNS rebinding).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { invalidApiKey, noApiKey, StripeError, unrecognizedUrl } from './errors.js';
import { parseForm, type FormParams } from './form.js';
import { newId } from './ids.js';
import type { Route } from './routes/types.js';
import { expand, expandPaths } from './expand.js';
import { hostNames, hostRefusal } from './host-check.js';
import { chargeRoutes, refundRoutes } from './routes/charges.js';
import { couponRoutes } from './routes/coupons.js';
import { invoiceRoutes } from './routes/invoices.js';
import { recipientRoutes } from './routes/recipients.js';
import { customerRoutes } from './routes/customers.js';
import { planRoutes } from './routes/plans.js';
import { sourceRoutes } from './routes/sources.js';
import { subscriptionRoutes } from './routes/subscriptions.js';
import { renderAccount } from './render.js';
import { route } from './routes/types.js';
import { Router } from './router.js';
import { Store, type Account, type StoreLimits } from './store.js';
import type { ResponseValidator } from './validate.js';

export const API_VERSION = '2015-07-28';
const MAX_BODY_BYTES = 1024 * 1024;
/** The reference: "The keys expire after 24 hours." */
const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

/** Every endpoint the mock serves (the OpenAPI document is generated from this table). */
export const ROUTES: Route[] = [
  route('GET', '/v1/account', ({ account }) => renderAccount(account)),
  ...planRoutes,
  ...couponRoutes,
  ...customerRoutes,
  ...sourceRoutes,
  ...subscriptionRoutes,
  ...chargeRoutes,
  ...refundRoutes,
  ...invoiceRoutes,
  ...recipientRoutes,
];
const ROUTER = new Router(ROUTES);

export interface MockOptions {
  validator?: ResponseValidator;
  onRequest?: (info: { method: string; path: string; status: number; ms: number }) => void;
  /** How much state the mock keeps (memory.ts has the defaults). */
  limits?: Partial<StoreLimits>;
  /** The name or address it was told to listen on (`--host`): accepted in `Host` besides localhost. */
  host?: string;
}

/**
 * The hot path is plain callbacks, no Promise per request: a request with no body is answered in
 * the same tick it arrives; the validator and the request hook cost nothing when they are off.
 */
export function createStripeServer(options: MockOptions = {}): Server & { store: Store } {
  const store = new Store(options.limits);
  const { validator, onRequest } = options;
  // Known once listening; the last Host accepted is remembered (a client sends the same one every time).
  let names: ReadonlySet<string> = new Set();
  let port = -1;
  let lastHost: string | undefined;
  const server = createServer((req, res) => {
    const started = onRequest ? performance.now() : 0;
    let refused: StripeError | undefined;
    if (lastHost === undefined || req.headers.host !== lastHost) {
      refused = hostRefusal(req, names, port);
      if (!refused) lastHost = req.headers.host;
    }
    readBody(req, (raw) => {
      try {
        let { status, body, replayed } = refused ? failure(refused) : typeof raw === 'string' ? handle(store, req, raw) : failure(raw);
        if (!validator && !onRequest) return send(res, status, body, replayed);
        const path = pathOf(req.url ?? '/');
        const problem = validator?.check(status, path, body);
        if (problem) {
          status = 500;
          body = { error: { type: 'api_error', message: `mock response does not match its schema: ${problem}` } };
        }
        send(res, status, body, replayed);
        onRequest?.({ method: req.method ?? 'GET', path, status, ms: performance.now() - started });
      } catch (err) {
        // Callbacks, not a Promise: a throw here would take the whole server down.
        if (res.headersSent) res.destroy();
        else send(res, 500, failure(err).body, false);
      }
    });
  });
  server.on('listening', () => {
    const address = server.address();
    if (!address || typeof address === 'string') return;
    port = address.port;
    names = hostNames(options.host ?? address.address, [address.address]);
    lastHost = undefined;
  });
  return Object.assign(server, { store });
}

interface Outcome {
  status: number;
  body: unknown;
  replayed: boolean;
}

function failure(err: unknown): Outcome {
  const e = toError(err);
  return { status: e.status, body: e.toJSON(), replayed: false };
}

/**
 * Pretty-printed like Stripe's own responses (compact JSON measured only ~0.4 µs cheaper for a
 * customer); headers as one flat array, Node's cheapest form.
 */
function send(res: ServerResponse, status: number, body: unknown, replayed: boolean): void {
  const text = JSON.stringify(body, null, 2);
  const headers = [
    'content-type', 'application/json',
    'content-length', String(Buffer.byteLength(text)),
    'request-id', newId('req'),
    'stripe-version', API_VERSION,
    'cache-control', 'no-cache, no-store',
  ];
  if (replayed) headers.push('idempotent-replayed', 'true');
  res.writeHead(status, headers);
  res.end(text);
}

class BodyTooLarge extends Error {}

/**
 * Calls `done` once, with the body or the error. A request that declares no body (no
 * Content-Length, no Transfer-Encoding: HTTP/1.1 says it has none) is answered at once.
 */
function readBody(req: IncomingMessage, done: (raw: string | Error) => void): void {
  const length = req.headers['content-length'];
  if ((length === undefined || length === '0') && req.headers['transfer-encoding'] === undefined) return done('');
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const settle = (raw: string | Error) => {
    if (settled) return;
    settled = true;
    done(raw);
  };
  req.on('data', (chunk: Buffer) => {
    if (settled) return;
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return settle(new BodyTooLarge());
    chunks.push(chunk);
  });
  req.on('end', () => settle(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8')));
  req.on('error', settle);
}

function toError(err: unknown): StripeError {
  if (err instanceof StripeError) return err;
  if (err instanceof BodyTooLarge) return new StripeError(413, 'invalid_request_error', `Request body too large: the limit is ${MAX_BODY_BYTES} bytes.`);
  return new StripeError(500, 'api_error', `Internal mock error: ${(err as Error)?.message ?? err}`);
}

/** The last Authorization header and the key in it: a client sends the same one every time. */
let lastAuthorization = '';
let lastKey = '';

function authenticate(store: Store, req: IncomingMessage): Account {
  const header = req.headers.authorization;
  if (!header) throw noApiKey();
  if (header !== lastAuthorization) {
    lastKey = apiKey(header);
    lastAuthorization = header;
  }
  return store.account(lastKey);
}

function apiKey(header: string): string {
  let key: string;
  if (/^bearer /i.test(header)) key = header.slice(7).trim();
  else if (/^basic /i.test(header)) key = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8').split(':')[0];
  else throw noApiKey();
  if (!key) throw noApiKey();
  if (!/^sk_test_[A-Za-z0-9_]+$/.test(key)) throw invalidApiKey(key);
  return key;
}

function parseParams(req: IncomingMessage, raw: string, query: string): FormParams {
  // DELETE takes its parameters from the body too (`at_period_end=true` on a cancellation).
  if (req.method === 'POST' || (req.method === 'DELETE' && raw.length)) {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (raw.length && type !== 'application/x-www-form-urlencoded') {
      throw new StripeError(400, 'invalid_request_error', `Invalid request: unsupported Content-Type ${type || '(none)'}. Send parameters form-encoded (application/x-www-form-urlencoded).`);
    }
    const body = parseForm(raw);
    return query ? { ...parseForm(query), ...body } : body;
  }
  return parseForm(query);
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function handle(store: Store, req: IncomingMessage, raw: string): Outcome {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = req.url ?? '/';
  const path = pathOf(url);
  const query = path.length === url.length ? '' : url.slice(path.length + 1);
  try {
    const account = authenticate(store, req);
    const idempotencyKey = method === 'POST' ? header(req, 'idempotency-key') : undefined;
    if (idempotencyKey) {
      // The 2015 reference: the same response is always sent back for a key, even with other parameters.
      const previous = account.idempotency.get(idempotencyKey);
      if (previous && previous.expires > Date.now()) return { status: previous.status, body: previous.body, replayed: true };
    }
    const outcome = dispatch(account, method, path, parseParams(req, raw, query));
    if (idempotencyKey && outcome.status < 500) account.idempotency.set(idempotencyKey, { status: outcome.status, body: outcome.body, expires: Date.now() + IDEMPOTENCY_TTL_MS });
    return outcome;
  } catch (err) {
    return failure(err);
  }
}

function dispatch(account: Account, method: string, path: string, params: FormParams): Outcome {
  const decoded = safeDecode(path);
  const match = ROUTER.find(method, decoded);
  if (!match) throw unrecognizedUrl(method, path);
  const { route: r, shape, ids } = match;
  try {
    // expand[] paths are checked before the request runs, so a bad one changes nothing.
    const paths = expandPaths(params.expand, shape);
    const body = r.handle({ account, method, path: decoded, params, ids });
    return { status: 200, body: paths.length ? expand(account, body, paths, shape) : body, replayed: false };
  } catch (err) {
    return failure(err);
  }
}

function safeDecode(path: string): string {
  if (path.indexOf('%') === -1) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

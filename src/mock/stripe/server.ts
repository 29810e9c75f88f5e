/**
 * The mock's HTTP layer: auth (Basic or Bearer, sk_test_ keys, one account per key), body and
 * query parsing with limits (a bad body is a 400, never a 500), routing, Idempotency-Key replay,
 * Request-Id on every response, and Stripe's error shape for everything that goes wrong.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import qs from 'qs';
import { invalidApiKey, noApiKey, StripeError, unknownParam, unrecognizedUrl } from './errors.js';
import { newId } from './ids.js';
import type { Route } from './routes/types.js';
import { expand, expandPaths, responseShape } from './expand.js';
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
import { Store, type Account } from './store.js';
import type { ResponseValidator } from './validate.js';

export const API_VERSION = '2015-07-28';
const MAX_BODY_BYTES = 1024 * 1024;
/** Stripe refuses more parameters than this (qs would silently drop the rest). */
const MAX_PARAMETERS = 1000;
const QS_OPTIONS: qs.IParseOptions = { depth: 5, strictDepth: true, arrayLimit: 100, parameterLimit: MAX_PARAMETERS, allowPrototypes: false, plainObjects: true };
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

export interface MockOptions {
  validator?: ResponseValidator;
  onRequest?: (info: { method: string; path: string; status: number; ms: number }) => void;
}

export function createStripeServer(options: MockOptions = {}): Server {
  const store = new Store();
  return createServer((req, res) => {
    const started = performance.now();
    const requestId = newId('req');
    readBody(req)
      .then((raw) => handle(store, req, raw))
      .catch((err: unknown) => {
        const e = toError(err);
        return { status: e.status, body: e.toJSON(), replayed: false };
      })
      .then(({ status, body, replayed }) => {
        const path = (req.url ?? '/').split('?')[0];
        const problem = options.validator?.check(status, path, body);
        if (problem) {
          status = 500;
          body = { error: { type: 'api_error', message: `mock response does not match its schema: ${problem}` } };
        }
        send(res, status, body, requestId, replayed);
        options.onRequest?.({ method: req.method ?? 'GET', path, status, ms: performance.now() - started });
      });
  });
}

interface Outcome {
  status: number;
  body: unknown;
  replayed: boolean;
}

function send(res: ServerResponse, status: number, body: unknown, requestId: string, replayed: boolean): void {
  const text = JSON.stringify(body, null, 2);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'request-id': requestId,
    'stripe-version': API_VERSION,
    'cache-control': 'no-cache, no-store',
  };
  if (replayed) headers['idempotent-replayed'] = 'true';
  res.writeHead(status, headers);
  res.end(text);
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function toError(err: unknown): StripeError {
  if (err instanceof StripeError) return err;
  if (err instanceof BodyTooLarge) return new StripeError(413, 'invalid_request_error', `Request body too large: the limit is ${MAX_BODY_BYTES} bytes.`);
  return new StripeError(500, 'api_error', `Internal mock error: ${(err as Error)?.message ?? err}`);
}

function authenticate(store: Store, req: IncomingMessage): Account {
  const header = req.headers.authorization;
  if (!header) throw noApiKey();
  let key: string;
  if (/^bearer /i.test(header)) key = header.slice(7).trim();
  else if (/^basic /i.test(header)) key = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8').split(':')[0];
  else throw noApiKey();
  if (!key) throw noApiKey();
  if (!/^sk_test_[A-Za-z0-9_]+$/.test(key)) throw invalidApiKey(key);
  return store.account(key);
}

/** qs would quietly keep a broken escape as text or drop a prototype key; Stripe says 400. */
function checkEncoding(text: string): void {
  const pieces = text.split('&');
  if (pieces.length > MAX_PARAMETERS) throw new StripeError(400, 'invalid_request_error', `Invalid request: too many parameters (${pieces.length}); the limit is ${MAX_PARAMETERS}.`);
  for (const piece of pieces) {
    const [name] = piece.split('=', 1);
    try {
      decodeURIComponent(piece.replace(/\+/g, ' '));
    } catch {
      throw new StripeError(400, 'invalid_request_error', `Invalid request: malformed percent-encoding in \`${piece.slice(0, 50)}\`.`);
    }
    const root = decodeURIComponent(name).split('[')[0];
    if (root === '__proto__' || root === 'constructor' || root === 'prototype') throw unknownParam(root);
  }
}

function parseParams(req: IncomingMessage, raw: string, query: string): Record<string, unknown> {
  checkEncoding(raw);
  checkEncoding(query);
  try {
    // DELETE takes its parameters from the body too (`at_period_end=true` on a cancellation).
    if (req.method === 'POST' || (req.method === 'DELETE' && raw.length)) {
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (raw.length && type !== 'application/x-www-form-urlencoded') {
        throw new StripeError(400, 'invalid_request_error', `Invalid request: unsupported Content-Type ${type || '(none)'}. Send parameters form-encoded (application/x-www-form-urlencoded).`);
      }
      const body = qs.parse(raw, QS_OPTIONS);
      return query ? { ...qs.parse(query, QS_OPTIONS), ...body } : body;
    }
    return qs.parse(query, QS_OPTIONS);
  } catch (err) {
    if (err instanceof StripeError) throw err;
    throw new StripeError(400, 'invalid_request_error', `Invalid request: could not parse the parameters (${(err as Error).message}).`);
  }
}

async function handle(store: Store, req: IncomingMessage, raw: string): Promise<Outcome> {
  const method = (req.method ?? 'GET').toUpperCase();
  const [path, query = ''] = (req.url ?? '/').split(/\?(.*)/s);
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
    const e = toError(err);
    return { status: e.status, body: e.toJSON(), replayed: false };
  }
}

function dispatch(account: Account, method: string, path: string, params: Record<string, unknown>): Outcome {
  const decoded = safeDecode(path);
  for (const r of ROUTES) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(decoded);
    if (!m) continue;
    try {
      // expand[] paths are checked before the request runs, so a bad one changes nothing.
      const shape = params.expand === undefined ? undefined : responseShape(method, r.path);
      const paths = shape ? expandPaths(params.expand, shape) : [];
      const body = r.handle({ account, method, path: decoded, params, ids: m.slice(1) });
      return { status: 200, body: shape && paths.length ? expand(account, body, paths, shape) : body, replayed: false };
    } catch (err) {
      const e = toError(err);
      return { status: e.status, body: e.toJSON(), replayed: false };
    }
  }
  throw unrecognizedUrl(method, path);
}

function safeDecode(path: string): string {
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

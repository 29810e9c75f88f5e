/**
 * One undici Agent per run: connections are kept alive and reused across every step. Transport
 * problems become HttpError with a kind, so the runner can tell a runtime error (refused, reset,
 * timeout, unparsable JSON) from a check failure on a response that did arrive.
 */
import { createRequire } from 'node:module';
import type { Agent as AgentType, Dispatcher } from 'undici';

/**
 * undici's index loads every part of it (fetch, WebSocket, cache, mocks): ~90 ms at each start,
 * a fifth of the start-up budget. We need only the Agent and `request`, so those modules are
 * loaded alone (~30 ms). undici has no `exports` map, the version is pinned by the lockfile, and
 * if the files ever move the full package is loaded instead.
 */
interface UndiciParts {
  Agent: new (options: ConstructorParameters<typeof AgentType>[0]) => AgentType;
  request: (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
  errors: typeof import('undici').errors;
}

function loadUndici(): UndiciParts {
  const require = createRequire(import.meta.url);
  try {
    return {
      Agent: require('undici/lib/dispatcher/agent.js'),
      request: require('undici/lib/api/api-request.js'),
      errors: require('undici/lib/core/errors.js'),
    };
  } catch {
    const full = require('undici') as typeof import('undici');
    return { Agent: full.Agent, request: methodRequest(full), errors: full.errors };
  }
}

/** With the full package, `request` is a method every dispatcher has. */
function methodRequest(full: typeof import('undici')): UndiciParts['request'] {
  return function (this: Dispatcher, options) {
    return (full.Dispatcher.prototype as unknown as { request: UndiciParts['request'] }).request.call(this, options);
  };
}

const undici = loadUndici();
const undiciErrors = undici.errors;

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the content type says JSON, else the text (null when empty). */
  body: unknown;
  text: string;
  durationMs: number;
}

export type HttpErrorKind = 'connection-refused' | 'connection-reset' | 'timeout' | 'dns' | 'invalid-url' | 'invalid-json' | 'interrupted' | 'network';

export class HttpError extends Error {
  constructor(
    readonly kind: HttpErrorKind,
    message: string,
    /** What did arrive, when something did (an unparsable JSON body). */
    readonly partial?: Omit<HttpResponse, 'body'> & { body: string },
  ) {
    super(message);
  }
}

export interface HttpClient {
  send(req: HttpRequest, signal?: AbortSignal): Promise<HttpResponse>;
  close(): Promise<void>;
}

export function createHttpClient(): HttpClient {
  const agent = new undici.Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000, connect: { timeout: 10_000 } });
  return {
    send: (req, signal) => send(agent, req, signal),
    close: () => agent.close(),
  };
}

async function send(agent: AgentType, req: HttpRequest, outer?: AbortSignal): Promise<HttpResponse> {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    throw new HttpError('invalid-url', `invalid URL: ${req.url}`);
  }
  // undici's own header and body timeouts bound the request; the outer signal is the interrupt.
  const started = performance.now();
  try {
    const res = await undici.request.call(agent, {
      origin: url.origin,
      path: url.pathname + url.search,
      method: req.method as 'GET',
      headers: req.headers,
      body: req.body,
      signal: outer,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
    });
    const text = await res.body.text();
    const durationMs = performance.now() - started;
    const headers = flattenHeaders(res.headers);
    const partial = { status: res.statusCode, headers, text, durationMs, body: text };
    return { status: res.statusCode, headers, text, durationMs, body: parseBody(text, headers['content-type'], partial) };
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw classify(err, req, outer?.aborted === true, performance.now() - started >= req.timeoutMs);
  }
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function parseBody(text: string, contentType: string | undefined, partial: HttpError['partial']): unknown {
  if (!text) return null;
  if (!contentType || !/[/+]json\b/i.test(contentType)) return text;
  try {
    return JSON.parse(text);
  } catch (err) {
    // No excerpt of the body here: it has not been redacted yet, and a cut could split a secret.
    // The runner adds a redacted excerpt; the reports show the whole (redacted) body.
    throw new HttpError('invalid-json', `the response says ${contentType} but its body is not valid JSON (${jsonProblem(err as Error)})`, partial);
  }
}

/** V8 quotes the text around an unexpected token (`Unexpected token 'x', "…" is not valid JSON`): dropped. */
function jsonProblem(err: Error): string {
  return /^Unexpected token/.test(err.message) || err.message.includes('"') ? 'Unexpected token' : err.message;
}

function classify(err: unknown, req: HttpRequest, interrupted: boolean, timedOut: boolean): HttpError {
  const e = err as Error & { code?: string; cause?: Error & { code?: string } };
  const code = e.code ?? e.cause?.code;
  const target = `${req.method} ${req.url}`;
  if (interrupted) return new HttpError('interrupted', `interrupted while waiting for ${target}`);
  if (timedOut || e instanceof undiciErrors.HeadersTimeoutError || e instanceof undiciErrors.BodyTimeoutError || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new HttpError('timeout', `no complete response within ${req.timeoutMs} ms for ${target}`);
  }
  if (code === 'ECONNREFUSED') return new HttpError('connection-refused', `connection refused by ${new URL(req.url).host} (${target}); is the server running?`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new HttpError('dns', `cannot resolve host ${new URL(req.url).hostname} (${target})`);
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || e instanceof undiciErrors.SocketError) {
    return new HttpError('connection-reset', `the connection was closed before the response was complete (${target})`);
  }
  return new HttpError('network', `${e.message}${code ? ` (${code})` : ''} (${target})`);
}

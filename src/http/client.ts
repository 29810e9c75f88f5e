/**
 * One undici Agent per run: connections are kept alive and reused across every step. Transport
 * problems become HttpError with a kind, so the runner can tell a runtime error (refused, reset,
 * timeout, unparsable JSON) from a check failure on a response that did arrive.
 */
import { createRequire } from 'node:module';
import type { Agent as AgentType } from 'undici';
import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import { exchange, ExchangeFailure } from './exchange.js';
import type { HeaderLists } from './headers.js';
import { asBytesBody, bytesText, decodeText, responseTypeFor, type ResponseType } from './response-type.js';

/**
 * undici's index loads every part of it (fetch, WebSocket, cache, mocks): ~90 ms at each start,
 * a fifth of the start-up budget. We need only the Agent (requests go through our own handler in
 * ./exchange.ts), so it is loaded alone. undici has no `exports` map, the version is pinned by the
 * lockfile, and if the files ever move the full package is loaded instead.
 */
interface UndiciParts {
  Agent: new (options: ConstructorParameters<typeof AgentType>[0]) => AgentType;
  errors: typeof import('undici').errors;
  buildConnector: typeof import('undici').buildConnector;
}

function loadUndici(): UndiciParts {
  const require = createRequire(import.meta.url);
  try {
    return { Agent: require('undici/lib/dispatcher/agent.js'), errors: require('undici/lib/core/errors.js'), buildConnector: require('undici/lib/core/connect.js') };
  } catch {
    const full = require('undici') as typeof import('undici');
    return { Agent: full.Agent, errors: full.errors, buildConnector: full.buildConnector };
  }
}

const undici = loadUndici();
const undiciErrors = undici.errors;

/** Response bodies kept for checks, after decoding, unless --max-body says otherwise. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** A body streamed from files (multipart, `body: { file }`): opened anew for every send. */
  upload?: UploadBody;
  /** How to read the response body; without it the Content-Type decides (./response-type.ts). */
  responseType?: ResponseType;
  /** The deadline: from sending to the last byte of the response body. */
  timeoutMs: number;
}

/** A request body too large to hold in memory: its length is known, its bytes are read as they are sent. */
export interface UploadBody {
  /** Bytes on the wire (sent as Content-Length). */
  length: number;
  open(): Readable;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Each header's values apart (`headers` joins repeats with ", "): headerValues(), cookies. */
  headerLists: HeaderLists;
  /** Parsed JSON, the decoded text, or the bytes (a Buffer) as ./response-type.ts decides; null when empty. */
  body: unknown;
  /** How the body was read (absent: as text or JSON, the way the Content-Type said). */
  bodyType?: 'json' | 'text' | 'bytes';
  /** The decoded text ('' for a bytes body). */
  text: string;
  /** Size of the body in bytes, after decoding any content-encoding. */
  bytes: number;
  durationMs: number;
}

export type HttpErrorKind = 'connection-refused' | 'connection-reset' | 'timeout' | 'dns' | 'invalid-url' | 'invalid-json' | 'interrupted' | 'body-too-large' | 'invalid-encoding' | 'network';

export class HttpError extends Error {
  constructor(
    readonly kind: HttpErrorKind,
    message: string,
    /** What did arrive, when something did (an unparsable JSON body). */
    readonly partial?: Omit<HttpResponse, 'body' | 'bodyType'> & { body: string },
  ) {
    super(message);
  }
}

export interface HttpClient {
  /** `onSent` is called as the request is written to a connected socket (before the response). */
  send(req: HttpRequest, signal?: AbortSignal, onSent?: () => void): Promise<HttpResponse>;
  close(): Promise<void>;
}

export interface HttpClientOptions {
  /** Largest response body kept (decoded); a larger one is an HttpError 'body-too-large'. */
  maxBodyBytes?: number;
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const connecting = trackedConnector();
  const agent = new undici.Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000, connect: connecting.connect });
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return {
    send: (req, signal, onSent) => send(agent, req, maxBodyBytes, signal, onSent),
    async close() {
      // Every request has settled by now. A connection attempt a deadline gave up on is still
      // open (undici cannot cancel it) and would hold the process: end it.
      connecting.destroyAll();
      await agent.destroy();
    },
  };
}

/**
 * undici's connector with no timeout of its own (each request's deadline covers connecting),
 * remembering the sockets still connecting so that close can end them.
 */
function trackedConnector() {
  const base = undici.buildConnector({ timeout: 0 });
  const pending = new Set<{ destroy(): void }>();
  const connect: typeof base = (opts, callback) => {
    let socket: { destroy(): void } | undefined;
    socket = base(opts, (err, connected) => {
      if (socket) pending.delete(socket);
      (callback as (e: Error | null, s: typeof connected | null) => void)(err, connected);
    }) as unknown as { destroy(): void };
    pending.add(socket);
    return socket as unknown as ReturnType<typeof base>;
  };
  return { connect, destroyAll: () => pending.forEach((s) => s.destroy()) };
}

async function send(agent: AgentType, req: HttpRequest, maxBodyBytes: number, outer?: AbortSignal, onSent?: () => void): Promise<HttpResponse> {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    throw new HttpError('invalid-url', `invalid URL: ${req.url}`);
  }
  try {
    const body = req.upload ? req.upload.open() : req.body;
    const res = await exchange(agent, { origin: url.origin, path: url.pathname + url.search, method: req.method, headers: req.headers, body }, { deadlineMs: req.timeoutMs, maxBodyBytes }, outer, onSent);
    const contentType = res.headers['content-type'];
    const kind = responseTypeFor(contentType, req.responseType);
    const base = { status: res.status, headers: res.headers, headerLists: res.headerLists, bytes: res.body.length, durationMs: res.durationMs };
    // No Content-Type: text when the bytes are UTF-8 (as before), else bytes, never mojibake.
    if (kind === 'bytes' || (kind === 'auto-text' && !isUtf8(res.body))) {
      return { ...base, text: '', bodyType: 'bytes', body: res.body.length || req.responseType === 'bytes' ? asBytesBody(res.body) : null };
    }
    const text = decodeText(res.body, contentType);
    const partial = { ...base, text, body: text };
    if (kind === 'json') return { ...partial, bodyType: 'json', body: parseBody(text, contentType, partial, req.responseType === 'json') };
    return { ...partial, bodyType: 'text', body: text || null };
  } catch (err) {
    if (err instanceof HttpError) throw err;
    if (err instanceof ExchangeFailure) throw fromFailure(err, req);
    throw classify(err, req);
  }
}

/** What did arrive before a failure, kept for the report. */
function partialOf(failure: ExchangeFailure, req: HttpRequest): HttpError['partial'] {
  const p = failure.partial;
  if (!p) return undefined;
  // Part of an image is still no text: the report gets its size and digest, not mojibake.
  const kind = responseTypeFor(p.headers['content-type'], req.responseType);
  const text = kind === 'bytes' || (kind === 'auto-text' && !isUtf8(p.body)) ? bytesText(p.body) : p.body.toString('utf8');
  return { status: p.status, headers: p.headers, headerLists: p.headerLists, text, bytes: p.body.length, durationMs: p.durationMs, body: text };
}

function fromFailure(failure: ExchangeFailure, req: HttpRequest): HttpError {
  const target = `${req.method} ${req.url}`;
  switch (failure.reason) {
    case 'timeout':
      return new HttpError('timeout', `${target}: ${failure.message}`, partialOf(failure, req));
    case 'interrupted':
      return new HttpError('interrupted', `interrupted while waiting for ${target}`, partialOf(failure, req));
    case 'too-large':
      return new HttpError('body-too-large', `${target}: ${failure.message}; raise it with --max-body (e.g. --max-body 50mb)`, partialOf(failure, req));
    case 'decode':
      return new HttpError('invalid-encoding', `${target}: ${failure.message}`, partialOf(failure, req));
    case 'transport':
      return classify(failure.cause, req);
  }
}

function parseBody(text: string, contentType: string | undefined, partial: HttpError['partial'], asked: boolean): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch (err) {
    // No excerpt of the body here: it has not been redacted yet, and a cut could split a secret.
    // The runner adds a redacted excerpt; the reports show the whole (redacted) body.
    const said = asked ? `the request says \`responseType: json\`` : `the response says ${contentType}`;
    throw new HttpError('invalid-json', `${said} but its body is not valid JSON (${jsonProblem(err as Error)})`, partial);
  }
}

/** V8 quotes the text around an unexpected token (`Unexpected token 'x', "…" is not valid JSON`): dropped. */
function jsonProblem(err: Error): string {
  return /^Unexpected token/.test(err.message) || err.message.includes('"') ? 'Unexpected token' : err.message;
}

function classify(err: unknown, req: HttpRequest): HttpError {
  const e = err as Error & { code?: string; cause?: Error & { code?: string } };
  const code = e.code ?? e.cause?.code;
  const target = `${req.method} ${req.url}`;
  if (code === 'ECONNREFUSED') return new HttpError('connection-refused', `connection refused by ${new URL(req.url).host} (${target}); is the server running?`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new HttpError('dns', `cannot resolve host ${new URL(req.url).hostname} (${target})`);
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || e instanceof undiciErrors.SocketError) {
    return new HttpError('connection-reset', `the connection was closed before the response was complete (${target})`);
  }
  return new HttpError('network', `${e.message}${code ? ` (${code})` : ''} (${target})`);
}

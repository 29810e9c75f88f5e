/**
 * One client per run: connections are kept alive and reused across every step, through one
 * undici dispatcher per distinct transport setting (TLS, HTTP/2; see dispatcher.ts), direct or
 * through a proxy (proxy.ts). Transport problems become HttpError with a kind, so the runner can
 * tell a runtime error (refused, reset, timeout, TLS, proxy, unparsable JSON) from a check
 * failure on a response that did arrive.
 */
import { createRequire } from 'node:module';
import type { Agent as AgentType, Dispatcher } from 'undici';
import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import { TransportCache, type TransportEntry } from './dispatcher.js';
import { exchange, ExchangeFailure } from './exchange.js';
import type { HeaderLists } from './headers.js';
import type { ProxyConfig, ProxyRoute } from './proxy.js';
import { asBytesBody, bytesText, decodeText, responseTypeFor, type ResponseType } from './response-type.js';
import { explainTlsFailure, rejectedCertificateGuess } from './tls-errors.js';
import { mergeTransport, TlsSetupError, type TransportSettings } from './tls.js';

/**
 * undici's index loads every part of it (fetch, WebSocket, cache, mocks): ~90 ms at each start,
 * a fifth of the start-up budget. We need only the Agent (requests go through our own handler in
 * ./exchange.ts), so it is loaded alone. undici has no `exports` map, the version is pinned by the
 * lockfile, and if the files ever move the full package is loaded instead.
 */
interface UndiciParts {
  Agent: new (options: ConstructorParameters<typeof AgentType>[0]) => AgentType;
  Pool: new (origin: string | URL, options: object) => Dispatcher;
  errors: typeof import('undici').errors;
  buildConnector: typeof import('undici').buildConnector;
}

const require = createRequire(import.meta.url);

function loadUndici(): UndiciParts {
  try {
    return { Agent: require('undici/lib/dispatcher/agent.js'), Pool: require('undici/lib/dispatcher/pool.js'), errors: require('undici/lib/core/errors.js'), buildConnector: require('undici/lib/core/connect.js') };
  } catch {
    const full = require('undici') as typeof import('undici');
    return { Agent: full.Agent, Pool: full.Pool, errors: full.errors, buildConnector: full.buildConnector };
  }
}

/**
 * The proxy agent, loaded only when a run has a proxy (it pulls in more of undici). It opens
 * tunnels with `dispatcher.connect()`, one of the API methods undici's index puts on every
 * dispatcher: loaded part by part, they are put there here.
 */
function loadProxyAgent(): new (opts: object) => Dispatcher {
  try {
    const DispatcherClass = require('undici/lib/dispatcher/dispatcher.js') as { prototype: Record<string, unknown> };
    if (typeof DispatcherClass.prototype.connect !== 'function') DispatcherClass.prototype.connect = require('undici/lib/api/api-connect.js');
    return require('undici/lib/dispatcher/proxy-agent.js');
  } catch {
    return (require('undici') as typeof import('undici')).ProxyAgent as never;
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
  /** TLS and HTTP/2 settings of the notebook and the request (over the client's defaults). */
  transport?: TransportSettings;
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
  /** The protocol of the exchange: "1.1", or "2" when ALPN chose h2. */
  httpVersion: string;
}

/** `tls`: a certificate not trusted, expired or for another host, a client certificate missing or refused, a key that cannot be used. `proxy`: the proxy is down, refused, or wants credentials. */
export type HttpErrorKind = 'connection-refused' | 'connection-reset' | 'timeout' | 'dns' | 'invalid-url' | 'invalid-json' | 'interrupted' | 'body-too-large' | 'invalid-encoding' | 'network' | 'tls' | 'proxy';

export class HttpError extends Error {
  constructor(
    readonly kind: HttpErrorKind,
    message: string,
    /** What did arrive, when something did (an unparsable JSON body). */
    readonly partial?: Omit<HttpResponse, 'body' | 'bodyType' | 'httpVersion'> & { body: string },
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
  /** The run's TLS and HTTP/2 defaults (--ca, --cert, --key, --insecure, --http2), under each notebook's and request's. */
  transport?: TransportSettings;
  /** The run's proxies (--proxy, HTTP(S)_PROXY, NO_PROXY); none when undefined. */
  proxy?: ProxyConfig;
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const transports = new TransportCache(undici);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return {
    send: (req, signal, onSent) => send(transports, options, req, maxBodyBytes, signal, onSent),
    close: () => transports.close(),
  };
}

const NO_SETTINGS: TransportSettings = {};

/** Where one request goes: the dispatcher of its settings, direct or through a proxy. */
interface Route {
  url: URL;
  settings: TransportSettings;
  entry?: TransportEntry;
  proxy?: ProxyRoute;
}

async function send(transports: TransportCache, options: HttpClientOptions, req: HttpRequest, maxBodyBytes: number, outer?: AbortSignal, onSent?: () => void): Promise<HttpResponse> {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    throw new HttpError('invalid-url', `invalid URL: ${req.url}`);
  }
  // Most requests carry no settings of their own: the run's entry, without building a key per request.
  const route: Route = { url, settings: req.transport ? mergeTransport(options.transport, req.transport) : options.transport ?? NO_SETTINGS };
  let dispatcher: Dispatcher;
  try {
    route.entry = req.transport ? transports.get(route.settings) : transports.base(route.settings);
    ({ dispatcher, route: route.proxy } = route.entry.dispatcherFor(url, options.proxy, loadProxyAgent));
  } catch (err) {
    if (err instanceof TlsSetupError) throw withHint('tls', `${err.message} (${req.method} ${req.url})`, 'fix the file or the setting under `tls:` (or the --ca / --cert / --key flag); nothing was sent');
    throw err;
  }
  try {
    const body = req.upload ? req.upload.open() : req.body;
    const res = await exchange(dispatcher, { origin: url.origin, path: url.pathname + url.search, method: req.method, headers: req.headers, body }, { deadlineMs: req.timeoutMs, maxBodyBytes }, outer, onSent);
    const state = route.entry.state(url.origin);
    state.answered = true;
    const httpVersion = url.protocol === 'https:' && route.settings.http2 ? state.protocol ?? '1.1' : '1.1';
    const contentType = res.headers['content-type'];
    const kind = responseTypeFor(contentType, req.responseType);
    const base = { status: res.status, headers: res.headers, headerLists: res.headerLists, bytes: res.body.length, durationMs: res.durationMs, httpVersion };
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
    if (err instanceof ExchangeFailure) throw await fromFailure(err, req, route);
    throw await classify(err, req, route);
  }
}

/** The message says what to do too: every report shows the message. */
function withHint(kind: HttpErrorKind, message: string, hint: string, partial?: HttpError['partial']): HttpError {
  const err = new HttpError(kind, `${message}; hint: ${hint}`, partial);
  (err as HttpError & { hint?: string }).hint = hint;
  return err;
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

async function fromFailure(failure: ExchangeFailure, req: HttpRequest, route: Route): Promise<HttpError> {
  const target = `${req.method} ${req.url}`;
  const through = route.proxy ? ` (through the proxy ${route.proxy.display}, from ${route.proxy.source})` : '';
  switch (failure.reason) {
    case 'timeout':
      return new HttpError('timeout', `${target}: ${failure.message}${through}`, partialOf(failure, req));
    case 'interrupted':
      return new HttpError('interrupted', `interrupted while waiting for ${target}`, partialOf(failure, req));
    case 'too-large':
      return new HttpError('body-too-large', `${target}: ${failure.message}; raise it with --max-body (e.g. --max-body 50mb)`, partialOf(failure, req));
    case 'decode':
      return new HttpError('invalid-encoding', `${target}: ${failure.message}`, partialOf(failure, req));
    case 'transport':
      return classify(failure.cause, req, route);
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

async function classify(err: unknown, req: HttpRequest, route?: Route): Promise<HttpError> {
  const e = err as Error & { code?: string; cause?: Error & { code?: string } };
  const code = e.code ?? e.cause?.code;
  const target = `${req.method} ${req.url}`;
  if (route?.proxy) {
    const problem = proxyProblem(e, code, route.proxy, route.url);
    if (problem) return withHint('proxy', `${problem.message} (${target})`, problem.hint);
  }
  if (route?.url.protocol === 'https:') {
    const tlsErr = (e.cause?.code && !e.code?.startsWith('UND_') ? e.cause : e) as Error & { code?: string };
    const problem = await explainTlsFailure(tlsErr, route.url, route.settings.tls, !!route.proxy);
    if (problem) return withHint('tls', `${problem.message} (${target})`, problem.hint);
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
      // The server's alert arrived on the socket, not with undici's error ("other side closed").
      const state = route.entry?.state(route.url.origin);
      const alert = state?.alert;
      if (state) state.alert = undefined;
      const explained = alert ? await explainTlsFailure(alert, route.url, route.settings.tls, !!route.proxy) : undefined;
      if (explained) return withHint('tls', `${explained.message} (${target})`, explained.hint);
      const tls = route.settings.tls;
      if ((tls?.cert || tls?.pfx) && !state?.answered) {
        const guess = rejectedCertificateGuess(route.url, tls);
        return withHint('tls', `${guess.message} (${target})`, guess.hint);
      }
    }
  }
  if (code === 'ECONNREFUSED') return new HttpError('connection-refused', `connection refused by ${new URL(req.url).host} (${target}); is the server running?`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new HttpError('dns', `cannot resolve host ${new URL(req.url).hostname} (${target})`);
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || e instanceof undiciErrors.SocketError) {
    return new HttpError('connection-reset', `the connection was closed before the response was complete (${target})`);
  }
  return new HttpError('network', `${e.message}${code ? ` (${code})` : ''} (${target})`);
}

/**
 * A failure of a request that went through a proxy, when it is the proxy's: it could not be
 * reached, wants credentials, or would not open a tunnel. Going direct instead is never done.
 */
function proxyProblem(e: Error, code: string | undefined, proxy: ProxyRoute, url: URL): { message: string; hint: string } | undefined {
  const name = `the proxy ${proxy.display} (from ${proxy.source})`;
  const direct = proxy.source === '--proxy' ? 'drop --proxy to go direct' : `unset ${proxy.source}, add ${url.hostname} to NO_PROXY, or pass --no-proxy to go direct`;
  if (code === 'ECONNREFUSED') return { message: `${name} refused the connection`, hint: `is the proxy running at that address? Or ${direct}` };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { message: `cannot resolve the host of ${name}`, hint: `check the proxy URL, or ${direct}` };
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'UND_ERR_CONNECT_TIMEOUT') return { message: `${name} cannot be reached (${code})`, hint: `check the proxy URL and the network, or ${direct}` };
  if (code === 'UND_ERR_PRX_TLS') {
    const cause = (e as Error & { cause?: Error }).cause;
    return { message: `the TLS connection to ${name} failed (${cause?.message ?? e.message})`, hint: 'an https:// proxy with a private CA: give that CA with --ca FILE (or `tls.ca`)' };
  }
  const status = /Proxy response \((\d+)\)/.exec(e.message)?.[1] ?? (/Proxy Authentication Required/.test(e.message) ? '407' : undefined);
  if (status === '407') {
    return {
      message: `${name} wants credentials (407 Proxy Authentication Required)${proxy.hasCredentials ? ' and did not accept the ones in its URL' : ''}`,
      hint: proxy.hasCredentials ? 'check the user name and password in the proxy URL' : 'put them in the proxy URL: http://user:password@host:port (they are treated as secrets)',
    };
  }
  if (status) return { message: `${name} would not open a tunnel to ${url.host} (it answered ${status} to CONNECT)`, hint: `the proxy may not allow this host or port; ask its administrator, or ${direct}` };
  return undefined;
}

/**
 * One step's request as it really travels: the jar's cookies added to each request, each
 * response's Set-Cookie stored, and redirects followed hop by hop when the notebook asks.
 *
 * Each hop is one exchange of its own (client.ts), so each is recorded (method, URL, status,
 * Location) and the jar applies per hop, as a browser's would: a cookie set by a 302 goes with
 * the request to where it points. Every hop runs under what is left of the step's one deadline.
 */
import type { HttpRequest, HttpResponse } from './client.js';
import { HttpError } from './client.js';
import { mergeCookieHeader, type CookieJar } from './cookies.js';
import { isRedirect, nextRequest, RedirectError, resolveLocation } from './redirects.js';

/** One followed redirect: the request that got it, its status, and where it pointed. */
export interface RedirectHop {
  method: string;
  url: string;
  status: number;
  location: string;
}

export interface FlowOptions {
  /** Sends one exchange (the run's client, with its signal). */
  send(req: HttpRequest): Promise<HttpResponse>;
  /** The run's jar, or undefined when `cookies: false`. */
  jar?: CookieJar;
  /** Redirects that may be followed (0: none, the response is what the server said). */
  maxRedirects: number;
  /** Sees each response as it arrives, before anything else reads it (secret cookies). */
  onResponse?(response: HttpResponse, url: string): void;
}

/** What the flow did, kept up to date as it goes, so that a failure mid-chain still shows it. */
export interface FlowRecord {
  /** The request on the wire last (the first one when nothing was followed). */
  request: HttpRequest;
  hops: RedirectHop[];
  /** Every Set-Cookie of every response of the chain, in order. */
  setCookies: string[];
  warnings: string[];
  /** The last response that arrived (a redirect, when the chain stopped on one). */
  response?: HttpResponse;
}

export type FlowErrorKind = 'too-many-redirects' | 'redirect';

/** The chain cannot go on: too many redirects, or a Location that cannot be followed. */
export class FlowError extends Error {
  constructor(readonly kind: FlowErrorKind, message: string) {
    super(message);
  }
}

export async function sendFlow(first: HttpRequest, options: FlowOptions, record: FlowRecord): Promise<HttpResponse> {
  const started = performance.now();
  const deadline = first.timeoutMs;
  const visited = new Set<string>();
  let request = first;
  for (;;) {
    const left = Math.ceil(deadline - (performance.now() - started));
    if (record.hops.length && left <= 0) {
      throw new HttpError('timeout', `${request.method} ${request.url}: no complete response within ${deadline} ms (the step's deadline covers every hop; ${record.hops.length} redirect${record.hops.length === 1 ? '' : 's'} were followed)`);
    }
    const onWire = withJarCookies({ ...request, timeoutMs: record.hops.length ? left : deadline }, options.jar);
    record.request = onWire;
    visited.add(onWire.url);
    let response: HttpResponse;
    try {
      response = await options.send(onWire);
    } catch (err) {
      // A later hop had only what was left of the deadline: say the deadline the step has.
      if (err instanceof HttpError && err.kind === 'timeout' && record.hops.length) {
        throw new HttpError('timeout', `${onWire.method} ${onWire.url}: no complete response within the step's deadline of ${deadline} ms, which covers every hop (${record.hops.length} redirect${record.hops.length === 1 ? ' was' : 's were'} followed before this request)`, err.partial);
      }
      throw err;
    }
    record.response = response;
    options.onResponse?.(response, onWire.url);
    const setCookies = response.headerLists['set-cookie'] ?? [];
    if (setCookies.length) {
      record.setCookies.push(...setCookies);
      if (options.jar) record.warnings.push(...options.jar.store(setCookies, onWire.url));
    }
    const location = response.headers.location;
    if (options.maxRedirects === 0 || !isRedirect(response.status, location)) {
      // `duration` (and expect.maxDurationMs) is the step's whole wait, as its deadline is: from
      // sending the first request to the last byte of the final response, every hop included.
      return record.hops.length ? { ...response, durationMs: performance.now() - started } : response;
    }
    let target: string;
    try {
      target = resolveLocation(location, onWire.url);
    } catch (err) {
      if (err instanceof RedirectError) throw new FlowError('redirect', err.message);
      throw err;
    }
    if (record.hops.length >= options.maxRedirects) {
      const loop = visited.has(target) ? `; the chain loops: ${target} was already requested` : '';
      throw new FlowError('too-many-redirects', `${first.method} ${first.url}: stopped after ${record.hops.length} redirect${record.hops.length === 1 ? '' : 's'} (followRedirects allows ${options.maxRedirects}); the last, ${response.status} from ${onWire.url}, points to ${target}${loop}`);
    }
    record.hops.push({ method: onWire.method, url: onWire.url, status: response.status, location: target });
    // Cookies are recomputed from the jar for each hop; the written Cookie header is the notebook's.
    request = nextRequest({ ...request, url: onWire.url }, response.status, target);
  }
}

/** The request with the jar's cookies for its URL added to the Cookie header the notebook wrote. */
function withJarCookies(request: HttpRequest, jar: CookieJar | undefined): HttpRequest {
  if (!jar?.used) return request;
  const cookie = mergeCookieHeader(request.headers.cookie, jar.header(request.url));
  if (cookie === undefined || cookie === request.headers.cookie) return request;
  return { ...request, headers: { ...request.headers, cookie } };
}

/**
 * What the next request of a redirect chain is, by the rules browsers and undici's redirect
 * handler follow (Fetch §4.4, RFC 9110 §15.4):
 * - 301 and 302 turn a POST into a GET without its body; 303 turns anything but HEAD into a GET
 *   without its body; 307 and 308 repeat the method and the body as they were.
 * - A body that is dropped takes its Content-* headers with it.
 * - A hop to another origin (scheme, host or port) does not carry the credentials written for
 *   the first one: Authorization, Proxy-Authorization and a written Cookie header are dropped
 *   (the jar adds the cookies that belong to the new host itself).
 * The loop that sends each hop is in flow.ts; this file only decides.
 */

/** `followRedirects: true` follows at most this many redirects. */
export const DEFAULT_MAX_REDIRECTS = 10;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Headers that describe a body: they go when the body does. */
const BODY_HEADERS = /^content-|^transfer-encoding$/;
/** Headers that hold credentials for one origin. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

/** `followRedirects` as written (true | false | N) → how many redirects may be followed. */
export function maxRedirects(option: boolean | number | undefined): number {
  if (option === true) return DEFAULT_MAX_REDIRECTS;
  if (typeof option === 'number') return option;
  return 0;
}

export interface HopRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** A streamed body (multipart, a file): opened again for each hop that keeps the body. */
  upload?: unknown;
}

export class RedirectError extends Error {}

/** Whether this response asks to be followed: a redirect status with a Location. */
export function isRedirect(status: number, location: string | undefined): location is string {
  return REDIRECT_STATUSES.has(status) && typeof location === 'string' && location.trim() !== '';
}

/** The absolute URL a Location points to, from the URL that answered (fragments dropped). */
export function resolveLocation(location: string, from: string): string {
  let target: URL;
  try {
    target = new URL(location.trim(), from);
  } catch {
    throw new RedirectError(`the redirect from ${from} points to ${JSON.stringify(location)}, which is not a URL`);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new RedirectError(`the redirect from ${from} points to ${target.protocol} (${JSON.stringify(location)}); only http and https are followed`);
  }
  target.hash = '';
  return target.href;
}

/** The request that follows `previous` after it was answered with `status` pointing to `url`. */
export function nextRequest<R extends HopRequest>(previous: R, status: number, url: string): R {
  const toGet = (status === 303 && previous.method !== 'HEAD') || ((status === 301 || status === 302) && previous.method === 'POST');
  const sameOrigin = new URL(previous.url).origin === new URL(url).origin;
  const headers = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(previous.headers)) {
    const key = name.toLowerCase();
    if (toGet && BODY_HEADERS.test(key)) continue;
    if (!sameOrigin && CREDENTIAL_HEADERS.has(key)) continue;
    if (key === 'host') continue;
    headers[name] = value;
  }
  // Everything else the request carries (its deadline, TLS, how to read the response) goes on.
  return { ...previous, method: toGet ? 'GET' : previous.method, url, headers, body: toGet ? undefined : previous.body, upload: toGet ? undefined : previous.upload };
}

/**
 * Who may talk to the local server. It sends requests with the user's keys, so:
 * - the Host header must name the bound address or localhost (stops DNS rebinding);
 * - an Origin header, when sent, must be this server's own (stops other web pages: CSRF);
 * - every request carries the random token from the URL's fragment (stops other local users
 *   and programs, who cannot read the fragment the browser was given), except the few public
 *   paths listed here: what is not listed needs the token, so a new route is guarded by default.
 * The path is the one decided by target.ts, the same value the router routes on.
 * No CORS headers are ever sent.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { networkInterfaces } from 'node:os';

export const TOKEN_HEADER = 'x-api-notebook-token';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

const WILDCARD = new Set(['0.0.0.0', '::', '']);

/** Host header values that name this server. */
export function allowedHosts(host: string, port: number): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '[::1]', host.includes(':') ? `[${host}]` : host]);
  if (WILDCARD.has(host)) {
    for (const list of Object.values(networkInterfaces())) {
      for (const a of list ?? []) names.add(a.family === 'IPv6' ? `[${a.address.split('%')[0]}]` : a.address);
    }
  }
  return new Set([...names].map((n) => `${n.toLowerCase()}:${port}`));
}

/** The page's own files, and the trade of the browser's one-time code for the token. */
export const PUBLIC_PATHS = new Set(['/', '/page.js', '/page.css', '/favicon.ico', '/api/code']);

/** Why a request is refused, or undefined when it may go on. `path` comes from requestPath(). */
export function refusal(req: IncomingMessage, path: string, hosts: Set<string>, token: string): string | undefined {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!hosts.has(host)) return 'unknown Host';
  const origin = req.headers.origin;
  if (origin !== undefined && !(origin.startsWith('http://') && hosts.has(origin.slice(7).toLowerCase()))) return 'foreign Origin';
  const site = req.headers['sec-fetch-site'];
  if (path.startsWith('/api/') && (site === 'cross-site' || site === 'same-site')) return 'cross-site request';
  if (PUBLIC_PATHS.has(path)) return undefined;
  if (!sameToken(req.headers[TOKEN_HEADER], token)) return 'missing or wrong token';
  return undefined;
}

function sameToken(given: string | string[] | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Who may talk to the local server. It sends requests with the user's keys, so:
 * - the Host header must name the bound address or localhost (stops DNS rebinding);
 * - an Origin header, when sent, must be this server's own (stops other web pages: CSRF);
 * - every API request carries the random token from the URL's fragment (stops other local
 *   users and programs, who cannot read the fragment the browser was given).
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

/** Why a request is refused, or undefined when it may go on. */
export function refusal(req: IncomingMessage, hosts: Set<string>, token: string): string | undefined {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!hosts.has(host)) return 'unknown Host';
  const origin = req.headers.origin;
  if (origin !== undefined && !(origin.startsWith('http://') && hosts.has(origin.slice(7).toLowerCase()))) return 'foreign Origin';
  if (!(req.url ?? '').startsWith('/api/')) return undefined;
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return 'cross-site request';
  if (!sameToken(req.headers[TOKEN_HEADER], token)) return 'missing or wrong token';
  return undefined;
}

function sameToken(given: string | string[] | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

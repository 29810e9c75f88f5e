/**
 * The cookie jar of one notebook run (RFC 6265, by tough-cookie): every Set-Cookie a response
 * gives is stored with its domain, path, expiry, Secure, HttpOnly and SameSite, and later requests
 * to matching URLs carry the matching cookies, as a browser would. Teardown runs on the same jar.
 *
 * tough-cookie (with its public-suffix list) costs ~17 ms to load, and most runs never see a
 * cookie: it is loaded on the first Set-Cookie. Until then the jar is empty and costs nothing.
 *
 * Secure cookies are kept and sent over https only, also on localhost (tough-cookie would treat
 * loopback as a secure context, as browsers do): a contract test should see what a real client
 * on the real host sees. A Secure cookie that arrives over http is dropped with a warning.
 */
import { createRequire } from 'node:module';
import type * as Tough from 'tough-cookie';

/** A cookie as a response set it: the name and value, and the attributes the jar keeps. */
export interface SetCookie {
  name: string;
  value: string;
  domain?: string;
  path?: string;
  /** ISO date, from Expires or Max-Age. */
  expires?: string;
  maxAge?: number;
  secure: boolean;
  httpOnly: boolean;
  sameSite?: string;
}

let tough: typeof Tough | undefined;
function loadTough(): typeof Tough {
  tough ??= createRequire(import.meta.url)('tough-cookie') as typeof Tough;
  return tough;
}

const isSecureUrl = (url: string) => /^(https|wss):/i.test(url);

/** What a Set-Cookie header says, or undefined when it is not a cookie (no `name=`). */
export function parseSetCookie(header: string): SetCookie | undefined {
  const c = loadTough().Cookie.parse(header, { loose: false });
  if (!c || !c.key) return undefined;
  return describe(c);
}

function describe(c: Tough.Cookie): SetCookie {
  const out: SetCookie = { name: c.key, value: c.value, secure: c.secure, httpOnly: c.httpOnly };
  if (c.domain) out.domain = c.domain;
  if (c.path) out.path = c.path;
  if (c.expires instanceof Date && Number.isFinite(c.expires.getTime())) out.expires = c.expires.toISOString();
  if (typeof c.maxAge === 'number') out.maxAge = c.maxAge;
  else if (c.maxAge === 'Infinity' || c.maxAge === '-Infinity') out.maxAge = c.maxAge === 'Infinity' ? Infinity : -Infinity;
  if (c.sameSite) out.sameSite = c.sameSite;
  return out;
}

/** Cached lookups kept at most (a run that calls thousands of URLs starts the cache over). */
const CACHE_LIMIT = 1000;

/**
 * Lookups are cached per URL until the jar changes or the first of their cookies expires (time
 * only ever removes cookies from a lookup, never adds one): a tough-cookie lookup costs ~40 µs,
 * paid otherwise on every request of a run that has a cookie. A Set-Cookie equal to the last one
 * stored for its name from the same place, without Max-Age (which would restart its clock), would
 * leave the jar as it is: it is not stored again (a server that repeats its session cookie on
 * every response costs ~30 µs per cookie per step otherwise).
 */
export class CookieJar {
  private jar?: Tough.CookieJar;
  private version = 0;
  private readonly cache = new Map<string, { version: number; until: number; cookies: Tough.Cookie[]; header?: string }>();
  /** Cookie name → `where\nheader` of the last Set-Cookie stored for it. */
  private readonly lastStored = new Map<string, string>();

  /** Whether any cookie was ever stored (an empty jar never loads tough-cookie). */
  get used(): boolean {
    return this.jar !== undefined;
  }

  /**
   * Stores what a response from `url` set. Returns a warning for each cookie the jar refused
   * (a Secure cookie over http, a domain that does not match the host, a public suffix …).
   */
  store(setCookies: readonly string[], url: string): string[] {
    if (!setCookies.length) return [];
    const t = loadTough();
    this.jar ??= new t.CookieJar(undefined, { allowSecureOnLocal: false, rejectPublicSuffixes: true, looseMode: false });
    const warnings: string[] = [];
    for (const header of setCookies) {
      const name = /^\s*([^=;\s]+)=/.exec(header)?.[1];
      const key = `${placeOf(url)}\n${header}`;
      if (name !== undefined && this.lastStored.get(name) === key && !/;\s*max-age\s*=/i.test(header)) continue;
      this.version++;
      if (name !== undefined) this.lastStored.delete(name);
      try {
        this.jar.setCookieSync(header, url, { http: true, ignoreError: false });
        // Only a cookie that was stored may be skipped next time: a refused one is refused (and said) again.
        if (name !== undefined) this.lastStored.set(name, key);
      } catch (err) {
        const name = /^\s*([^=;\s]+)=/.exec(header)?.[1] ?? 'a cookie';
        warnings.push(`cookie \`${name}\` from ${originOf(url)} was not kept: ${refusal(err, header, url)}`);
      }
    }
    return warnings;
  }

  /** The Cookie header for a request to `url` ('' when the jar has nothing for it). */
  header(url: string): string {
    if (!this.jar) return '';
    const hit = this.lookup(url);
    hit.header ??= hit.cookies.map((c) => c.cookieString()).join('; ');
    return hit.header;
  }

  /** The cookies a request to `url` would carry, name → value (the most specific path first wins). */
  values(url: string): Record<string, string> {
    const out = Object.create(null) as Record<string, string>;
    if (!this.jar) return out;
    for (const c of this.lookup(url).cookies) {
      if (!(c.key in out)) out[c.key] = c.value;
    }
    return out;
  }

  /** The cookies for `url`, in RFC 6265 order (longest path first, then oldest). */
  private lookup(url: string): { cookies: Tough.Cookie[]; header?: string } {
    const now = Date.now();
    const cached = this.cache.get(url);
    if (cached && cached.version === this.version && now < cached.until) return cached;
    const cookies = this.jar!.getCookiesSync(url, { http: true, secure: isSecureUrl(url), sort: true } as Tough.GetCookiesOptions);
    let until = Infinity;
    for (const c of cookies) {
      const t = c.expiryTime();
      if (typeof t === 'number' && t < until) until = t;
    }
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    const entry = { version: this.version, until, cookies };
    this.cache.set(url, entry);
    return entry;
  }
}

/**
 * The Cookie header a request sends: the one the notebook wrote, then the jar's cookies whose
 * names it does not already give (the notebook's own value wins).
 */
export function mergeCookieHeader(written: string | undefined, fromJar: string): string | undefined {
  if (!fromJar) return written;
  if (!written) return fromJar;
  const names = new Set(written.split(';').map((p) => p.split('=')[0].trim()));
  const extra = fromJar.split('; ').filter((p) => !names.has(p.split('=')[0].trim()));
  return extra.length ? `${written}; ${extra.join('; ')}` : written;
}

/** Where a Set-Cookie came from, as far as storing it goes: the origin and the folder of the path (its default Path). */
function placeOf(url: string): string {
  const q = url.search(/[?#]/);
  const base = q < 0 ? url : url.slice(0, q);
  return base.slice(0, base.lastIndexOf('/') + 1);
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** tough-cookie's reason, in the words a notebook author needs. */
function refusal(err: unknown, header: string, url: string): string {
  const message = (err as Error)?.message ?? String(err);
  if (/;\s*secure\b/i.test(header) && !isSecureUrl(url)) return 'it is `Secure` and came over http (Secure cookies are kept and sent over https only)';
  if (/domain/i.test(message)) return `its Domain does not match the host (${message})`;
  return message;
}

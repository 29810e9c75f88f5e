/**
 * Which proxy a request goes through, decided the way curl and Newman decide it:
 * `--proxy URL` for every request; else `https_proxy` / `HTTPS_PROXY` for https URLs (falling back
 * to the http one, as Newman and undici do) and `http_proxy` / `HTTP_PROXY` for http URLs, the
 * lower-case name first; `NO_PROXY` / `no_proxy` lists hosts that go direct (`*` for all, a name
 * for it and its subdomains, a leading `.` or `*.` ignored, `host:port` for one port only);
 * `--no-proxy` ignores the variables. A proxy that cannot be reached is an error, never a
 * silent direct connection.
 *
 * Credentials in a proxy URL (`http://user:password@proxy:3128`) are secrets: the run's redactor
 * learns them (see proxySecrets), and every message names a proxy by `display`, which has none.
 */

export interface ProxyRoute {
  /** The URL undici connects to, credentials included. */
  url: string;
  /** scheme://host:port, without credentials: what messages show. */
  display: string;
  /** Where the setting came from: `--proxy`, `HTTPS_PROXY`, `http_proxy`, … */
  source: string;
  hasCredentials: boolean;
}

export interface ProxyConfig {
  http?: ProxyRoute;
  https?: ProxyRoute;
  /** NO_PROXY entries. */
  noProxy: Array<{ host: string; port?: number }>;
  noProxySource?: string;
}

export class ProxySettingError extends Error {}

/** The proxies of a run, from the flags and the environment; undefined when there is none. */
export function proxyConfig(env: NodeJS.ProcessEnv, flags: { proxy?: string; noProxy?: boolean }): ProxyConfig | undefined {
  const noProxyVar = pick(env, 'no_proxy', 'NO_PROXY');
  const noProxy = parseNoProxy(noProxyVar?.value ?? '');
  if (flags.proxy !== undefined) {
    const route = proxyRoute(flags.proxy, '--proxy');
    return { http: route, https: route, noProxy, noProxySource: noProxyVar?.name };
  }
  if (flags.noProxy) return undefined;
  const httpVar = pick(env, 'http_proxy', 'HTTP_PROXY');
  const httpsVar = pick(env, 'https_proxy', 'HTTPS_PROXY');
  if (!httpVar && !httpsVar) return undefined;
  const http = httpVar ? proxyRoute(httpVar.value, httpVar.name) : undefined;
  const https = httpsVar ? proxyRoute(httpsVar.value, httpsVar.name) : http;
  return { http, https, noProxy, noProxySource: noProxyVar?.name };
}

/** The first of the names that is set and not empty. */
function pick(env: NodeJS.ProcessEnv, ...names: string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

/** `proxy:3128` means http://proxy:3128, as for curl. Only http(s) proxies are supported. */
export function proxyRoute(text: string, source: string): ProxyRoute {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ProxySettingError(`${source} is not a proxy URL (expected http://host:port, or http://user:password@host:port)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProxySettingError(`${source}: proxies of type ${url.protocol.slice(0, -1)} are not supported; use an http:// or https:// proxy URL`);
  }
  const display = `${url.protocol}//${url.host}`;
  return { url: url.href, display, source, hasCredentials: url.username !== '' || url.password !== '' };
}

/** The raw values of a proxy URL's credentials (and the user:password pair), for the redactor. */
export function proxySecrets(route: ProxyRoute): string[] {
  const url = new URL(route.url);
  const user = safeDecode(url.username);
  const password = safeDecode(url.password);
  const out: string[] = [];
  if (password) out.push(password, `${user}:${password}`);
  // The user name alone is a secret too when it is the whole credential (a token as the user).
  else if (user) out.push(user);
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function parseNoProxy(value: string): ProxyConfig['noProxy'] {
  const out: ProxyConfig['noProxy'] = [];
  for (const raw of value.split(/[,\s]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracketed) {
      out.push({ host: bracketed[1], port: bracketed[2] ? Number(bracketed[2]) : undefined });
      continue;
    }
    // One colon: host:port. More: a bare IPv6 address.
    const m = /^([^:]+):(\d+)$/.exec(entry);
    out.push({ host: (m ? m[1] : entry).replace(/^\*?\./, ''), port: m ? Number(m[2]) : undefined });
  }
  return out;
}

/** The proxy for `url`, or undefined when it goes direct. */
export function routeFor(config: ProxyConfig, url: URL): ProxyRoute | undefined {
  const route = url.protocol === 'https:' ? config.https : config.http;
  if (!route) return undefined;
  const host = url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  for (const entry of config.noProxy) {
    if (entry.host === '*') return undefined;
    if (entry.port !== undefined && entry.port !== port) continue;
    if (host === entry.host || host.endsWith(`.${entry.host}`)) return undefined;
  }
  return route;
}

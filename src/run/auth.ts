/**
 * Authentication headers. Basic and Bearer are rendered per request from their templates;
 * OAuth2 client-credentials tokens are fetched once per run, reused, and fetched again after a 401.
 * Every credential and token is handed to the redactor before it is sent anywhere.
 */
import type { Scope } from '../expr/index.js';
import { encodeForm } from '../http/encode.js';
import type { HttpClient } from '../http/client.js';
import type { TransportSettings } from '../http/tls.js';
import type { AuthSpec } from '../notebook/types.js';
import { shortSecretMessage, tooShortToRedact, type Redactor } from './redact.js';

export class AuthError extends Error {}

/**
 * Which auth a step's request carries. A step's own `auth:` (a form, or `none`) is what its author
 * asked for, wherever the request goes. The notebook's `auth` is inherited only by requests to
 * the base URL's origin (scheme, host and port, as browsers and undici's redirects decide what
 * keeps credentials): a URL written in full, or one a server handed back (a `next` link, a
 * `Location`), may name another host, and that host must not receive the notebook's credentials
 * (nor make the run fetch an OAuth2 token for it). `withheld` says the notebook's auth was left
 * off, so a 401 can say why.
 */
export function authFor(stepAuth: AuthSpec | 'inherit' | 'none', notebookAuth: AuthSpec | undefined, url: string, baseUrl: string): { spec?: AuthSpec; withheld: boolean } {
  if (stepAuth === 'none') return { withheld: false };
  if (stepAuth !== 'inherit') return { spec: stepAuth, withheld: false };
  if (!notebookAuth) return { withheld: false };
  return sameOrigin(url, baseUrl) ? { spec: notebookAuth, withheld: false } : { withheld: true };
}

/** `URL.origin` lower-cases the host and drops a default port: `HTTP://Api.test:80` is `http://api.test`. */
function sameOrigin(url: string, baseUrl: string): boolean {
  try {
    const origin = new URL(url).origin;
    return origin !== 'null' && origin === new URL(baseUrl).origin;
  } catch {
    return false;
  }
}

/** The warning on a step whose server asked for credentials the notebook's auth was kept from. */
export function withheldAuthWarning(url: string, baseUrl: string): string {
  let origin = url;
  try {
    origin = new URL(url).origin;
  } catch {}
  return `the notebook's \`auth\` was not sent to ${origin}: it goes only to the base URL's origin${baseUrl ? '' : ' (there is no base URL)'}; to send credentials there, write \`auth:\` on this step`;
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

export class AuthProvider {
  private readonly tokens = new Map<string, Promise<CachedToken>>();

  constructor(private readonly http: HttpClient, private readonly redactor: Redactor, private readonly timeoutMs: number) {}

  /** timeoutMs: the deadline of the request these headers go on; a token request obeys it too, and `transport` (the notebook's TLS defaults). */
  async headers(spec: AuthSpec | undefined, scope: Scope, signal?: AbortSignal, timeoutMs = this.timeoutMs, transport?: TransportSettings): Promise<Record<string, string>> {
    if (!spec) return {};
    switch (spec.kind) {
      case 'basic': {
        const user = String(spec.username.render(scope) ?? '');
        const pass = String(spec.password.render(scope) ?? '');
        const value = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
        this.secret(pass, 'the basic-auth password');
        this.redactor.add(value.slice(6));
        return { authorization: value };
      }
      case 'bearer': {
        const token = String(spec.token.render(scope) ?? '');
        this.secret(token, 'the bearer token');
        return { authorization: `Bearer ${token}` };
      }
      case 'oauth2': {
        const { token } = await this.oauthToken(spec, scope, signal, timeoutMs, transport);
        return { authorization: `Bearer ${token}` };
      }
    }
  }

  /** Hands a credential to the redactor; one too short to redact is refused before it is sent. */
  private secret(value: string, what: string): void {
    if (tooShortToRedact(value)) throw new AuthError(shortSecretMessage(what, value));
    this.redactor.add(value);
  }

  /** After a 401, the next request fetches a new token. Returns whether there was one to drop. */
  invalidate(spec: AuthSpec | undefined, scope: Scope): boolean {
    if (spec?.kind !== 'oauth2') return false;
    return this.tokens.delete(this.key(spec, scope));
  }

  private key(spec: Extract<AuthSpec, { kind: 'oauth2' }>, scope: Scope): string {
    return `${spec.tokenUrl.render(scope)}\n${spec.clientId.render(scope)}`;
  }

  private oauthToken(spec: Extract<AuthSpec, { kind: 'oauth2' }>, scope: Scope, signal: AbortSignal | undefined, timeoutMs: number, transport?: TransportSettings): Promise<CachedToken> {
    const key = this.key(spec, scope);
    const cached = this.tokens.get(key);
    if (cached) {
      return cached.then((t) => {
        if (t.expiresAt > Date.now()) return t;
        this.tokens.delete(key);
        return this.oauthToken(spec, scope, signal, timeoutMs, transport);
      });
    }
    const pending = this.fetchToken(spec, scope, signal, timeoutMs, transport);
    this.tokens.set(key, pending);
    pending.catch(() => this.tokens.delete(key));
    return pending;
  }

  private async fetchToken(spec: Extract<AuthSpec, { kind: 'oauth2' }>, scope: Scope, signal: AbortSignal | undefined, timeoutMs: number, transport?: TransportSettings): Promise<CachedToken> {
    const tokenUrl = String(spec.tokenUrl.render(scope));
    const clientId = String(spec.clientId.render(scope));
    const clientSecret = String(spec.clientSecret.render(scope));
    // RFC 6749 §2.3.1: client credentials in HTTP Basic, which every server must accept.
    const credentials = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
    this.secret(clientSecret, 'the OAuth2 client secret');
    this.redactor.add(credentials);
    const res = await this.http.send({
      method: 'POST',
      url: tokenUrl,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        authorization: `Basic ${credentials}`,
      },
      body: encodeForm({ grant_type: 'client_credentials', scope: spec.scopes.length ? spec.scopes.join(' ') : undefined }),
      timeoutMs,
      ...(transport ? { transport } : {}),
    }, signal);
    const body = res.body as { access_token?: unknown; expires_in?: unknown } | null;
    if (res.status !== 200 || typeof body?.access_token !== 'string') {
      throw new AuthError(`OAuth2 token request to ${tokenUrl} answered ${res.status} without an access_token`);
    }
    this.secret(body.access_token, `the OAuth2 access token from ${tokenUrl}`);
    const ttl = typeof body.expires_in === 'number' ? body.expires_in * 1000 : 3_600_000;
    return { token: body.access_token, expiresAt: Date.now() + ttl - 5_000 };
  }
}

/**
 * The transport settings of one request: the notebook's `defaults.tls` / `defaults.http2` under
 * the request's own (key by key), with the passphrase rendered. The run's flags (--ca, …) lie
 * under both; the HTTP client adds them (src/http/client.ts).
 */
import type { Scope } from '../expr/index.js';
import { mergeTransport, type TlsSettings, type TransportSettings } from '../http/tls.js';
import type { TlsSpec } from '../notebook/transport-spec.js';
import type { Notebook, RequestSpec } from '../notebook/types.js';

export function renderTransport(spec: RequestSpec, nb: Notebook, scope: Scope): TransportSettings | undefined {
  const d = nb.defaults;
  // Most notebooks set none of it: nothing is built per request.
  if (!d.tls && !spec.tls && d.http2 === undefined && spec.http2 === undefined) return undefined;
  return mergeTransport({ tls: tlsSettings(d.tls, scope), http2: d.http2 }, { tls: tlsSettings(spec.tls, scope), http2: spec.http2 });
}

function tlsSettings(spec: TlsSpec | undefined, scope: Scope): TlsSettings {
  const out: TlsSettings = {};
  if (!spec) return out;
  if (spec.ca) out.ca = spec.ca.map((f) => f.value);
  if (spec.cert) out.cert = spec.cert.value;
  if (spec.key) out.key = spec.key.value;
  if (spec.pfx) out.pfx = spec.pfx.value;
  if (spec.passphrase) {
    const value = spec.passphrase.render(scope);
    if (value !== null && value !== undefined) out.passphrase = String(value);
  }
  if (spec.insecure) out.insecure = spec.insecure.value;
  return out;
}

/** The notebook's own settings (`defaults:` only): for requests it makes itself, such as OAuth2 token requests. */
export function notebookTransport(nb: Notebook, scope: Scope): TransportSettings | undefined {
  const d = nb.defaults;
  if (!d.tls && d.http2 === undefined) return undefined;
  return { tls: d.tls ? tlsSettings(d.tls, scope) : undefined, http2: d.http2 };
}

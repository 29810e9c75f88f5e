/**
 * TLS settings of a request: which CAs to trust, which client certificate to present, whether
 * to verify at all, and whether to offer HTTP/2. The notebook names files (already resolved to
 * absolute paths and checked against the file rule by the loader's caller, see tls-files.ts);
 * here they are read once per distinct setting and turned into the options of undici's connector.
 */
import { readFileSync } from 'node:fs';
import { readTextIfPresent } from '../files/read-text.js';
import { createSecureContext, rootCertificates, type SecureContextOptions } from 'node:tls';

export interface TlsSettings {
  /** PEM files of CAs trusted on top of the system's (and NODE_EXTRA_CA_CERTS). */
  ca?: string[];
  /** Client certificate (PEM) and its key (PEM), or both in one PKCS#12 file (`pfx`). */
  cert?: string;
  key?: string;
  pfx?: string;
  /** Of the key or the pfx. A secret: the caller has given it to the redactor. */
  passphrase?: string;
  /** Accept any certificate (expired, self-signed, another host's). */
  insecure?: boolean;
}

/** What decides which dispatcher a request goes through. */
export interface TransportSettings {
  tls?: TlsSettings;
  /** Offer h2 in ALPN (TLS only); the server may still answer in HTTP/1.1. */
  http2?: boolean;
}

/**
 * The run's defaults (flags) under the notebook's, under the request's: key by key, the later
 * wins, except `ca`: CAs add up (trusting the proxy's CA from --ca and the staging server's from
 * the notebook is the usual case, and a CA only ever adds trust the user chose).
 */
export function mergeTransport(base: TransportSettings | undefined, over: TransportSettings | undefined): TransportSettings {
  if (!over) return base ?? {};
  if (!base) return over;
  let tls: TlsSettings | undefined;
  if (base.tls || over.tls) {
    tls = { ...base.tls, ...stripUndefined(over.tls) };
    const ca = [...new Set([...(base.tls?.ca ?? []), ...(over.tls?.ca ?? [])])];
    if (ca.length) tls.ca = ca;
  }
  return { tls, http2: over.http2 ?? base.http2 };
}

function stripUndefined<T extends object>(o: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o ?? {})) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** One string per distinct setting: the key of the dispatcher cache (kept in memory only). */
export function transportKey(t: TransportSettings): string {
  const tls = t.tls ?? {};
  return JSON.stringify([tls.ca ?? [], tls.cert ?? '', tls.key ?? '', tls.pfx ?? '', tls.passphrase ?? '', tls.insecure === true, t.http2 === true]);
}

/** Whether any TLS option is set (else node's defaults, with no file read). */
export function hasTlsOptions(tls: TlsSettings | undefined): boolean {
  return !!tls && !!(tls.ca?.length || tls.cert || tls.key || tls.pfx || tls.insecure);
}

/** A TLS setting that cannot be used: a file that cannot be read, a wrong passphrase, a key that does not fit. */
export class TlsSetupError extends Error {}

/**
 * The connector options for `tls`. The CAs given are added to node's root store (and to the
 * certificates of NODE_EXTRA_CA_CERTS): node's `ca` option replaces the defaults, and a notebook
 * that trusts its staging CA must still reach public hosts. The options are tried once here with
 * createSecureContext, so that a wrong passphrase or a key that does not match its certificate
 * is one clear error before anything is sent, not a handshake failure per request.
 */
export function connectorTlsOptions(tls: TlsSettings | undefined): SecureContextOptions & { rejectUnauthorized?: boolean } {
  if (!hasTlsOptions(tls)) return {};
  const t = tls!;
  const out: SecureContextOptions & { rejectUnauthorized?: boolean } = {};
  if (t.ca?.length) out.ca = [...rootCertificates, ...extraCaCertificates(), ...t.ca.map((f) => readPem(f, 'CA file (tls.ca / --ca)'))];
  if (t.cert) out.cert = readPem(t.cert, 'client certificate (tls.cert / --cert)');
  if (t.key) out.key = readPem(t.key, 'client key (tls.key / --key)');
  if (t.pfx) out.pfx = readBytes(t.pfx, 'PKCS#12 file (tls.pfx)');
  if (t.passphrase !== undefined) out.passphrase = t.passphrase;
  if (t.insecure) out.rejectUnauthorized = false;
  if (t.cert && !t.key) throw new TlsSetupError(`a client certificate needs its key: \`tls.cert\` is ${t.cert} but there is no \`tls.key\` (or --key)`);
  if (t.key && !t.cert) throw new TlsSetupError(`a client key needs its certificate: \`tls.key\` is ${t.key} but there is no \`tls.cert\` (or --cert)`);
  try {
    createSecureContext(out);
  } catch (err) {
    throw new TlsSetupError(setupProblem(err as Error & { code?: string; reason?: string }, t));
  }
  return out;
}

function setupProblem(err: Error & { code?: string; reason?: string }, t: TlsSettings): string {
  const keyFile = t.pfx ?? t.key;
  const text = `${err.code ?? ''} ${err.reason ?? ''} ${err.message}`;
  // A wrong passphrase usually fails the padding check (bad decrypt), but about once in 256 keys the
  // garbage it decrypts to passes it and fails as a parse error instead: an encrypted key with a
  // passphrase that will not parse was decrypted wrong.
  const wrongDecrypt = t.passphrase !== undefined && !!t.key && /ENCRYPTED/.test(readTextIfPresent(t.key)?.slice(0, 200) ?? '') && /unsupported|wrong tag|not enough data|asn1|header too long/i.test(text);
  if (wrongDecrypt || /BAD_DECRYPT|bad decrypt|mac verify failure|BAD_PASSWORD_READ|bad password/i.test(text)) {
    return `the ${t.pfx ? 'PKCS#12 file' : 'client key'} ${keyFile} cannot be decrypted: ${t.passphrase === undefined ? 'it is encrypted and no `tls.passphrase` is given' : 'the passphrase (`tls.passphrase`) is wrong'}`;
  }
  if (/KEY_VALUES_MISMATCH|key values mismatch/i.test(text)) return `the client key ${t.key} does not belong to the certificate ${t.cert}`;
  if (/no start line|NO_START_LINE|bad base64|not enough data|wrong tag|unsupported/i.test(text)) {
    return `a TLS file cannot be read as a certificate or key (${err.reason ?? err.message}); PEM files start with -----BEGIN …-----, a \`pfx\` is PKCS#12 (.p12/.pfx)`;
  }
  return `the TLS settings cannot be used: ${err.reason ?? err.message}`;
}

/** The certificates of NODE_EXTRA_CA_CERTS, which node adds to its defaults but not to an explicit `ca`. */
function extraCaCertificates(): string[] {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (!file) return [];
  try {
    return [readFileSync(file, 'utf8')];
  } catch {
    return []; // node has already warned about it at start-up
  }
}

function readPem(file: string, what: string): string {
  return readBytes(file, what).toString('utf8');
}

function readBytes(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new TlsSetupError(`the ${what} ${file} cannot be read (${code === 'ENOENT' ? 'no such file' : code ?? (err as Error).message})`);
  }
}

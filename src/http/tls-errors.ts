/**
 * A TLS failure in words, with what to do about it. Node reports an untrusted certificate by an
 * OpenSSL code (SELF_SIGNED_CERT_IN_CHAIN), and a client certificate the server wanted only as
 * an alert after the handshake (undici then says "other side closed"): a user needs to read
 * "the server asks for a client certificate; give one with tls.cert and tls.key".
 *
 * For an untrusted or expired certificate, the certificate is fetched once more without
 * verifying it (a second connection, only on this failure path, never through a proxy) to name
 * its issuer, its names or its dates.
 */
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';
import type { TlsSettings } from './tls.js';

export interface TlsProblem {
  message: string;
  hint: string;
}

const UNKNOWN_CA = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE']);
const SELF_SIGNED = 'DEPTH_ZERO_SELF_SIGNED_CERT';
const CA_HINT = 'trust the CA that signed it with `tls: { ca: ca.pem }` (under `defaults:` or on the request) or --ca ca.pem (NODE_EXTRA_CA_CERTS works too); for a throwaway test server only, `tls: { insecure: true }` or --insecure';

/** The alerts a server sends when it wanted a client certificate and got none. */
const CERT_REQUIRED = /ALERT_CERTIFICATE_REQUIRED|ALERT_HANDSHAKE_FAILURE/;
/** The alerts a server sends when it refuses the client certificate it got. */
const CERT_REJECTED = /ALERT_(UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_UNKNOWN|CERTIFICATE_EXPIRED|CERTIFICATE_REVOKED|UNSUPPORTED_CERTIFICATE|DECRYPT_ERROR|ACCESS_DENIED)/;

export function isVerificationCode(code: string | undefined): boolean {
  return !!code && (UNKNOWN_CA.has(code) || code === SELF_SIGNED || code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID');
}

/** Explains a failed handshake or verification of `url`'s certificate; undefined when it is not one. */
export async function explainTlsFailure(err: Error & { code?: string; cert?: PeerCertificate; reason?: string }, url: URL, tls: TlsSettings | undefined, viaProxy: boolean): Promise<TlsProblem | undefined> {
  const code = err.code;
  const host = url.host;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = err.cert?.subjectaltname ?? (await peerCertificate(url, viaProxy))?.subjectaltname;
    return {
      message: `the certificate of ${host} is not for ${url.hostname}: it holds ${names ? names.replace(/,\s*/g, ', ') : 'other names'}`,
      hint: 'use a URL with one of the names the certificate holds, or give the server a certificate that includes this host name',
    };
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    const cert = await peerCertificate(url, viaProxy);
    const expired = code === 'CERT_HAS_EXPIRED';
    const when = cert ? ` ${expired ? 'on' : 'before'} ${isoDate(expired ? cert.valid_to : cert.valid_from)}` : '';
    return {
      message: `the certificate of ${host} ${expired ? 'expired' : 'is not valid yet: it starts'}${when} (this machine's clock says ${new Date().toISOString()})`,
      hint: expired ? 'renew the server\'s certificate; for a throwaway test server only, `tls: { insecure: true }` or --insecure' : 'check the clocks of this machine and of the server',
    };
  }
  if (code === SELF_SIGNED || (code && UNKNOWN_CA.has(code))) {
    const cert = await peerCertificate(url, viaProxy);
    const issuer = cert?.issuer ? describeName(cert.issuer) : undefined;
    const what = code === SELF_SIGNED || code === 'SELF_SIGNED_CERT_IN_CHAIN'
      ? `is self-signed${issuer ? ` (${code === SELF_SIGNED ? 'by' : 'its chain ends at'} ${issuer})` : ''}`
      : `is signed by a certificate authority this run does not trust${issuer ? ` (${issuer})` : ''}`;
    const given = tls?.ca?.length ? ` (the CA files given, ${tls.ca.join(', ')}, did not sign it)` : '';
    const hint = code === SELF_SIGNED ? `trust the certificate itself (it is its own CA): save it as a PEM file and give it as \`tls: { ca: server.pem }\` or --ca server.pem; for a throwaway test server only, \`tls: { insecure: true }\` or --insecure` : CA_HINT;
    return { message: `the certificate of ${host} ${what}${given} [${code}]`, hint };
  }
  if (code && CERT_REQUIRED.test(code) && !tls?.cert && !tls?.pfx) {
    return {
      message: `the server ${host} asks for a client certificate, and none was sent`,
      hint: 'give one with `tls: { cert: client.pem, key: client-key.pem }` (or `pfx: client.p12`, with `passphrase:` if the key is encrypted), or --cert and --key',
    };
  }
  if (code && (CERT_REJECTED.test(code) || CERT_REQUIRED.test(code))) {
    return {
      message: `the server ${host} rejected the client certificate ${tls?.cert ?? tls?.pfx ?? ''} (${alertName(code)})`.replace('  (', ' ('),
      hint: 'check that the certificate is signed by a CA the server trusts, is not expired, and is the one meant for this server',
    };
  }
  if (code?.startsWith('ERR_SSL_') || code?.startsWith('ERR_TLS_') || /SSL routines|wrong version number/i.test(err.message)) {
    const plain = /wrong version number|WRONG_VERSION_NUMBER/i.test(`${code} ${err.message}`);
    return {
      message: `the handshake with ${host} failed (${err.reason ?? alertName(code ?? '')})`,
      hint: plain ? `the server does not speak TLS on this port: try http:// instead of https://` : 'check the server\'s TLS configuration (protocol versions, ciphers)',
    };
  }
  return undefined;
}

/** A closed connection on a dispatcher that presented a client certificate and never got an answer. */
export function rejectedCertificateGuess(url: URL, tls: TlsSettings | undefined): TlsProblem {
  return {
    message: `the server ${url.host} closed the connection right after the handshake without answering: it most likely rejected the client certificate ${tls?.cert ?? tls?.pfx ?? ''}`.trimEnd(),
    hint: 'check that the certificate is signed by a CA the server trusts, is not expired, and is the one meant for this server',
  };
}

function alertName(code: string): string {
  const m = /ALERT_([A-Z_]+)$/.exec(code);
  return m ? `TLS alert: ${m[1].toLowerCase().replace(/_/g, ' ')}` : code;
}

function describeName(name: PeerCertificate['issuer']): string {
  const parts = [name.CN && `CN=${name.CN}`, name.O && `O=${name.O}`].filter(Boolean);
  return parts.length ? parts.join(', ') : 'an unnamed issuer';
}

function isoDate(text: string): string {
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? text : d.toISOString();
}

/** The server's certificate, read without verifying it; undefined if that fails within 3 s. */
function peerCertificate(url: URL, viaProxy: boolean): Promise<PeerCertificate | undefined> {
  if (viaProxy) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const socket = tlsConnect({ host: hostname, port: Number(url.port) || 443, servername: /^[\d.]+$|:/.test(hostname) ? undefined : hostname, rejectUnauthorized: false });
    const done = (cert?: PeerCertificate) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(cert && Object.keys(cert).length ? cert : undefined);
    };
    const timer = setTimeout(() => done(), 3000);
    socket.once('secureConnect', () => done(socket.getPeerCertificate()));
    socket.once('error', () => done());
  });
}

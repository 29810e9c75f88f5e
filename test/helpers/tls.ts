/**
 * Certificates and servers for the network tests, all made here on 127.0.0.1: a private CA and
 * leaves it signs (valid, expired, for another host name), a client certificate with an
 * encrypted key, HTTPS servers (one that requires a client certificate), an HTTP/2 server, and
 * a real forwarding proxy (npm `proxy`) that counts what went through it.
 */
import { writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createSecureServer } from 'node:http2';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createProxy } from 'proxy';
import { generate } from 'selfsigned';

export interface Pem {
  cert: string;
  key: string;
}

export interface Certificates {
  ca: Pem;
  /** Another CA, which signed nothing the servers use. */
  otherCa: Pem;
  server: Pem;
  expired: Pem;
  wrongHost: Pem;
  selfSigned: Pem;
  /** Signed by the CA; its key is encrypted with `clientPassphrase`. */
  client: Pem;
  /** Signed by the other CA: a server trusting only the CA rejects it. */
  strangerClient: Pem;
  clientPassphrase: string;
}

const EC = { keyType: 'ec' as const, algorithm: 'sha256' as const };

async function makeCa(name: string): Promise<Pem> {
  const pems = await generate([{ name: 'commonName', value: name }], {
    ...EC,
    extensions: [{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true }],
  });
  return { cert: pems.cert, key: pems.private };
}

async function makeLeaf(ca: Pem, commonName: string, options: { names?: string[]; notBefore?: Date; notAfter?: Date; passphrase?: string } = {}): Promise<Pem> {
  const names = options.names ?? ['localhost', '127.0.0.1'];
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    ...EC,
    ca: { key: ca.key, cert: ca.cert },
    notBeforeDate: options.notBefore,
    notAfterDate: options.notAfter,
    passphrase: options.passphrase,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
      { name: 'subjectAltName', altNames: names.map((n) => (/^[\d.]+$/.test(n) ? { type: 7, ip: n } : { type: 2, value: n })) },
    ],
  } as never);
  return { cert: pems.cert, key: pems.private };
}

export async function makeCertificates(): Promise<Certificates> {
  const ca = await makeCa('api-notebook test CA');
  const otherCa = await makeCa('Somebody else CA');
  const clientPassphrase = 'cl1ent-k3y "pass" & <phrase>';
  const [server, expired, wrongHost, client, strangerClient] = await Promise.all([
    makeLeaf(ca, 'localhost'),
    makeLeaf(ca, 'localhost', { notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') }),
    makeLeaf(ca, 'staging.example.test', { names: ['staging.example.test', 'api.example.test'] }),
    makeLeaf(ca, 'notebook client', { passphrase: clientPassphrase, names: ['client.example.test'] }),
    makeLeaf(otherCa, 'stranger client', { names: ['stranger.example.test'] }),
  ]);
  const self = await generate([{ name: 'commonName', value: 'localhost' }], EC);
  return { ca, otherCa, server, expired, wrongHost, client, strangerClient, clientPassphrase, selfSigned: { cert: self.cert, key: self.private } };
}

/** Writes the PEM files a notebook names into `dir`. */
export function writeCertificateFiles(dir: string, certs: Certificates): void {
  writeFileSync(join(dir, 'ca.pem'), certs.ca.cert);
  writeFileSync(join(dir, 'other-ca.pem'), certs.otherCa.cert);
  writeFileSync(join(dir, 'client.pem'), certs.client.cert);
  writeFileSync(join(dir, 'client-key.pem'), certs.client.key);
  writeFileSync(join(dir, 'stranger.pem'), certs.strangerClient.cert);
  writeFileSync(join(dir, 'stranger-key.pem'), certs.strangerClient.key);
}

export interface Running {
  url: string;
  port: number;
  /** Requests answered, with the client certificate's subject when one was presented. */
  seen: Array<{ method: string; url: string; clientCn?: string; httpVersion: string; headers: IncomingMessage['headers']; body: string }>;
  close(): Promise<void>;
}

type Answer = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const echo: Answer = (req, res, body) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ ok: true, path: req.url, httpVersion: req.httpVersion, body }));
};

function recording(seen: Running['seen'], answer: Answer) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const peer = (req.socket as { getPeerCertificate?: () => { subject?: { CN?: string } } }).getPeerCertificate?.();
      seen.push({ method: req.method ?? 'GET', url: req.url ?? '/', clientCn: peer?.subject?.CN, httpVersion: req.httpVersion, headers: req.headers, body });
      answer(req, res, body);
    });
  };
}

async function listen(server: import('node:net').Server & { closeAllConnections?: () => void }, scheme: string, seen: Running['seen']): Promise<Running> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s: import('node:net').Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An HTTPS server with `pem`; `clientCa` makes it require a client certificate signed by that CA. */
export async function startHttpsServer(pem: Pem, options: { clientCa?: string; answer?: Answer } = {}): Promise<Running> {
  const seen: Running['seen'] = [];
  const tls: ServerOptions = { cert: pem.cert, key: pem.key, ...(options.clientCa ? { requestCert: true, rejectUnauthorized: true, ca: options.clientCa } : {}) };
  return listen(createHttpsServer(tls, recording(seen, options.answer ?? echo)), 'https', seen);
}

/** A plain HTTP server answering like the HTTPS ones. */
export async function startHttpServer(answer: Answer = echo): Promise<Running> {
  const seen: Running['seen'] = [];
  return listen(createHttpServer(recording(seen, answer)), 'http', seen);
}

/** An HTTP/2 server over TLS; with `allowHTTP1`, an HTTP/1.1 client is answered too. */
export async function startHttp2Server(pem: Pem, allowHTTP1 = false): Promise<Running> {
  const seen: Running['seen'] = [];
  const server = createSecureServer({ cert: pem.cert, key: pem.key, allowHTTP1 }, recording(seen, echo) as never);
  return listen(server as never, 'https', seen);
}

export interface RunningProxy extends Running {
  /** Requests forwarded (GET http://…) and tunnels opened (CONNECT host:port). */
  forwarded: string[];
  tunnels: string[];
  /** Proxy-Authorization headers received. */
  auth: string[];
}

/** A real forwarding proxy (npm `proxy`); with `credentials`, it wants Basic auth with them. */
export async function startProxy(credentials?: { user: string; password: string }): Promise<RunningProxy> {
  const forwarded: string[] = [];
  const tunnels: string[] = [];
  const auth: string[] = [];
  const server = createProxy(createHttpServer());
  server.prependListener('request', (req: IncomingMessage) => forwarded.push(`${req.method} ${req.url}`));
  server.prependListener('connect', (req: IncomingMessage) => tunnels.push(String(req.url)));
  server.authenticate = (req) => {
    const header = String(req.headers['proxy-authorization'] ?? '');
    if (header) auth.push(header);
    if (!credentials) return true;
    return header === `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
  };
  const running = await listen(server, 'http', []);
  return { ...running, forwarded, tunnels, auth };
}

/** A port nothing listens on (a server started and closed). */
export async function deadPort(): Promise<number> {
  const s = createHttpServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Environment for a child run with no proxy variables from this machine. */
export const NO_PROXY_ENV: Record<string, undefined> = { HTTP_PROXY: undefined, http_proxy: undefined, HTTPS_PROXY: undefined, https_proxy: undefined, NO_PROXY: undefined, no_proxy: undefined, NODE_EXTRA_CA_CERTS: undefined };

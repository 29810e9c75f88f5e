/**
 * docs/real-apis.md works as written: its notebooks run against real servers on 127.0.0.1
 * standing in for the staging hosts (an HTTPS server with a leaf of a private CA, one that wants
 * a client certificate), through a real proxy; the error lines it quotes are what the runner
 * prints (host names and timings aside); the cookie login (a 303 with a Secure session cookie,
 * through the proxy) and the file upload (parsed by busboy, compared by SHA-256) work as written.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import busboy from 'busboy';
import { ROOT, runCli, tempDir } from './helpers/cli.js';
import { deadPort, makeCertificates, NO_PROXY_ENV, startHttpsServer, startProxy, type Certificates, type Running, type RunningProxy } from './helpers/tls.js';

const DOC = readFileSync(join(ROOT, 'docs', 'real-apis.md'), 'utf8');

function example(name: string): string {
  const m = new RegExp(`<!-- real-apis-example: ${name.replace('.', '\\.')} -->\\n\`\`\`yaml\\n([\\s\\S]*?)\`\`\``).exec(DOC);
  assert.ok(m, `docs/real-apis.md has the example ${name}`);
  return m[1];
}

/** The `error (…)` lines the doc quotes, as patterns: the doc's hosts stand for any host here. */
function quotedErrors(): RegExp[] {
  return [...DOC.matchAll(/^\s+(error \((?:tls|proxy)\): .*)$/gm)].map((m) => {
    const escaped = m[1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(escaped
      .replace(/proxy\\\.corp\\\.example:3128/g, '127\\.0\\.0\\.1:\\d+')
      .replace(/staging\\\.internal\\\.example/g, '127\\.0\\.0\\.1(?::\\d+)?')
      .replace(/CN=Example Corp Staging CA/g, 'CN=[^)]+'));
  });
}

const PASSWORD = 'staging-login-password-42';
const SESSION = randomBytes(16).toString('hex');
const CSV = 'email,name\nada@example.com,Ada\ngrace@example.com,Grace\n';

/** The staging server's login: a form POST answered 303 with a Secure session cookie; /account wants it. */
function login(req: IncomingMessage, res: ServerResponse, body: string): boolean {
  if (req.method === 'POST' && req.url === '/login') {
    const form = new URLSearchParams(body);
    if (form.get('user') !== 'ci-bot' || form.get('password') !== PASSWORD) res.writeHead(401).end();
    else res.writeHead(303, { location: '/account', 'set-cookie': `session=${SESSION}; Path=/; Secure; HttpOnly; SameSite=Lax` }).end();
    return true;
  }
  if (req.url !== '/account') return false;
  const ok = String(req.headers.cookie ?? '').split(/;\s*/).includes(`session=${SESSION}`);
  res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify(ok ? { user: 'ci-bot' } : { error: 'log in first' }));
  return true;
}

/** An import endpoint: multipart parsed by busboy; what arrived is kept with its SHA-256. */
const imports = new Map<string, { kind?: string; filename?: string; contentType?: string; sha256: string; rows: number }>();
function upload(req: IncomingMessage, res: ServerResponse, body: string): boolean {
  if (req.url?.startsWith('/imports/')) {
    const found = imports.get(req.url.slice('/imports/'.length));
    res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(found ?? {}));
    return true;
  }
  if (req.method !== 'POST' || req.url !== '/imports') return false;
  const parsed: { kind?: string; filename?: string; contentType?: string; data?: Buffer } = {};
  const bb = busboy({ headers: req.headers });
  bb.on('field', (name, value) => { if (name === 'kind') parsed.kind = value; });
  bb.on('file', (_name, stream, info) => {
    const chunks: Buffer[] = [];
    Object.assign(parsed, { filename: info.filename, contentType: info.mimeType });
    stream.on('data', (c: Buffer) => chunks.push(c)).on('end', () => { parsed.data = Buffer.concat(chunks); });
  });
  bb.on('close', () => {
    const id = `imp_${imports.size + 1}`;
    const data = parsed.data ?? Buffer.alloc(0);
    const record = { kind: parsed.kind, filename: parsed.filename, contentType: parsed.contentType, sha256: createHash('sha256').update(data).digest('hex'), rows: data.toString().trim().split('\n').length - 1 };
    imports.set(id, record);
    res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id, ...record }));
  });
  bb.end(Buffer.from(body, 'utf8'));
  return true;
}

let certs: Certificates;
let staging: Running;
let partner: Running;
let proxy: RunningProxy;
let dir: string;

before(async () => {
  certs = await makeCertificates();
  const answer = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, body: string) => {
    if (login(req, res, body) || upload(req, res, body)) return;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(req.url === '/health' ? { ok: true } : { version: '1.2.3', whoami: 'ci' }));
  };
  [staging, partner, proxy] = await Promise.all([startHttpsServer(certs.server, { answer }), startHttpsServer(certs.server, { clientCa: certs.ca.cert, answer }), startProxy()]);
  dir = tempDir('real-apis-');
  mkdirSync(join(dir, 'certs'));
  writeFileSync(join(dir, 'certs', 'staging-ca.pem'), certs.ca.cert);
  writeFileSync(join(dir, 'certs', 'client.pem'), certs.client.cert);
  writeFileSync(join(dir, 'certs', 'client-key.pem'), certs.client.key);
  writeFileSync(join(dir, 'staging.yaml'), example('staging.yaml'));
  writeFileSync(join(dir, 'partner.yaml'), example('partner.yaml'));
  writeFileSync(join(dir, 'login.yaml'), example('login.yaml'));
  writeFileSync(join(dir, 'upload.yaml'), example('upload.yaml'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'customers.csv'), CSV);
  // The same notebook without its CA: the doc's first error.
  writeFileSync(join(dir, 'no-ca.yaml'), example('staging.yaml').replace(/  tls:\n    ca: certs\/staging-ca\.pem\n/, ''));
});

after(async () => {
  await Promise.all([staging, partner, proxy].map((s) => s?.close()));
});

const run = (file: string, baseUrl: string, env: Record<string, string | undefined> = {}, out = tempDir()) =>
  runCli(['run', join(dir, file), '--base-url', baseUrl, '--out', out, '--reporter', 'console,json,junit,html,markdown'], { env: { ...NO_PROXY_ENV, ...env } });

describe('docs/real-apis.md', () => {
  it('the staging notebook runs through the proxy with the private CA', async () => {
    const tunnels = proxy.tunnels.length;
    const r = await run('staging.yaml', staging.url, { HTTPS_PROXY: proxy.url, NO_PROXY: '' });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(proxy.tunnels.length > tunnels, 'the requests went through the proxy');
    assert.ok(proxy.tunnels.slice(tunnels).every((t) => t === `127.0.0.1:${staging.port}`));
  });

  it('the errors it quotes are the ones printed: no CA, and a proxy that is down', async () => {
    const [noCa, proxyDown] = quotedErrors();
    assert.ok(noCa && proxyDown, 'the doc quotes two errors');
    const r1 = await run('no-ca.yaml', staging.url);
    assert.equal(r1.code, 1);
    assert.match(r1.stdout, noCa);
    const r2 = await run('staging.yaml', staging.url, { HTTPS_PROXY: `http://127.0.0.1:${await deadPort()}` });
    assert.equal(r2.code, 1);
    assert.match(r2.stdout, proxyDown);
  });

  it('the partner notebook presents its client certificate with the passphrase from a secret input', async () => {
    const r = await run('partner.yaml', partner.url, { CLIENT_KEY_PASSPHRASE: certs.clientPassphrase });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(partner.seen.at(-1)?.clientCn, 'notebook client');
    assert.doesNotMatch(r.stdout + r.stderr, new RegExp(certs.clientPassphrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });

  it('the cookie login logs in through the proxy, the jar carries the session, and the cookie and password never appear', async () => {
    const tunnels = proxy.tunnels.length;
    const out = tempDir();
    const r = await run('login.yaml', staging.url, { STAGING_PASSWORD: PASSWORD, HTTPS_PROXY: proxy.url, NO_PROXY: '' }, out);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(proxy.tunnels.length > tunnels, 'the login went through the proxy');
    const account = staging.seen.filter((s) => s.url === '/account');
    assert.ok(account.length >= 2 && account.slice(-2).every((s) => String(s.headers.cookie).includes(`session=${SESSION}`)), 'both /account requests carried the session');
    for (const f of ['report.json', 'junit.xml', 'report.html', 'report.md']) {
      const text = readFileSync(join(out, f), 'utf8');
      for (const secret of [SESSION, PASSWORD, encodeURIComponent(PASSWORD)]) assert.ok(!text.includes(secret), `${f} holds a secret`);
    }
    assert.ok(!(r.stdout + r.stderr).includes(SESSION));
    // A wrong password: no cookie, and the checks say so.
    const bad = await run('login.yaml', staging.url, { STAGING_PASSWORD: 'wrong-password-1' });
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /✘ Log in POST \/login → 401/);
  });

  it('the file upload arrives whole (busboy on the server, same SHA-256), and its bytes are in no report', async () => {
    const out = tempDir();
    const r = await run('upload.yaml', staging.url, {}, out);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const stored = [...imports.values()].at(-1);
    assert.equal(stored?.sha256, createHash('sha256').update(CSV).digest('hex'));
    assert.deepEqual([stored?.kind, stored?.filename, stored?.contentType], ['customers', 'customers.csv', 'text/csv']);
    const step = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).notebooks[0].steps[0];
    assert.deepEqual(step.request.multipart.map((p: { name: string }) => p.name), ['kind', 'file']);
    assert.equal(step.request.multipart[1].size, Buffer.byteLength(CSV));
    for (const f of ['report.json', 'junit.xml', 'report.html', 'report.md']) assert.ok(!readFileSync(join(out, f), 'utf8').includes('grace@example.com'), `${f} holds the file's bytes`);
    // The rule the doc states: a file outside the repository is refused when loading, nothing sent.
    const seen = staging.seen.length;
    writeFileSync(join(dir, 'outside.yaml'), example('upload.yaml').replace('data/customers.csv', '../../outside.csv'));
    const refused = await run('outside.yaml', staging.url);
    assert.equal(refused.code, 2, refused.stdout + refused.stderr);
    assert.match(refused.stderr, /outside\.yaml:\d+:\d+/);
    assert.equal(staging.seen.length, seen, 'nothing was sent');
  });
});

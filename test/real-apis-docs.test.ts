/**
 * docs/real-apis.md works as written: its notebooks run against real servers on 127.0.0.1
 * standing in for the staging hosts (an HTTPS server with a leaf of a private CA, one that wants
 * a client certificate), through a real proxy; the error lines it quotes are what the runner
 * prints (host names and timings aside).
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
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

let certs: Certificates;
let staging: Running;
let partner: Running;
let proxy: RunningProxy;
let dir: string;

before(async () => {
  certs = await makeCertificates();
  const answer = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
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
  // The same notebook without its CA: the doc's first error.
  writeFileSync(join(dir, 'no-ca.yaml'), example('staging.yaml').replace(/  tls:\n    ca: certs\/staging-ca\.pem\n/, ''));
});

after(async () => {
  await Promise.all([staging, partner, proxy].map((s) => s?.close()));
});

const run = (file: string, baseUrl: string, env: Record<string, string | undefined> = {}) =>
  runCli(['run', join(dir, file), '--base-url', baseUrl, '--out', tempDir(), '--reporter', 'console,json'], { env: { ...NO_PROXY_ENV, ...env } });

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
});

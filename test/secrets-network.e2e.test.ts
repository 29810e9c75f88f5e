/**
 * The secrets matrix of the network layer: proxy credentials (in the proxy URL, percent-encoded
 * there) and client-certificate passphrases (from a secret input, and written literally in the
 * notebook). A real run through a real proxy to real servers on 127.0.0.1 that echo the secrets
 * back in every encoding (test/helpers/secret-forms.ts), with failures whose messages name the
 * proxy and the key, every reporter and `--log-level trace`: 0 leaks in every output.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readJson, runCli, tempDir } from './helpers/cli.js';
import { findLeaks, secretForms } from './helpers/secret-forms.js';
import { deadPort, makeCertificates, NO_PROXY_ENV, startHttpServer, startHttpsServer, startProxy, writeCertificateFiles, type Certificates, type Running, type RunningProxy } from './helpers/tls.js';

const PROXY_USER = 'nb-proxy-user';
const PROXY_PASSWORD = `pr0xy p@ss:w/rd!"&<>ü`;
/** A passphrase written literally in the notebook (bad practice, still a secret). */
const LITERAL_PASSPHRASE = 'l1teral-"pass&phrase"';

let certs: Certificates;
let proxy: RunningProxy;
let echo: Running;
let mtls: Running;
let outputs: Record<string, string>;
let code: number | null;
let report: any;
let deadReport: any;

const headerSafe = (s: string) => /^[\x20-\x7e]*$/.test(s);

/** A server that reflects the secrets in every form: in the JSON body, a text body and headers. */
function reflect(secrets: string[]) {
  return (_req: unknown, res: ServerResponse) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    secrets.forEach((s, i) => [...secretForms(s, PROXY_USER).values()].filter(headerSafe).forEach((f, k) => (headers[`x-echo-${i}-${k}`] = f)));
    res.writeHead(200, headers);
    res.end(JSON.stringify({ forms: secrets.map((s) => Object.fromEntries(secretForms(s, PROXY_USER))) }));
  };
}

before(async () => {
  certs = await makeCertificates();
  const secrets = [PROXY_PASSWORD, `${PROXY_USER}:${PROXY_PASSWORD}`, certs.clientPassphrase, LITERAL_PASSPHRASE];
  [proxy, echo, mtls] = await Promise.all([
    startProxy({ user: PROXY_USER, password: PROXY_PASSWORD }),
    startHttpServer(reflect(secrets)),
    startHttpsServer(certs.server, { clientCa: certs.ca.cert, answer: reflect(secrets) }),
  ]);
  const dir = tempDir('secrets-net-');
  writeCertificateFiles(dir, certs);
  const dead = await deadPort();
  const file = join(dir, 'nb.yaml');
  writeFileSync(file, `title: Network secrets
inputs:
  keyPass: { env: LEAK_KEY_PASS, secret: true }
defaults:
  tls: { ca: ca.pem, cert: client.pem, key: client-key.pem, passphrase: "\${keyPass}" }
steps:
  - name: Through the proxy, reflected
    continueOnFailure: true
    request: GET ${echo.url}/reflect
    expect: { status: 200, body: { forms: [{ raw: not-this }] } }
    capture: { forms: body.forms }
  - name: mTLS through the proxy tunnel, reflected
    continueOnFailure: true
    request: GET ${mtls.url}/reflect
    expect: { status: 299 }
  - name: A literal passphrase that is wrong
    continueOnFailure: true
    request:
      method: GET
      url: ${mtls.url}/literal
      tls: { passphrase: ${JSON.stringify(LITERAL_PASSPHRASE)} }
  - name: Fails on the reflected values
    continueOnFailure: true
    assert:
      - forms[0].raw == 'x'
      - forms[2].raw == 'y'
  - name: A host the proxy cannot reach
    continueOnFailure: true
    request: GET https://localhost:${dead}/down
`);
  const proxyUrl = `http://${PROXY_USER}:${encodeURIComponent(PROXY_PASSWORD)}@127.0.0.1:${proxy.port}`;
  const deadProxy = `http://${PROXY_USER}:${encodeURIComponent(PROXY_PASSWORD)}@127.0.0.1:${dead}`;
  const env = { ...NO_PROXY_ENV, LEAK_KEY_PASS: certs.clientPassphrase, NO_PROXY: '' };
  // Through the proxy; then the same notebook with a proxy that is down.
  const runs = [
    { name: 'proxied', env: { ...env, HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl } },
    { name: 'dead proxy', env: { ...env, http_proxy: deadProxy } },
  ];
  outputs = {};
  for (const [i, run] of runs.entries()) {
    const out = tempDir();
    const r = await runCli(['run', file, '--out', out, '--log-level', 'trace'], { env: run.env });
    if (r.code === 2) throw new Error(r.stderr);
    const read = (name: string) => readFileSync(join(out, name), 'utf8');
    Object.assign(outputs, { [`${run.name} stdout`]: r.stdout, [`${run.name} stderr`]: r.stderr, [`${run.name} report.json`]: read('report.json'), [`${run.name} junit.xml`]: read('junit.xml'), [`${run.name} report.html`]: read('report.html'), [`${run.name} report.md`]: read('report.md') });
    if (i === 0) {
      code = r.code;
      report = readJson(join(out, 'report.json'));
    } else deadReport = readJson(join(out, 'report.json'));
  }
});

after(async () => {
  await Promise.all([proxy, echo, mtls].map((s) => s?.close()));
});

describe('network secrets never leak', () => {
  it('the run went through: the proxy took the credentials, the server the client certificate', () => {
    assert.equal(code, 1);
    assert.ok(proxy.auth.includes(`Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')}`));
    assert.equal(mtls.seen.find((s) => s.url === '/reflect')?.clientCn, 'notebook client');
    const steps = report.notebooks[0].steps;
    assert.equal(steps[0].status, 'failed');
    assert.equal(steps[1].status, 'failed');
    assert.match(steps[2].error.message, /passphrase .* is wrong/);
    assert.equal(steps[4].error.kind, 'proxy');
    assert.match(steps[4].error.message, /the proxy http:\/\/127\.0\.0\.1:\d+ \(from HTTPS_PROXY\) would not open a tunnel/);
    const down = deadReport.notebooks[0].steps[0];
    assert.equal(down.error.kind, 'proxy');
    assert.match(down.error.message, /the proxy http:\/\/127\.0\.0\.1:\d+ \(from http_proxy\) refused the connection/);
  });

  it('0 leaks of proxy credentials and passphrases, in any encoding, in any output', () => {
    const leaks = findLeaks(outputs, { proxyPassword: PROXY_PASSWORD, proxyPair: `${PROXY_USER}:${PROXY_PASSWORD}`, passphrase: certs.clientPassphrase, literalPassphrase: LITERAL_PASSPHRASE });
    assert.deepEqual(leaks, []);
  });

  it('the proxy URL with its credentials appears nowhere', () => {
    for (const [name, text] of Object.entries(outputs)) assert.ok(!text.includes(encodeURIComponent(PROXY_PASSWORD)), name);
  });
});

/**
 * HTTP/2: `http2: true` (and --http2) offers h2 in ALPN; the protocol of each exchange is in
 * report.json (`response.httpVersion`) and in expressions (`httpVersion`). Real node `http2`
 * servers on 127.0.0.1: one that speaks only h2, one that also speaks HTTP/1.1.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readJson, runCli, tempDir } from './helpers/cli.js';
import { makeCertificates, NO_PROXY_ENV, startHttp2Server, startHttpServer, startProxy, writeCertificateFiles, type Running, type RunningProxy } from './helpers/tls.js';

let h2only: Running;
let both: Running;
let plain: Running;
let proxy: RunningProxy;
let dir: string;

before(async () => {
  const certs = await makeCertificates();
  [h2only, both, plain, proxy] = await Promise.all([startHttp2Server(certs.server), startHttp2Server(certs.server, true), startHttpServer(), startProxy()]);
  dir = tempDir('h2-');
  writeCertificateFiles(dir, certs);
});

after(async () => {
  await Promise.all([h2only, both, plain, proxy].map((s) => s?.close()));
});

async function run(text: string, args: string[] = [], env: Record<string, string | undefined> = {}) {
  const file = join(dir, `nb-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  const out = tempDir();
  const r = await runCli(['run', file, '--out', out, ...args], { env: { ...NO_PROXY_ENV, ...env } });
  return { ...r, steps: readJson(join(out, 'report.json')).notebooks[0].steps as any[] };
}

describe('HTTP/2', () => {
  it('`http2: true` negotiates h2; httpVersion is "2" in report.json and in expressions', async () => {
    const r = await run(`title: h2
defaults:
  tls: { ca: ca.pem }
  http2: true
steps:
  - name: h2 only server
    request: GET ${h2only.url}/one
    assert: [httpVersion == "2"]
    capture: { version: httpVersion }
  - name: again on the same connection
    request: GET ${h2only.url}/two
    assert: [httpVersion == "2"]
  - name: the request turns it off
    request: { method: GET, url: "${both.url}/three", http2: false }
    assert: [httpVersion == "1.1"]
  - name: plain http stays 1.1
    request: GET ${plain.url}/four
    assert: [httpVersion == "1.1"]
`);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(r.steps.map((s) => s.response.httpVersion), ['2', '2', '1.1', '1.1']);
    assert.equal(r.steps[0].captures.version, '2');
    assert.equal(h2only.seen[0].httpVersion, '2.0');
    assert.equal(both.seen.at(-1)!.httpVersion, '1.1');
  });

  it('without it, HTTP/1.1 is used; an assertion on httpVersion can fail', async () => {
    const r = await run(`title: h1
defaults:
  tls: { ca: ca.pem }
steps:
  - name: h1
    request: GET ${both.url}/h1
    assert: [httpVersion == "2"]
`);
    assert.equal(r.code, 1);
    assert.equal(r.steps[0].response.httpVersion, '1.1');
    assert.equal(r.steps[0].status, 'failed');
  });

  it('--http2 sets the default of every notebook', async () => {
    const r = await run(`title: flag\ndefaults:\n  tls: { ca: ca.pem }\nsteps:\n  - name: a\n    request: GET ${both.url}/flag\n    assert: [httpVersion == "2"]\n`, ['--http2']);
    assert.equal(r.code, 0, r.stdout);
  });

  it('h2 through a proxy tunnel', async () => {
    const r = await run(`title: via proxy\ndefaults:\n  tls: { ca: ca.pem }\n  http2: true\nsteps:\n  - name: a\n    request: GET ${h2only.url}/proxied\n    assert: [httpVersion == "2"]\n`, [], { HTTPS_PROXY: proxy.url });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(proxy.tunnels.at(-1), `127.0.0.1:${h2only.port}`);
  });
});

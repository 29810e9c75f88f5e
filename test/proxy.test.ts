/**
 * Proxies, through a real forwarding proxy (npm `proxy`) on 127.0.0.1: HTTP_PROXY / HTTPS_PROXY
 * (and lower case) / NO_PROXY as curl and Newman read them, --proxy and --no-proxy, credentials
 * in the proxy URL, and a proxy that is down: a clear error naming it, never a silent direct
 * connection (the same run without the proxy variables passes).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readJson, runCli, tempDir } from './helpers/cli.js';
import { deadPort, makeCertificates, NO_PROXY_ENV, startHttpServer, startHttpsServer, startProxy, writeCertificateFiles, type Running, type RunningProxy } from './helpers/tls.js';

let http: Running;
let https: Running;
let proxy: RunningProxy;
let locked: RunningProxy;
let dir: string;

before(async () => {
  const certs = await makeCertificates();
  [http, https, proxy, locked] = await Promise.all([startHttpServer(), startHttpsServer(certs.server), startProxy(), startProxy({ user: 'nb', password: 'pr0xy-pass' })]);
  dir = tempDir('proxy-');
  writeCertificateFiles(dir, certs);
});

after(async () => {
  await Promise.all([http, https, proxy, locked].map((s) => s?.close()));
});

/** One http and one https step, both to 127.0.0.1 servers. */
function notebook(): string {
  const file = join(dir, `nb-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, `title: Through a proxy
defaults:
  tls: { ca: ca.pem }
steps:
  - name: plain
    request: GET ${http.url}/plain
    expect: { status: 200 }
  - name: tls
    request: GET ${https.url}/tls
    expect: { status: 200 }
`);
  return file;
}

async function run(env: Record<string, string | undefined>, args: string[] = []) {
  const out = tempDir();
  const r = await runCli(['run', notebook(), '--out', out, ...args], { env: { ...NO_PROXY_ENV, ...env } });
  return { ...r, report: r.code === 2 ? undefined : readJson(join(out, 'report.json')) };
}

function counts(p: RunningProxy) {
  return { forwarded: p.forwarded.length, tunnels: p.tunnels.length };
}

describe('proxy variables', () => {
  it('HTTP_PROXY forwards http:// requests and HTTPS_PROXY tunnels https:// ones (CONNECT)', async () => {
    const before = counts(proxy);
    const r = await run({ HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(proxy.forwarded.length - before.forwarded, 1);
    assert.equal(proxy.tunnels.length - before.tunnels, 1);
    assert.ok(proxy.forwarded.at(-1)!.startsWith(`GET ${http.url}/plain`));
    assert.equal(proxy.tunnels.at(-1), `127.0.0.1:${https.port}`);
  });

  it('lower-case http_proxy and https_proxy too; https falls back to the http proxy', async () => {
    const before = counts(proxy);
    const r = await run({ http_proxy: proxy.url });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(counts(proxy), { forwarded: before.forwarded + 1, tunnels: before.tunnels + 1 });
  });

  it('NO_PROXY sends matching hosts direct', async () => {
    const before = counts(proxy);
    const r = await run({ HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: `example.test, 127.0.0.1:${https.port}` });
    assert.equal(r.code, 0, r.stdout);
    assert.deepEqual(counts(proxy), { forwarded: before.forwarded + 1, tunnels: before.tunnels });
    const all = await run({ HTTP_PROXY: proxy.url, no_proxy: '*' });
    assert.equal(all.code, 0);
    assert.deepEqual(counts(proxy), { forwarded: before.forwarded + 1, tunnels: before.tunnels });
  });

  it('--no-proxy ignores the variables; --proxy URL overrides them', async () => {
    const port = await deadPort();
    const before = counts(proxy);
    const direct = await run({ HTTP_PROXY: `http://127.0.0.1:${port}` }, ['--no-proxy']);
    assert.equal(direct.code, 0, direct.stdout);
    const flagged = await run({ HTTP_PROXY: `http://127.0.0.1:${port}` }, ['--proxy', proxy.url]);
    assert.equal(flagged.code, 0, flagged.stdout);
    assert.deepEqual(counts(proxy), { forwarded: before.forwarded + 1, tunnels: before.tunnels + 1 });
  });
});

describe('a proxy that is down or refuses', () => {
  it('a dead proxy fails the run clearly, naming the proxy; without the variables the same run passes', async () => {
    const port = await deadPort();
    const r = await run({ HTTP_PROXY: `http://127.0.0.1:${port}`, HTTPS_PROXY: `http://127.0.0.1:${port}` });
    assert.equal(r.code, 1);
    const step = r.report.notebooks[0].steps[0];
    assert.equal(step.status, 'error');
    assert.equal(step.error.kind, 'proxy');
    assert.match(step.error.message, new RegExp(`the proxy http://127\\.0\\.0\\.1:${port} \\(from HTTP_PROXY\\) refused the connection`));
    assert.match(step.error.message, /--no-proxy/);
    assert.match(r.stdout, /error \(proxy\)/);
    const clean = await run({});
    assert.equal(clean.code, 0, clean.stdout);
  });

  it('nothing goes direct when the proxy is down (the server sees no request)', async () => {
    const port = await deadPort();
    const file = join(dir, 'plain.yaml');
    writeFileSync(file, `title: Plain\nsteps:\n  - name: plain\n    request: GET ${http.url}/plain-only\n`);
    const before = http.seen.length;
    const r = await runCli(['run', file, '--out', tempDir(), '--reporter', 'json'], { env: { ...NO_PROXY_ENV, HTTP_PROXY: `http://127.0.0.1:${port}` } });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(http.seen.length, before);
    const direct = await runCli(['run', file, '--out', tempDir(), '--reporter', 'json'], { env: NO_PROXY_ENV });
    assert.equal(direct.code, 0);
    assert.equal(http.seen.length, before + 1);
  });

  it('a proxy that wants credentials: kind proxy, 407 named, with the hint to put them in the URL', async () => {
    const r = await run({ HTTP_PROXY: locked.url, HTTPS_PROXY: locked.url });
    const steps = r.report.notebooks[0].steps;
    assert.equal(steps[0].error?.kind, 'proxy', JSON.stringify(steps[0]));
    assert.match(steps[0].error.message, /wants credentials \(407 Proxy Authentication Required\)/);
    assert.match(steps[0].error.message, /http:\/\/user:password@host:port/);
  });

  it('credentials in the proxy URL are sent (plain and tunnel), and never shown', async () => {
    const url = locked.url.replace('http://', 'http://nb:pr0xy-pass@');
    const r = await run({ HTTPS_PROXY: url, HTTP_PROXY: url });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(locked.auth.includes(`Basic ${Buffer.from('nb:pr0xy-pass').toString('base64')}`));
    const wrong = await run({ HTTP_PROXY: locked.url.replace('http://', 'http://nb:wr0ng-pass@') });
    assert.match(wrong.report.notebooks[0].steps[0].error.message, /did not accept the ones in its URL/);
    assert.doesNotMatch(JSON.stringify(wrong.report) + wrong.stdout + wrong.stderr, /wr0ng-pass/);
  });

  it('a proxy URL that is not one is a usage error (exit 2)', async () => {
    const r = await run({ HTTP_PROXY: 'socks5://127.0.0.1:1080' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /HTTP_PROXY: proxies of type socks5 are not supported/);
  });
});

/**
 * TLS against real HTTPS servers on 127.0.0.1 with certificates made by the test: a private CA
 * (`tls.ca`, `--ca`, NODE_EXTRA_CA_CERTS), each kind of failure named in words with a hint,
 * client certificates (mTLS) with an encrypted key, `insecure` (one warning, recorded in
 * report.json), the request's settings over the defaults, and the file rule for TLS files.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readJson, runCli, tempDir } from './helpers/cli.js';
import { makeCertificates, NO_PROXY_ENV, startHttpsServer, writeCertificateFiles, type Certificates, type Running } from './helpers/tls.js';

let certs: Certificates;
let good: Running;
let selfSigned: Running;
let expired: Running;
let wrongHost: Running;
let mtls: Running;
let dir: string;

before(async () => {
  certs = await makeCertificates();
  [good, selfSigned, expired, wrongHost, mtls] = await Promise.all([
    startHttpsServer(certs.server),
    startHttpsServer(certs.selfSigned),
    startHttpsServer(certs.expired),
    startHttpsServer(certs.wrongHost),
    startHttpsServer(certs.server, { clientCa: certs.ca.cert }),
  ]);
  dir = tempDir('tls-');
  writeCertificateFiles(dir, certs);
});

after(async () => {
  await Promise.all([good, selfSigned, expired, wrongHost, mtls].map((s) => s?.close()));
});

async function run(notebook: string, args: string[] = [], env: Record<string, string | undefined> = {}) {
  const file = join(dir, `nb-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, notebook);
  const out = tempDir();
  const result = await runCli(['run', file, '--out', out, ...args], { env: { ...NO_PROXY_ENV, KEY_PASS: certs.clientPassphrase, ...env } });
  const report = result.code === 2 ? undefined : readJson(join(out, 'report.json'));
  return { ...result, report, steps: (report?.notebooks[0].steps ?? []) as any[] };
}

const step = (name: string, url: string, tls?: string, extra = '') => `  - name: ${name}
    continueOnFailure: true
    request:
      method: GET
      url: ${url}/${name.replace(/\W+/g, '-')}
${tls ? `      tls: ${tls}\n` : ''}${extra}`;

describe('TLS failures are named, with a hint', () => {
  let r: Awaited<ReturnType<typeof run>>;
  before(async () => {
    r = await run(`title: TLS matrix
inputs:
  keyPass: { env: KEY_PASS, secret: true }
steps:
${step('unknown CA', good.url)}
${step('private CA trusted', good.url, '{ ca: ca.pem }')}
${step('self-signed', selfSigned.url, '{ ca: ca.pem }')}
${step('expired', expired.url, '{ ca: ca.pem }')}
${step('wrong host', wrongHost.url, '{ ca: ca.pem }')}
${step('no client certificate', mtls.url, '{ ca: ca.pem }')}
${step('client certificate', mtls.url, '{ ca: ca.pem, cert: client.pem, key: client-key.pem, passphrase: "${keyPass}" }')}
${step('stranger certificate', mtls.url, '{ ca: ca.pem, cert: stranger.pem, key: stranger-key.pem }')}
${step('wrong passphrase', mtls.url, '{ ca: ca.pem, cert: client.pem, key: client-key.pem, passphrase: "not the passphrase" }')}
${step('missing passphrase', mtls.url, '{ ca: ca.pem, cert: client.pem, key: client-key.pem }')}
${step('insecure', selfSigned.url, '{ insecure: true }')}
`);
  });
  const byName = (name: string) => r.steps.find((s) => s.name === name);

  it('the run ends with exit 1 and the passing steps passed', () => {
    assert.equal(r.code, 1, r.stderr);
    for (const name of ['private CA trusted', 'client certificate', 'insecure']) assert.equal(byName(name)?.status, 'passed', `${name}: ${JSON.stringify(byName(name)?.error)}`);
  });

  it('an unknown CA: kind tls, names the issuer, hints at tls.ca and --ca', () => {
    const e = byName('unknown CA').error;
    assert.equal(e.kind, 'tls');
    assert.match(e.message, /signed by a certificate authority this run does not trust \(CN=api-notebook test CA\)/);
    assert.match(e.message, /tls: \{ ca: ca\.pem \}/);
    assert.match(e.message, /--ca/);
  });

  it('a self-signed certificate is called self-signed', () => {
    const e = byName('self-signed').error;
    assert.equal(e.kind, 'tls');
    assert.match(e.message, /is self-signed/);
    assert.match(e.message, /tls\.ca|tls: \{ ca/);
  });

  it('an expired certificate: the date it expired', () => {
    const e = byName('expired').error;
    assert.equal(e.kind, 'tls');
    assert.match(e.message, /expired on 2021-01-01T00:00:00/);
  });

  it('a hostname mismatch: the names the certificate holds', () => {
    const e = byName('wrong host').error;
    assert.equal(e.kind, 'tls');
    assert.match(e.message, /is not for 127\.0\.0\.1/);
    assert.match(e.message, /staging\.example\.test/);
    assert.match(e.message, /api\.example\.test/);
  });

  it('a client certificate the server asked for and did not get (not connection-reset)', () => {
    const e = byName('no client certificate').error;
    assert.equal(e.kind, 'tls');
    assert.match(e.message, /asks for a client certificate, and none was sent/);
    assert.match(e.message, /cert: client\.pem, key: client-key\.pem/);
  });

  it('a client certificate with an encrypted key is presented (mTLS)', () => {
    const seen = mtls.seen.find((s) => s.url === '/client-certificate');
    assert.equal(seen?.clientCn, 'notebook client');
  });

  it('a client certificate the server rejects', () => {
    const e = byName('stranger certificate').error;
    assert.equal(e.kind, 'tls');
    assert.match(e.message, /rejected the client certificate/);
  });

  it('a wrong or missing passphrase is one clear error, and nothing is sent', () => {
    assert.match(byName('wrong passphrase').error.message, /cannot be decrypted: the passphrase \(`tls\.passphrase`\) is wrong/);
    assert.match(byName('missing passphrase').error.message, /cannot be decrypted: it is encrypted and no `tls\.passphrase` is given/);
    assert.ok(!mtls.seen.some((s) => s.url === '/wrong-passphrase' || s.url === '/missing-passphrase'));
  });

  it('the console shows the cause and the hint too', () => {
    assert.match(r.stdout, /error \(tls\): the certificate of 127\.0\.0\.1:\d+ expired on/);
  });

  it('`insecure` prints one warning line for the run and is recorded in report.json', () => {
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning: TLS certificates are not verified'));
    assert.equal(warnings.length, 1, r.stderr);
    assert.match(warnings[0], /nb-\w+\.yaml:\d+/);
    assert.equal(r.report.insecure, true);
  });
});

describe('TLS settings: defaults, the request, flags, the environment', () => {
  it('`defaults.tls` applies to every request; the request wins key by key', async () => {
    const r = await run(`title: Defaults
defaults:
  tls: { ca: ca.pem, insecure: true }
steps:
${step('from defaults', selfSigned.url)}
${step('request says verify', selfSigned.url, '{ insecure: false }')}
${step('verified with the default CA', good.url, '{ insecure: false }')}
`);
    assert.deepEqual(r.steps.map((s) => s.status), ['passed', 'error', 'passed']);
    assert.equal(r.steps[1].error.kind, 'tls');
  });

  it('--ca, --cert and --key set the default of every notebook', async () => {
    const nb = `title: Flags\nsteps:\n${step('flags', mtls.url, '{ passphrase: "${keyPass}" }')}\ninputs:\n  keyPass: { env: KEY_PASS, secret: true }\n`;
    const without = await run(nb);
    assert.equal(without.steps[0].error?.kind, 'tls');
    const r = await run(nb, ['--ca', join(dir, 'ca.pem'), '--cert', join(dir, 'client.pem'), '--key', join(dir, 'client-key.pem')]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  it('--insecure: one warning line, recorded in report.json', async () => {
    const r = await run(`title: Insecure flag\nsteps:\n${step('a', selfSigned.url)}\n${step('b', expired.url)}\n`, ['--insecure']);
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.stderr.match(/^warning: TLS certificates are not verified \(--insecure\)/gm)?.length, 1, r.stderr);
    assert.equal(r.report.insecure, true);
  });

  it('`merge` keeps `insecure` when a shard had it', async () => {
    const nb = (name: string) => {
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, `title: ${name}\nsteps:\n${step('a', selfSigned.url, name === 'loose' ? '{ insecure: true }' : '{ ca: ca.pem, insecure: true }')}\n`);
      return file;
    };
    const [a, b, merged] = [tempDir(), tempDir(), tempDir()];
    assert.equal((await runCli(['run', nb('loose'), '--out', a], { env: NO_PROXY_ENV })).code, 0);
    writeFileSync(join(dir, 'strict.yaml'), `title: strict\nsteps:\n${step('b', good.url, '{ ca: ca.pem }')}\n`);
    assert.equal((await runCli(['run', join(dir, 'strict.yaml'), '--out', b], { env: NO_PROXY_ENV })).code, 0);
    assert.equal(readJson(join(b, 'report.json')).insecure, undefined);
    const m = await runCli(['merge', a, b, '--out', merged]);
    assert.equal(m.code, 0, m.stderr);
    assert.equal(readJson(join(merged, 'report.json')).insecure, true);
  });

  it('a run that verifies everything has no warning and no `insecure` in report.json', async () => {
    const r = await run(`title: Verified\nsteps:\n${step('a', good.url, '{ ca: ca.pem }')}\n`);
    assert.equal(r.code, 0, r.stdout);
    assert.doesNotMatch(r.stderr, /warning/);
    assert.equal(r.report.insecure, undefined);
  });

  it('NODE_EXTRA_CA_CERTS keeps working, also beside a `tls.ca` of another CA', async () => {
    const r = await run(`title: Extra CA\nsteps:\n${step('env only', good.url)}\n${step('beside tls.ca', good.url, '{ ca: other-ca.pem }')}\n`, [], { NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') });
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  it('an OAuth2 token endpoint on the same private CA is reached with `defaults.tls`', async () => {
    const token = await startHttpsServer(certs.server, {
      answer: (req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(req.url === '/token' ? JSON.stringify({ access_token: 'tok-from-private-ca', token_type: 'bearer', expires_in: 60 }) : JSON.stringify({ auth: req.headers.authorization }));
      },
    });
    try {
      // The notebook's auth goes only to baseUrl's origin (docs/security.md), so the API is the base URL.
      const r = await run(`title: OAuth2 over a private CA
baseUrl: ${token.url}
defaults:
  tls: { ca: ca.pem }
auth:
  oauth2: { tokenUrl: "${token.url}/token", clientId: nb-client, clientSecret: nb-client-secret }
steps:
  - name: with a token
    request: GET ${token.url}/api
    expect: { status: 200 }
`);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(token.seen.at(-1)?.headers.authorization, 'Bearer tok-from-private-ca');
    } finally {
      await token.close();
    }
  });

  it('requests with different settings in one notebook each get theirs (one dispatcher per setting)', async () => {
    const r = await run(`title: Mixed\ninputs:\n  keyPass: { env: KEY_PASS, secret: true }\nsteps:
${step('one', good.url, '{ ca: ca.pem }')}
${step('two', selfSigned.url, '{ insecure: true }')}
${step('three', mtls.url, '{ ca: ca.pem, cert: client.pem, key: client-key.pem, passphrase: "${keyPass}" }')}
${step('four', good.url, '{ ca: ca.pem }')}
${step('five', good.url)}
`);
    assert.deepEqual(r.steps.map((s) => s.status), ['passed', 'passed', 'passed', 'passed', 'error']);
  });
});

/** openssl makes the PKCS#12 file (node cannot); without it the test says so and skips. */
function openssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('PKCS#12 (tls.pfx)', () => {
  it('a pfx with its passphrase is presented; a wrong passphrase is named', { skip: openssl() ? false : 'openssl is not installed: it makes the .p12 file' }, async () => {
    const keyFile = join(dir, 'client-key.pem');
    execFileSync('openssl', ['pkcs12', '-export', '-in', join(dir, 'client.pem'), '-inkey', keyFile, '-passin', `pass:${certs.clientPassphrase}`, '-out', join(dir, 'client.p12'), '-passout', 'pass:p12-secret-pass']);
    const r = await run(`title: pfx
inputs:
  p12Pass: { env: P12_PASS, secret: true }
steps:
${step('pfx', mtls.url, '{ ca: ca.pem, pfx: client.p12, passphrase: "${p12Pass}" }')}
${step('pfx wrong passphrase', mtls.url, '{ ca: ca.pem, pfx: client.p12, passphrase: "not-the-p12-pass" }')}
`, [], { P12_PASS: 'p12-secret-pass' });
    assert.equal(r.steps[0].status, 'passed', JSON.stringify(r.steps[0].error));
    assert.equal(mtls.seen.find((s) => s.url === '/pfx')?.clientCn, 'notebook client');
    assert.equal(r.steps[1].error?.kind, 'tls');
    assert.match(r.steps[1].error.message, /the PKCS#12 file .*client\.p12 cannot be decrypted: the passphrase \(`tls\.passphrase`\) is wrong/);
  });
});

describe('TLS files and the file rule', () => {
  it('a TLS file outside the notebook\'s folder tree is refused, located, exit 2, nothing sent', async () => {
    const root = tempDir('tls-rule-');
    const nbDir = join(root, 'repo');
    mkdirSync(join(nbDir, '.git'), { recursive: true });
    writeFileSync(join(root, 'outside.pem'), certs.ca.cert);
    const file = join(nbDir, 'nb.yaml');
    writeFileSync(file, `title: Outside\nsteps:\n  - name: a\n    request:\n      method: GET\n      url: ${good.url}/outside\n      tls:\n        ca: ../outside.pem\n`);
    const before = good.seen.length;
    for (const command of ['validate', 'run']) {
      const r = await runCli([command, file, '--out', tempDir()], { env: NO_PROXY_ENV });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /the TLS file \(`tls\.ca`\) `\.\.\/outside\.pem` is outside the notebook's repository/);
      assert.match(r.stderr, /nb\.yaml:8:13/);
      assert.match(r.stderr, /--allow-files/);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
    assert.equal(good.seen.length, before);
    const allowed = await runCli(['run', file, '--out', tempDir(), '--allow-files', root], { env: NO_PROXY_ENV });
    assert.equal(allowed.code, 0, allowed.stdout + allowed.stderr);
  });

  it('a missing TLS file: run exits 2 with file:line:col before sending; validate accepts it', async () => {
    const sub = tempDir('tls-missing-');
    const file = join(sub, 'nb.yaml');
    writeFileSync(file, `title: Missing\ndefaults:\n  tls: { ca: certs/nope.pem }\nsteps:\n  - name: a\n    request: GET ${good.url}/x\n`);
    const r = await runCli(['run', file, '--out', tempDir()], { env: NO_PROXY_ENV });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /the TLS file `certs\/nope\.pem` \(`tls\.ca`\) cannot be read/);
    assert.match(r.stderr, /nb\.yaml:3:\d+/);
    const v = await runCli(['validate', file], { env: NO_PROXY_ENV });
    assert.equal(v.code, 0, v.stderr);
    void dirname;
  });

  it('wrong values under `tls:` are located diagnostics', async () => {
    const file = join(tempDir(), 'nb.yaml');
    writeFileSync(file, `title: Bad\ndefaults:\n  tls: { insecure: yes-please, cafile: x.pem }\n  http2: sometimes\nsteps:\n  - name: a\n    request: GET ${good.url}/x\n`);
    const r = await runCli(['validate', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown key `cafile` in `tls`/);
    assert.match(r.stderr, /`insecure` must be boolean/);
    assert.match(r.stderr, /`http2` must be boolean/);
    assert.match(r.stderr, /nb\.yaml:3:/);
  });
});

/**
 * Secrets in the new bodies never leak: multipart text parts (and a file name) are templates that
 * may hold a secret input, and a GraphQL request's variables may too. A real run of the bin
 * against a server on 127.0.0.1 that parses the multipart body with busboy and echoes every field
 * back in every encoding (a JSON body, headers, a text body), with every reporter and
 * `--log-level trace`; then every output is searched for every encoded form of every secret
 * (test/helpers/secret-forms.ts).
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import busboy from 'busboy';
import { runCli, tempDir } from './helpers/cli.js';
import { findLeaks, secretForms } from './helpers/secret-forms.js';

const SECRETS = {
  partSecret: `p@rt "secret" & <more> ü🔑`,
  fileNameSecret: 'fn-SECRET-xq7z!',
  gqlSecret: "gq1-v'ariable+secret",
} as const;
const ENV = Object.fromEntries(Object.entries(SECRETS).map(([k, v]) => [`LEAK_${k.toUpperCase()}`, v]));
const headerSafe = (s: string) => /^[\x20-\x7e]*$/.test(s);

let server: Server;
let url: string;

/** Every value received, in every form: as a JSON body (201, so a status check fails), headers and text. */
function echo(values: string[], res: import('node:http').ServerResponse, asText: boolean): void {
  const forms = values.map((v) => Object.fromEntries(secretForms(v)));
  const headers: Record<string, string> = {};
  values.forEach((v, i) => {
    let k = 0;
    for (const form of secretForms(v).values()) if (headerSafe(form)) headers[`x-echo-${i}-${k++}`] = form;
  });
  const body = asText ? forms.map((f) => Object.values(f).join('\n')).join('\n') : JSON.stringify({ values, forms });
  res.writeHead(201, { ...headers, 'content-type': asText ? 'text/plain' : 'application/json' });
  res.end(body);
}

before(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path.startsWith('/multipart')) {
      const values: string[] = [];
      const bb = busboy({ headers: req.headers, defParamCharset: 'utf8' });
      bb.on('field', (_name, value) => values.push(value));
      bb.on('file', (_name, stream, info) => {
        values.push(info.filename ?? "");
        stream.resume();
      });
      bb.on('close', () => echo(values, res, path.endsWith('/text')));
      req.pipe(bb);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { variables?: Record<string, string> };
      echo(Object.values(body.variables ?? {}), res, false);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => {
  server.closeAllConnections();
  server.close(() => r());
}));

describe('secrets in multipart and GraphQL bodies', () => {
  it('are redacted in every output, in every encoding', async () => {
    const dir = tempDir('secret-bodies-');
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, 'upload.txt'), 'ordinary file content');
    writeFileSync(join(dir, 'nb.yaml'), `title: Body secrets
inputs:
${Object.keys(SECRETS).map((k) => `  ${k}: { env: LEAK_${k.toUpperCase()}, secret: true }`).join('\n')}
steps:
  - name: Multipart, JSON echo
    continueOnFailure: true
    request:
      method: POST
      path: /multipart/json
      multipart:
        note: "\${partSecret}"
        typed: { value: "key=\${partSecret}", contentType: text/plain }
        file: { file: upload.txt, filename: "\${fileNameSecret}.txt" }
    expect: { status: 200, body: { values: [not-this] } }
    capture:
      echoed: body.values
    assert:
      - body.values[0] == 'not the secret'
  - name: Multipart, text echo
    continueOnFailure: true
    request:
      method: POST
      path: /multipart/text
      multipart: { note: "\${partSecret}", file: { file: upload.txt, filename: "\${fileNameSecret}" } }
    expect: { status: 200 }
  - name: GraphQL variables
    continueOnFailure: true
    request:
      method: POST
      path: /graphql
      graphql:
        query: "query Q($s: String!) { echo(s: $s) }"
        variables: { s: "\${gqlSecret}", t: "\${partSecret}" }
    expect: { status: 200 }
`);
    const out = tempDir();
    const r = await runCli(['run', 'nb.yaml', '--base-url', url, '--out', out, '--log-level', 'trace'], { cwd: dir, env: ENV });
    const read = (f: string) => readFileSync(join(out, f), 'utf8');
    const outputs = { stdout: r.stdout, stderr: r.stderr, 'report.json': read('report.json'), 'junit.xml': read('junit.xml'), 'report.html': read('report.html'), 'report.md': read('report.md') };
    assert.equal(r.code, 1, r.stderr);
    // The run did send them (the echo came back) and recorded the parts, redacted.
    const report = JSON.parse(outputs['report.json']);
    const [multipart] = report.notebooks[0].steps;
    assert.deepEqual(multipart.request.multipart.map((p: any) => p.name), ['note', 'typed', 'file']);
    assert.equal(multipart.request.multipart[0].value, '[REDACTED]');
    assert.equal(multipart.request.multipart[2].filename, '[REDACTED].txt');
    assert.equal(multipart.captures.echoed.length, 3);
    for (const [name, text] of Object.entries(outputs)) if (name !== 'stderr') assert.match(text, /\[REDACTED\]/, `${name} shows redactions`);
    const leaks = findLeaks(outputs, SECRETS);
    assert.deepEqual(leaks.map((l) => `${l.output}: ${l.secret} as ${l.form} in …${l.at}…`), []);
  });
});

/**
 * Secrets never leak, in any encoding, in any output. A real run of the bin against a server on
 * 127.0.0.1 that echoes what it received back in every encoding (JSON and text bodies, headers,
 * an invalid-JSON body, a redirect Location), with every reporter and `--log-level trace`; then
 * every output is searched for every encoded form of every secret (test/helpers/secret-forms.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readJson, runCli, tempDir } from './helpers/cli.js';
import { findFragments, findLeaks, secretForms } from './helpers/secret-forms.js';
import { json, startTestServer, type Recorded, type TestServer } from './helpers/server.js';

/** Secret inputs, each with characters some encoding changes. */
const INPUTS = {
  formChars: "k3y!*'()~_form",
  jsonChars: 'js"on\\bs\tlash/q',
  htmlChars: `<h&t>'m"l-markup`,
  spacePlus: 'sp ace+plus 100%',
  unicode: 'ünï-çødé🔑ключ',
  everything: `A!'()*"\\ +&<>%ü🔑z`,
  clientSecret: `cl!ent "secret" & <more>`,
  // Digits: a server echoes it back as a JSON number.
  pin: '48291357',
  // Distinctive letters, so a cut-off prefix of them is found too (see findFragments).
  cutSecret: 'QXCUTSECRETWJZKVPLMNQRST',
  tokenSecret: 'ZQTOKSECRETXJWVKPLMNBHGF',
} as const;
/** What the OAuth2 token endpoint issues: never typed by anyone, still a secret. */
const ACCESS_TOKEN = `tok+/=!'()*"\\ &<>%é-at`;
/** Credentials written in the notebook as headers. */
const LITERAL_AUTH = 'lit3ral-t0ken!x';
const COOKIE_VALUE = "c00kie-v'alue";
const SECRETS: Record<string, string> = { ...INPUTS, accessToken: ACCESS_TOKEN, literalAuth: LITERAL_AUTH, cookie: COOKIE_VALUE };
const ENV: Record<string, string> = Object.fromEntries(Object.entries(INPUTS).map(([k, v]) => [`LEAK_${k.toUpperCase()}`, v]));
const headerSafe = (s: string) => /^[\x20-\x7e]*$/.test(s);

/** Everything the server received that could be a secret: values in the JSON body, auth, cookie. */
function received(req: Recorded): string[] {
  const values: string[] = [];
  try {
    const body = JSON.parse(req.body) as { values?: string[] };
    values.push(...(body.values ?? []));
  } catch {
    // not a JSON body
  }
  const auth = String(req.headers.authorization ?? '');
  if (auth.startsWith('Bearer ')) values.push(auth.slice(7));
  if (auth.startsWith('Basic ')) {
    const pair = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    values.push(pair, pair.slice(pair.indexOf(':') + 1));
  }
  if (auth.startsWith('Token ')) values.push(auth.slice(6));
  if (req.headers.cookie) values.push(String(req.headers.cookie));
  if (req.headers['x-secret']) values.push(String(req.headers['x-secret']));
  return values;
}

/** Each value in every form, keyed by form name. */
const everyForm = (values: string[]) => values.map((v) => Object.fromEntries(secretForms(v)));

function echoHeaders(values: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  values.forEach((v, i) => {
    let k = 0;
    for (const form of secretForms(v).values()) if (headerSafe(form)) headers[`x-echo-${i}-${k++}`] = form;
  });
  return headers;
}

function notebook(): string {
  const inputs = Object.keys(INPUTS).map((k) => `  ${k}: { env: LEAK_${k.toUpperCase()}, secret: true }`).join('\n');
  const all = Object.keys(INPUTS).filter((k) => k !== 'cutSecret' && k !== 'tokenSecret').map((k) => `"\${${k}}"`).join(', ');
  return `title: Leak matrix
inputs:
${inputs}
auth:
  oauth2:
    tokenUrl: "\${tokenUrl}"
    clientId: "leak client"
    clientSecret: "\${clientSecret}"
vars:
  tokenUrl: http://unset.invalid/token
  all: [${all}]
steps:
  - name: JSON echo
    doc: Sends every secret in the path, the query, a header and the body.
    continueOnFailure: true
    request:
      method: POST
      path: /echo/json/\${formChars}/\${spacePlus}/\${everything}
      query: { a: "\${formChars}", b: "\${spacePlus}", c: "\${everything}", d: "\${htmlChars}", e: "\${jsonChars}", f: "\${unicode}" }
      headers: { x-secret: "\${formChars}", cookie: "sid=\${spacePlus}" }
      json: { values: "\${all}" }
    expect:
      status: 200
      body: { echoed: [{ raw: not-this }] }
    capture:
      echoed: body.echoed
      firstForms: body.echoed[0]
    assert:
      - body.echoed[5].raw == 'not the secret'
  - name: Text echo
    continueOnFailure: true
    request: { method: POST, path: /echo/text, json: { values: "\${all}" } }
    expect: { status: 201 }
  - name: Invalid JSON, a secret across character 200
    continueOnFailure: true
    request: { method: POST, path: /echo/bad-json-cut, json: { values: ["\${cutSecret}"] } }
  - name: Invalid JSON, a secret where the parser stops
    continueOnFailure: true
    request: { method: POST, path: /echo/bad-json-token, json: { values: ["\${tokenSecret}"] } }
  - name: Invalid JSON with every secret
    continueOnFailure: true
    request: { method: POST, path: /echo/bad-json-all, json: { values: "\${all}" } }
  - name: Redirect
    continueOnFailure: true
    request: { method: POST, path: /echo/redirect, json: { values: "\${all}" } }
    expect: { status: 200 }
  - name: Basic auth echo
    continueOnFailure: true
    auth: { basic: { username: user, password: "\${everything}" } }
    request: { method: POST, path: /echo/json/basic, json: { values: [] } }
    expect: { status: 299 }
  - name: Bearer echo
    continueOnFailure: true
    auth: { bearer: "\${htmlChars}" }
    request: { method: POST, path: /echo/text/bearer, json: { values: [] } }
    expect: { status: 299 }
  - name: Each secret
    continueOnFailure: true
    forEach: "\${all}"
    as: one
    request: { method: POST, path: "/echo/json/each?v=\${one}", json: { values: ["\${one}"] } }
    expect: { status: 299 }
  - name: Literal credentials in headers
    continueOnFailure: true
    auth: none
    request:
      method: POST
      path: /echo/json/literal
      headers: { authorization: "Token ${LITERAL_AUTH}", cookie: "theme=x; sid=${COOKIE_VALUE}" }
      json: { values: [] }
    expect: { status: 299 }
  - name: Fails on a secret-holding value
    continueOnFailure: true
    assert:
      - firstForms == 'x'
      - echoed[1] == 'y'
teardown:
  - name: Echo in teardown
    request: { method: POST, path: /echo/text/teardown, json: { values: "\${all}" } }
    expect: { status: 299 }
`;
}

let server: TestServer;
let outputs: Record<string, string>;
let code: number | null;
let report: any;

before(async () => {
  server = await startTestServer();
  server.route('POST', '/oauth/token', (req, res) => {
    const pair = Buffer.from(String(req.headers.authorization).slice(6), 'base64').toString('utf8');
    if (decodeURIComponent(pair.split(':')[1]) !== INPUTS.clientSecret) return json(res, 401, { error: 'invalid_client' });
    json(res, 200, { access_token: ACCESS_TOKEN, token_type: 'bearer', expires_in: 3600 });
  });
  const jsonEcho = (req: Recorded, res: Parameters<Parameters<TestServer['route']>[2]>[1]) => {
    const values = received(req);
    const numbers = values.filter((v) => /^\d+$/.test(v)).map(Number);
    json(res, 200, { url: req.url, headers: req.headers, body: req.body, echoed: everyForm(values), numbers }, echoHeaders(values));
  };
  const textEcho = (req: Recorded, res: Parameters<Parameters<TestServer['route']>[2]>[1]) => {
    const values = received(req);
    const lines = [`${req.method} ${req.url}`, ...Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`), req.body];
    for (const v of values) for (const [name, form] of secretForms(v)) lines.push(`${name}: ${form}`);
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', ...echoHeaders(values) });
    res.end(lines.join('\n'));
  };
  const badJson = (body: (values: string[]) => string) => (req: Recorded, res: Parameters<Parameters<TestServer['route']>[2]>[1]) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body(received(req)));
  };
  server.routePrefix('POST', '/echo/json/', jsonEcho);
  server.route('POST', '/echo/text', textEcho);
  server.route('POST', '/echo/text/bearer', textEcho);
  server.route('POST', '/echo/text/teardown', textEcho);
  // The old message cut the body at 200 characters before redacting: this secret spans the cut.
  server.route('POST', '/echo/bad-json-cut', badJson((v) => `${'x'.repeat(196)}${v[0]} and more`));
  // The parser's own message quotes the body around where it stopped: right at this secret.
  server.route('POST', '/echo/bad-json-token', badJson((v) => `{"k": ${v[0]}}`));
  server.route('POST', '/echo/bad-json-all', badJson((v) => `{"forms": ${JSON.stringify(everyForm(v))}, broken`));
  server.route('POST', '/echo/redirect', (req, res) => {
    const values = received(req);
    const query = values.flatMap((v, i) => [...secretForms(v).values()].filter(headerSafe).map((f, k) => `v${i}_${k}=${f}`)).join('&');
    res.writeHead(302, { location: `/landing/${encodeURIComponent(values[0])}?${query}`, 'content-type': 'text/plain' });
    res.end(`Found. Redirecting to /landing?${query}`);
  });

  const dir = tempDir('api-notebook-leak-');
  const file = join(dir, 'leak.yaml');
  writeFileSync(file, notebook());
  const out = join(dir, 'reports');
  const r = await runCli(
    ['run', file, '--base-url', server.url, '--var', `tokenUrl=${server.url}/oauth/token`, '--out', out, '--log-level', 'trace',
      '--reporter', 'console', '--reporter', 'json', '--reporter', 'junit', '--reporter', 'html', '--reporter', 'markdown'],
    { env: ENV },
  );
  code = r.code;
  const read = (name: string) => readFileSync(join(out, name), 'utf8');
  outputs = { stdout: r.stdout, 'stderr (trace logs)': r.stderr, 'report.json': read('report.json'), 'junit.xml': read('junit.xml'), 'report.html': read('report.html'), 'report.md': read('report.md') };
  report = readJson(join(out, 'report.json'));
});
after(() => server.close());

describe('secrets in every output', () => {
  it('the run did happen: every step ran, the server got the real secrets, the logs were at trace', () => {
    assert.equal(code, 1, outputs.stderr);
    const names = report.notebooks[0].steps.map((s: any) => s.name);
    assert.ok(names.includes('Echo in teardown') && names.includes('Redirect'), names.join(', '));
    assert.equal(report.notebooks[0].steps.filter((s: any) => s.status === 'skipped').length, 0);
    const first = server.requests.find((r) => r.url.startsWith('/echo/json/k3y'));
    assert.ok(first, 'the JSON echo was called with the secret in its path');
    assert.ok(first.body.includes(JSON.stringify(INPUTS.jsonChars)), 'the server received the real secret');
    assert.equal(server.requests.filter((r) => r.url === '/oauth/token').length, 1);
    assert.match(outputs['stderr (trace logs)'], /"msg":"request"/);
    for (const [name, text] of Object.entries(outputs)) if (name !== 'stderr (trace logs)') assert.match(text, /\[REDACTED\]/, `${name} shows redactions`);
  });

  it('no output holds any secret in any encoding', () => {
    const leaks = findLeaks(outputs, SECRETS);
    const summary = leaks.map((l) => `${l.output} · ${l.secret} · ${l.form}: …${l.at}…`).join('\n');
    assert.equal(leaks.length, 0, `${leaks.length} leaks:\n${summary}`);
  });

  it('no output holds a piece of a secret cut short by a truncation or quoted by the JSON parser', () => {
    const leaks = [...findFragments(outputs, INPUTS.cutSecret), ...findFragments(outputs, INPUTS.tokenSecret)];
    assert.equal(leaks.length, 0, leaks.map((l) => `${l.output} · ${l.secret}: …${l.at}…`).join('\n'));
  });

  it('the invalid-JSON error still says what was wrong, and its body is in the report, redacted', () => {
    const step = report.notebooks[0].steps.find((s: any) => s.name === 'Invalid JSON, a secret across character 200');
    assert.equal(step.error.kind, 'invalid-json');
    assert.match(step.error.message, /not valid JSON/);
    assert.match(step.response.body, /^x{196}\[REDACTED\] and more$/);
  });
});

describe('secrets too short to redact are refused, never printed', () => {
  it('a secret input under 4 characters: exit 2 before any request, naming the input at its line', async () => {
    const dir = tempDir('api-notebook-short-');
    const file = join(dir, 'short.yaml');
    writeFileSync(file, `title: Short
inputs:
  apiKey: { env: SHORT_KEY, secret: true }
steps:
  - name: Uses it
    request: GET /echo-auth?key=\${apiKey}
`);
    for (const value of ['x!"', '🔑', 'ab']) {
      const before = server.requests.length;
      const r = await runCli(['run', file, '--base-url', server.url, '--out', join(dir, 'out')], { env: { SHORT_KEY: value } });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /short\.yaml:3:3: secret input `apiKey` is \d characters? long; secrets under 4 characters are refused/);
      assert.ok(!r.stderr.includes(value) && !r.stdout.includes(value), 'the value itself is not printed');
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(server.requests.length, before, 'nothing was sent');
    }
  });

  it('a credential known only at run time (a 2-character bearer token): the step errors before sending it', async () => {
    const dir = tempDir('api-notebook-short-');
    const file = join(dir, 'short-token.yaml');
    writeFileSync(file, `title: Short token
vars:
  token: q7
steps:
  - name: Bearer
    auth: { bearer: "\${token}" }
    request: GET /echo-auth
`);
    const before = server.requests.length;
    const out = join(dir, 'out');
    const r = await runCli(['run', file, '--base-url', server.url, '--out', out]);
    assert.equal(r.code, 1, r.stderr);
    const step = readJson(join(out, 'report.json')).notebooks[0].steps[0];
    assert.equal(step.error.kind, 'auth');
    assert.match(step.error.message, /the bearer token is 2 characters long; secrets under 4 characters are refused/);
    assert.equal(server.requests.length, before, 'nothing was sent');
  });
});

describe('a body cut where reading stopped', () => {
  it('--max-body stops a body in the middle of a secret: no piece of it reaches an output', async () => {
    const secret = 'QJXMAXBODYSECRETWZKVPLNH';
    server.route('GET', '/cut-body', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      // Two writes, apart in time: the client keeps the first and stops at the second.
      res.write(`${'x'.repeat(3000)}${secret.slice(0, 12)}`);
      setTimeout(() => res.end(`${secret.slice(12)}${'y'.repeat(5000)}`), 100);
    });
    const dir = tempDir('api-notebook-cut-');
    const file = join(dir, 'cut.yaml');
    writeFileSync(file, `title: Cut
inputs:
  key: { env: CUT_KEY, secret: true }
steps:
  - name: Big body
    request: GET /cut-body
`);
    const out = join(dir, 'out');
    const r = await runCli(['run', file, '--base-url', server.url, '--out', out, '--max-body', '4kb', '--log-level', 'trace', '--reporter', 'console', '--reporter', 'json', '--reporter', 'junit', '--reporter', 'html', '--reporter', 'markdown'], { env: { CUT_KEY: secret } });
    assert.equal(r.code, 1, r.stderr);
    const read = (name: string) => readFileSync(join(out, name), 'utf8');
    const all = { stdout: r.stdout, stderr: r.stderr, 'report.json': read('report.json'), 'junit.xml': read('junit.xml'), 'report.html': read('report.html'), 'report.md': read('report.md') };
    const step = readJson(join(out, 'report.json')).notebooks[0].steps[0];
    assert.equal(step.error.kind, 'body-too-large');
    assert.match(step.response.body, /^x+$/, 'what arrived before the cut is kept, less the end that could hold a secret');
    const leaks = findFragments(all, secret);
    assert.equal(leaks.length, 0, leaks.map((l) => `${l.output} · ${l.secret}: …${l.at}…`).join('\n'));
  });
});

describe("a secret's value written where the notebook describes itself", () => {
  it('the title, the description and the base URL are redacted in the console and every report', async () => {
    const secret = 'QXTITLESECRETZWJK';
    const dir = tempDir('api-notebook-title-');
    const file = join(dir, 'titled.yaml');
    writeFileSync(file, `title: Account ${secret}
description: Checks account ${secret} still answers
inputs:
  apiKey: { env: TITLE_KEY, secret: true }
steps:
  - name: Answers
    request: GET /echo-auth
    expect: { status: 404 }
`);
    const out = join(dir, 'out');
    // The secret as a path segment of the base URL: the server knows no such path (404, as expected).
    const r = await runCli(['run', file, '--base-url', `${server.url}/${secret}`, '--out', out], { env: { TITLE_KEY: secret } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Account \[REDACTED\]/, 'the title is still shown, its secret masked');
    for (const [name, text] of [['stdout', r.stdout], ['stderr', r.stderr], ...['report.json', 'junit.xml', 'report.html', 'report.md'].map((f) => [f, readFileSync(join(out, f), 'utf8')])]) {
      assert.ok(!text.includes(secret), `${name} holds the secret`);
    }
  });
});

/**
 * Checks and captures on any response (issue 19 §4) and runs a hostile server or notebook cannot
 * hang or blow up (issue 18 M7), through the real bin against a real server on 127.0.0.1 serving
 * XML, HTML, text, slow answers and a header made to make a backtracking engine hang.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readJson, runCli, tempDir } from './helpers/cli.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/** 38 a's and a `!`: JavaScript's engine took 168 s on ^(a+)+$ (issue 18 M7). */
const EVIL = `${'a'.repeat(38)}!`;

const XML = `<?xml version="1.0"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Body><order id="o-17"><item sku="A1">Pen</item><item sku="B2">Ink &amp; nib</item></order></soap:Body>
</soap:Envelope>`;

// Unclosed <p>s and a <br>: parsed as a browser would (parse5), not as XML.
const HTML = `<!doctype html><html><head><title>Order o-17</title></head>
<body><p class="lead">Thanks<p>Total: <b>12.50</b> EUR<br><a href="/orders/o-17">view</a></body></html>`;

const LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]>
<lolz>&lol9;</lolz>`;

let server: TestServer;

before(async () => {
  server = await startTestServer();
  const send = (type: string, body: string, headers: Record<string, string> = {}) => (_req: unknown, res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'content-type': type, ...headers });
    res.end(body);
  };
  server.route('GET', '/order.xml', send('application/xml', XML));
  server.route('GET', '/order.html', send('text/html; charset=utf-8', HTML));
  server.route('GET', '/laughs.xml', send('application/xml', LAUGHS));
  server.route('GET', '/evil', send('text/plain', EVIL, { 'x-token': EVIL }));
  // Labelled JSON but NDJSON: read as text it can still be checked.
  server.route('GET', '/log.txt', send('text/plain', 'level=info id=42 msg="started"\nlevel=warn id=43 msg="slow"\n', { 'x-payload': Buffer.from('{"user":"ada"}').toString('base64') }));
  server.route('GET', '/slow', (_req, res) => {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    }, 250);
  });
});

after(() => server.close());

function notebook(yaml: string): string {
  const dir = tempDir('http-checks-');
  const file = join(dir, 'nb.yaml');
  writeFileSync(file, yaml);
  return file;
}

async function run(yaml: string, extra: string[] = []) {
  const out = tempDir();
  const started = performance.now();
  const result = await runCli(['run', notebook(yaml), '--base-url', server.url, '--out', out, ...extra]);
  const ms = performance.now() - started;
  const report = result.code === 2 ? undefined : readJson(join(out, 'report.json'));
  return { ...result, ms, report, steps: (report?.notebooks[0].steps ?? []) as any[] };
}

describe('patterns run in linear time (issue 18 M7)', () => {
  it('the 38-a\'s case against ^(a+)+$, in a header check, matches() and a body pattern, ends at once', { timeout: 60_000 }, async () => {
    const r = await run(`title: ReDoS
steps:
  - name: Evil header and body
    request: GET /evil
    expect:
      headers: { x-token: "/^(a+)+$/" }
    assert:
      - "!matches(headers['x-token'], '^(a+)+$')"
      - "!matches(body, '^(a+)+$')"
`);
    const step = r.steps[0];
    assert.equal(step.status, 'failed', r.stdout);
    assert.deepEqual(step.checks.map((c: any) => [c.kind, c.passed]), [['status', true], ['header', false], ['assert', true], ['assert', true]]);
    assert.ok(step.durationMs < 1000, `the step took ${step.durationMs} ms`);
  });

  it('SIGTERM during a long run of server-fed patterns still ends it (exit 130)', { timeout: 60_000 }, async () => {
    const out = tempDir();
    let signalled = 0;
    const result = await runCli(['run', notebook(`title: Long
steps:
  - name: Warm up
    request: GET /log.txt
  - name: Poll the evil header
    request: GET /evil
    assert: ["!matches(headers['x-token'], '^(a+)+$')"]
    repeat: { until: "false", max: 10000, intervalMs: 5 }
`), '--base-url', server.url, '--out', out], {
      onSpawn: (child) => child.stdout?.on('data', (chunk: Buffer) => {
        if (!signalled && chunk.toString().includes('Poll the evil header')) {
          signalled = performance.now();
          child.kill('SIGTERM');
        }
      }),
    });
    const took = performance.now() - signalled;
    assert.ok(signalled, result.stdout);
    assert.equal(result.code, 130, result.stderr);
    assert.ok(took < 10_000, `ended ${Math.round(took)} ms after SIGTERM`);
  });

  it('a pattern RE2 cannot take is a located load-time diagnostic saying why and what to write', async () => {
    const r = await run(`title: Unsupported
steps:
  - name: Lookahead and backreference
    request: GET /evil
    expect:
      headers: { x-token: "/^(a)\\\\1/" }
      text: "/(?<=a)!/"
    assert:
      - "matches(body, '^(?!b)a')"
`);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /backreferences \(`\\1`\) are not supported: patterns run on a linear-time engine \(RE2\)[^\n]*\n --> [^\n]*nb\.yaml:6:27\n/);
    assert.match(r.stderr, /lookbehind[^\n]*\n --> [^\n]*nb\.yaml:7:13\n/);
    assert.match(r.stderr, /lookahead[^\n]*\n --> [^\n]*nb\.yaml:9:10\n[\s\S]*hint: match the text and test the other condition separately/);
    assert.match(r.stderr, /nothing was sent/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});

describe('functions on XML, HTML and text bodies (issue 19 §4)', () => {
  it('xpath, xpathAll, regex, split, replace, sha256, base64, unbase64 and json extract what the server sent', async () => {
    const r = await run(`title: Extract
steps:
  - name: SOAP order
    request: GET /order.xml
    capture:
      orderId: xpath(body, '//order/@id')
      skus: xpathAll(body, '//soap:Body//item/@sku')
      second: xpath(body, '//item[2]')
      count: xpath(body, 'count(//item)')
      none: xpath(body, '//missing')
  - name: HTML page
    request: GET /order.html
    capture:
      title: xpath(body, '//title')
      total: xpath(body, '//p[2]/b')
      link: xpath(body, '//a/@href')
      paragraphs: length(xpathAll(body, '//p'))
  - name: Text log
    request: GET /log.txt
    capture:
      firstId: regex(body, 'id=(\\\\d+)')
      wholeMatch: regex(body, 'level=\\\\w+')
      noMatch: regex(body, 'error=(\\\\d+)')
      lines: split(body, '\\n')
      masked: replace(body, 'id=(\\\\d+)', 'id=<$1>')
      digest: sha256('abc')
      encoded: base64('user:pass')
      user: json(unbase64(headers['x-payload'])).user
`);
    assert.equal(r.code, 0, r.stdout);
    const [xml, html, text] = r.steps.map((s) => s.captures);
    assert.deepEqual(xml, { orderId: 'o-17', skus: ['A1', 'B2'], second: 'Ink & nib', count: 2, none: null });
    assert.deepEqual(html, { title: 'Order o-17', total: '12.50', link: '/orders/o-17', paragraphs: 2 });
    assert.equal(text.firstId, '42');
    assert.equal(text.wholeMatch, 'level=info');
    assert.equal(text.noMatch, null);
    assert.deepEqual(text.lines, ['level=info id=42 msg="started"', 'level=warn id=43 msg="slow"', '']);
    assert.match(text.masked, /^level=info id=<42> msg="started"\nlevel=warn id=<43>/);
    assert.equal(text.digest, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(text.encoded, 'dXNlcjpwYXNz');
    assert.equal(text.user, 'ada');
  });

  it('a billion-laughs document is refused at once, its entities never expanded', { timeout: 30_000 }, async () => {
    const r = await run(`title: Laughs
steps:
  - name: Hostile XML
    request: GET /laughs.xml
    capture:
      lol: xpath(body, '//lolz')
`);
    const step = r.steps[0];
    assert.equal(step.status, 'error');
    assert.equal(step.error.kind, 'expression');
    assert.match(step.error.message, /declares entities \(<!ENTITY …>\); they are never expanded/);
    assert.ok(step.durationMs < 2000, `${step.durationMs} ms`);
  });

  it('bad JSON for json() and malformed XML for xpath() are clear errors; a bad XPath is a load-time diagnostic', async () => {
    const r = await run(`title: Bad input
steps:
  - name: Not JSON
    request: GET /log.txt
    continueOnFailure: true
    assert: ["json(body).x == 1"]
  - name: Not XML
    request: GET /log.txt
    assert: ["xpath('<a><b></a>', '//b') == null"]
`);
    assert.equal(r.steps[0].checks[1].passed, false);
    assert.match(r.steps[0].checks[1].message, /json\(\) cannot parse its argument as JSON: unexpected text/);
    assert.match(r.steps[1].checks[1].message, /not well-formed XML/);
    const bad = await run(`title: Bad XPath
steps:
  - name: Broken path
    request: GET /order.xml
    capture: { x: "xpath(body, '//item[')" }
`);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /invalid XPath "\/\/item\[": it cannot be parsed\n --> [^\n]*nb\.yaml:5:20\n/);
  });
});

describe('checks on any response (issue 19 §4)', () => {
  it('expect.text, expect.body /regex/ and header patterns pass on the right response', async () => {
    const r = await run(`title: Text checks
steps:
  - name: Log as text
    request: GET /log.txt
    expect:
      text: "/^level=info id=\\\\d+/m"
      body: "/level=warn/"
  - name: JSON fields by pattern
    request: GET /slow
    expect:
      text: '{"ok":true}'
      body: { ok: true }
      headers: { content-type: /^application\\/json$/ }
`);
    assert.equal(r.code, 0, r.stdout);
    assert.deepEqual(r.steps[0].checks.map((c: any) => [c.kind, c.passed]), [['status', true], ['body', true], ['text', true]]);
  });

  it('each fails on a wrong response, with what it expected', async () => {
    const r = await run(`title: Wrong
steps:
  - name: Wrong text
    request: GET /log.txt
    continueOnFailure: true
    expect:
      text: /level=error/
      body: /^id=/
  - name: Wrong exact text
    request: GET /slow
    continueOnFailure: true
    expect: { text: '{"ok":false}' }
  - name: Body field pattern
    request: GET /order.xml
    continueOnFailure: true
    expect: { body: "/<order id=\\"x/" }
`);
    assert.equal(r.code, 1);
    const [a, b, c] = r.steps;
    assert.deepEqual(a.checks.map((x: any) => [x.kind, x.passed]), [['status', true], ['body', false], ['text', false]]);
    assert.match(a.checks[1].message, /body \(\d+ characters of text\) does not match \/\^id=\//);
    assert.match(a.checks[2].message, /does not match \/level=error\//);
    assert.equal(b.checks[1].passed, false);
    assert.match(b.checks[1].message, /is not the text expected: "\{\\"ok\\":true\}"/);
    assert.equal(c.checks[1].passed, false);
  });

  it('duration in expressions, and expect.maxDurationMs failing as a check with the time measured', async () => {
    const r = await run(`title: Timing
steps:
  - name: Slow but in time
    request: GET /slow
    continueOnFailure: true
    expect: { maxDurationMs: 5000 }
    assert: ["duration >= 200", "duration < 5000"]
    capture: { took: duration }
  - name: Too slow
    request: GET /slow
    expect: { maxDurationMs: 100 }
`);
    const [fast, slow] = r.steps;
    assert.equal(fast.status, 'passed', JSON.stringify(fast.checks));
    assert.equal(fast.captures.took, fast.response.durationMs);
    assert.equal(slow.status, 'failed');
    assert.equal(slow.error, undefined);
    const check = slow.checks.find((c: any) => c.kind === 'duration');
    assert.equal(check.passed, false);
    assert.ok(check.actual >= 200, String(check.actual));
    assert.match(check.message, /^the response took \d+(\.\d+)? ms, more than expect.maxDurationMs: 100$/);
  });
});

describe('bounded values and repeat time (issue 18 M7)', () => {
  it('concat doubling a capture under repeat ends with a step error naming the limit', { timeout: 60_000 }, async () => {
    const r = await run(`title: Doubling
vars:
  all: [1]
steps:
  - name: Grow
    capture: { all: "concat(all, all)" }
    repeat: { until: "false", max: 100 }
`);
    const last = r.steps.at(-1);
    assert.equal(r.code, 1);
    assert.equal(last.status, 'error');
    assert.equal(last.error.kind, 'value-too-large');
    assert.match(last.error.message, /concat\(\) would make a list of 1,048,576 items; the limit is 1,000,000 \(see Limits/);
    assert.equal(r.steps.length, 20);
  });

  it('repeat.maxMs ends a repeat that would go on, as a failed check', { timeout: 60_000 }, async () => {
    const r = await run(`title: Poll
steps:
  - name: Never ready
    request: GET /log.txt
    repeat: { until: "false", max: 1000, intervalMs: 100, maxMs: 450 }
`);
    const last = r.steps.at(-1);
    assert.equal(last.status, 'failed');
    const check = last.checks.find((c: any) => c.kind === 'repeat');
    assert.match(check.message, /^still false after \d runs in \d+ ms: another would pass repeat\.maxMs \(450 ms\)$/);
    assert.ok(r.steps.length >= 2 && r.steps.length <= 6, `${r.steps.length} runs`);
  });
});

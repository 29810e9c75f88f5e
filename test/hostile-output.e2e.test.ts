/**
 * Issue 18, M1 M2 L1: a real server (127.0.0.1, port 0) answers hostile bodies and headers, the
 * notebook's names are written with escapes, and the real bin runs it with every reporter under
 * GITHUB_ACTIONS. Then each output is read the way it is read for real: stdout and stderr by what
 * a terminal and the Actions runner act on, report.md with markdown-it (HTML allowed, as GitHub
 * renders it), report.html in Chromium (no request may leave the page; it still works), junit.xml
 * with xmllint.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import MarkdownIt from 'markdown-it';
import { chromium, type Browser } from 'playwright-core';
import { readJson, ROOT, runCli, tempDir, type CliResult } from './helpers/cli.js';
import { json, startTestServer, type TestServer } from './helpers/server.js';

/** What a terminal or a log viewer acts on: C0 but the line break, DEL, C1, bidi and other invisible format characters. */
// eslint-disable-next-line no-control-regex
const ACTS_ON_TERMINAL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/;
/** A line the GitHub Actions runner reads as a workflow command (leading blanks are trimmed). */
const WORKFLOW = /^\s*(::|##\[)/;
const FAKE = 'x\n\n# ✅ Passed\n\n<!--';

let server: TestServer;
let out: string;
let r: CliResult;
let report: any;
const beacons: string[] = [];

before(async () => {
  server = await startTestServer();
  server.route('GET', '/fake-json', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(FAKE);
  });
  // C1 CSI (U+009B) is a latin-1 byte a header may carry: erase the line, paint it green.
  server.route('GET', '/evil-header', (_req, res) => json(res, 200, { ok: true }, { 'x-evil': '\x9b2K\x9b32mall passed <img src=x onerror=alert(1)> ::set-output name=x::y' }));
  server.route('GET', '/evil-body', (_req, res) =>
    json(res, 200, {
      msg: `\u001b[2K\r✔ everything passed\u001b]52;c;aGk=\u0007\u001b]0;pwned\u0007\n::set-output name=leak::1\n${FAKE}`,
      'a\n::stop-commands::x\n\u001b[31m<img src=x onerror=alert(1)>': 1,
      bidi: 'abc\u202edcba',
    }),
  );
  server.routePrefix('GET', '/beacon', (req, res) => {
    beacons.push(req.url);
    json(res, 200, {});
  });
  out = tempDir();
  const nb = join(out, 'hostile.yaml');
  writeFileSync(
    nb,
    `title: "::warning::title \\u001b[2J from a pull request"
description: |
  Prose with a remote image ![beacon](${server.url}/beacon/md.png) and raw HTML
  <img src="${server.url}/beacon/raw.png"> that must not load.
steps:
  - name: "Invalid JSON \\u001b]0;pwned\\u0007 body"
    continueOnFailure: true
    request: GET /fake-json
  - name: Evil header
    continueOnFailure: true
    request: GET /evil-header
    expect:
      headers: { x-evil: calm }
  - name: "::error::Evil \\u202ebody\\u001b[8m"
    doc: "![beacon](${server.url}/beacon/doc.png)"
    continueOnFailure: true
    request: GET /evil-body
    expect:
      body: { msg: calm }
      schema:
        type: object
        additionalProperties: { type: string }
    assert:
      - body.msg == 'calm'
  - name: Passes
    request: GET /beacon/step
`,
  );
  // Debug logs on stderr too: they carry the server's headers.
  r = await runCli(['run', nb, '--base-url', server.url, '--out', out, '--log-level', 'debug'], { env: { GITHUB_ACTIONS: 'true' } });
  report = readJson(join(out, 'report.json'));
});
after(() => server.close());

describe('hostile server text in the console (M2)', () => {
  it('the run fails on the hostile steps, as it should', () => {
    assert.equal(r.code, 1, r.stderr);
    assert.equal(report.summary.steps, 4);
    assert.equal(report.summary.passed, 1);
  });

  it('no control character reaches stdout or stderr', () => {
    for (const [name, text] of [['stdout', r.stdout], ['stderr', r.stderr]] as const) {
      const bad = ACTS_ON_TERMINAL.exec(text);
      assert.equal(bad, null, `${name} carries U+${bad?.[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${bad?.index}: ${JSON.stringify(text.slice(Math.max(0, (bad?.index ?? 0) - 40), (bad?.index ?? 0) + 40))}`);
    }
  });

  it('shows what the server sent, made visible', () => {
    assert.match(r.stdout, /\\u001b\]52;c;aGk=\\u0007/, 'the OSC 52 clipboard write, shown as text');
    assert.match(r.stdout, /\\x9b2K/, 'the C1 erase-line from the header, shown as text');
    assert.match(r.stdout, /Invalid JSON \\x1b\]0;pwned\\x07 body/, 'the step name written with \\u001b');
  });

  it('under GITHUB_ACTIONS, the only workflow commands on stdout are our annotations, one per failed step', () => {
    const commands = r.stdout.split('\n').filter((l) => WORKFLOW.test(l));
    assert.equal(commands.length, 3, commands.join('\n'));
    for (const c of commands) assert.match(c, /^::error file=[^:,]+,line=\d+,col=\d+::[^\n]*$/);
    // The step named `::error::…` and the title `::warning::…` are shown, marked, not run.
    assert.match(r.stdout, /^› .*::warning::title/m);
  });
});

describe('hostile server text in report.md (M1)', () => {
  const md = new MarkdownIt({ html: true });
  // The report's own HTML: anchors, folded bodies, the footer. Nothing else may parse as HTML.
  const OURS = /^(<a name="nb\d+-step\d+">|<\/a>|<details>|<\/details>|<summary>|<\/summary>|<sub>|<\/sub>)$/;

  it('renders every step under its own heading, and no heading or HTML of the server’s', () => {
    const text = readFileSync(join(out, 'report.md'), 'utf8');
    const tokens = md.parse(text, {});
    const headings = tokens.filter((t) => t.type === 'heading_open').map((t) => t.tag);
    assert.deepEqual(headings, ['h1', 'h2', 'h3', 'h3', 'h3', 'h3'], 'one title, one notebook, four steps');
    const html = tokens.flatMap((t) => [t, ...(t.children ?? [])]).filter((t) => t.type === 'html_block' || t.type === 'html_inline');
    for (const t of html) for (const piece of t.content.split(/(?=<)/).map((s) => s.trim()).filter(Boolean)) assert.match(piece, OURS, `HTML from outside: ${JSON.stringify(t.content)}`);
    assert.equal(html.filter((t) => /<a name=/.test(t.content)).length, 4, 'every step has its anchor: nothing was hidden');
    const rendered = md.render(text);
    assert.doesNotMatch(rendered, /<img|<!--/);
    // Everything after the hostile steps is still there.
    assert.match(rendered, /<h3>✅ Passes<\/h3>/);
    assert.match(text, /api-notebook .* · started /);
  });

  it('shows the server’s text as code or escaped text, and control characters visibly', () => {
    const text = readFileSync(join(out, 'report.md'), 'utf8');
    assert.equal(ACTS_ON_TERMINAL.test(text.replace(/\t/g, '')), false);
    assert.match(md.render(text), /\\u001b\]52;c;aGk=\\u0007/);
    assert.match(md.render(text), /<h1>::warning::title \\x1b\[2J from a pull request: ❌ Failed<\/h1>/);
  });
});

describe('report.html in Chromium (L1)', () => {
  let browser: Browser;
  before(async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(() => browser?.close());

  it('has a strict Content-Security-Policy: its own stylesheet by hash, nothing remote, no script', () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.ok(csp, 'a CSP meta');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /style-src 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
    assert.doesNotMatch(csp, /script-src|unsafe|https?:|\*/);
  });

  it('loads nothing from anywhere, runs nothing, and still works (styles, links, folds)', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    const violations: string[] = [];
    page.on('request', (q) => requests.push(q.url()));
    page.on('console', (m) => violations.push(m.text()));
    page.on('dialog', (d) => {
      violations.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    beacons.length = 0;
    await page.goto(pathToFileURL(join(out, 'report.html')).href);
    await page.waitForLoadState('load');
    assert.deepEqual(requests.filter((u) => !u.startsWith('file:')), [], 'no request leaves the page');
    assert.deepEqual(beacons, [], 'the server saw no beacon');
    assert.deepEqual(violations.filter((v) => !/Content Security Policy|Content-Security-Policy/.test(v) || /style/.test(v)), [], 'no dialog, and the stylesheet is allowed');
    assert.equal(await page.locator('script').count(), 0);
    assert.equal(await page.locator('img').count(), 0, 'remote images are links, hostile tags are text');
    const links = await page.locator('a.remote-image').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(links.sort(), [`${server.url}/beacon/doc.png`, `${server.url}/beacon/md.png`]);
    // The stylesheet applies (CSP allowed its hash): the failed step is red-bordered.
    assert.equal(await page.locator('section.step').count(), 4);
    const failed = page.locator('section.step.failed').first();
    assert.equal(await failed.evaluate((el) => getComputedStyle(el).borderLeftColor), 'rgb(207, 34, 46)');
    assert.equal(await page.locator('.failures a').count(), 3);
    for (const href of await page.locator('.failures a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) assert.equal(await page.locator(href!).count(), 1);
    // The hostile text is there, as text.
    const body = await page.locator('main').innerText();
    assert.match(body, /<img src=x onerror=alert\(1\)>/);
    assert.match(body, /\\u001b\]52;c;aGk=\\u0007/);
    assert.match(body, /Invalid JSON \\x1b\]0;pwned\\x07 body/);
    await page.close();
  });
});

describe('junit.xml', () => {
  it('is valid for the Ant schema and carries no control character', () => {
    const file = join(out, 'junit.xml');
    execFileSync('xmllint', ['--noout', '--schema', join(ROOT, 'test', 'fixtures', 'junit', 'JUnit.xsd'), file], { stdio: 'pipe' });
    assert.equal(ACTS_ON_TERMINAL.test(readFileSync(file, 'utf8').replace(/\t/g, '')), false);
  });
});

describe('broken notebooks and hostile file names (M2: diagnostics)', () => {
  it('a diagnostic quoting a key written with \\u001b, and a file named with escapes, act on nothing', async () => {
    const dir = tempDir();
    // A file a pull request could add to a folder of notebooks: its name sets the window title.
    writeFileSync(join(dir, 'a\u001b]0;pwned\u0007.yaml'), 'title: Named\nsteps:\n  - name: One\n    request: GET https://api.example.test/x\n');
    const ok = await runCli(['validate', dir]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /✔ .*a\\x1b\]0;pwned\\x07\.yaml: 1 steps/);
    assert.equal(ACTS_ON_TERMINAL.test(ok.stdout + ok.stderr), false, JSON.stringify(ok.stdout));
    writeFileSync(join(dir, 'b.yaml'), 'title: Broken\nsteps:\n  - name: One\n    request: GET https://api.example.test/x\n    "exp\\u001b[2J\\u001b]52;c;aGk=\\u0007ect": {}\n');
    const broken = await runCli(['validate', dir], { env: { GITHUB_ACTIONS: 'true' } });
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /unknown key `exp\\x1b\[2J\\x1b\]52;c;aGk=\\x07ect`/);
    assert.equal(ACTS_ON_TERMINAL.test(broken.stdout + broken.stderr), false, JSON.stringify(broken.stderr));
  });
});

describe('usage errors quoting a hostile file name (M2: stderr)', () => {
  it('a file named with a line break and `::set-output` cannot start a workflow command on stderr', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a\n::set-output name=x::y\n.yaml'), 'title: No base URL\nsteps:\n  - name: One\n    request: GET /x\n');
    const r = await runCli(['run', dir, '--out', tempDir()], { env: { GITHUB_ACTIONS: 'true' } });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /no base URL/);
    for (const line of (r.stdout + r.stderr).split('\n')) assert.doesNotMatch(line, WORKFLOW, JSON.stringify(r.stderr));
  });
});

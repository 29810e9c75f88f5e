/**
 * The reports people read, rendered from real runs of the CLI: junit.xml validates against the
 * Ant JUnit schema (xmllint), report.html shows the truth in real Chromium, report.md renders
 * the same, secrets appear nowhere, and an interrupted run still leaves every file whole.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { interruptAfter, readJson, ROOT, runCli, tempDir } from './helpers/cli.js';
import { json, startTestServer, type TestServer } from './helpers/server.js';

/** The Ant JUnit schema, vendored with its licence note (test/fixtures/junit/README.md). */
const XSD = join(ROOT, 'test', 'fixtures', 'junit', 'JUnit.xsd');
const SECRET = 'sk_test_report_secret_value';
const FIX = 'test/fixtures/reports';

let server: TestServer;
let mixed: { out: string; code: number | null; stdout: string; stderr: string; report: any };
before(async () => {
  server = await startTestServer();
  // A body long enough (40 items) to be folded in the walkthrough.
  server.route('GET', '/thing', (_req, res) => json(res, 200, { id: 'th_1', amount: 2000, items: Array.from({ length: 40 }, (_, i) => i) }));
  // Echoes everything back, the secret included, in the body and a header.
  server.route('POST', '/echo', (req, res) => json(res, 200, { url: req.url, auth: req.headers.authorization, body: req.body }, { 'x-echo-auth': String(req.headers.authorization) }));
  const out = tempDir();
  const r = await runCli(['run', join(FIX, 'mixed.yaml'), '--base-url', server.url, '--out', out, '--log-level', 'debug']);
  mixed = { ...r, out, report: readJson(join(out, 'report.json')) };
});
after(() => server.close());

function xmllint(file: string): { ok: boolean; output: string } {
  try {
    const output = execFileSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, output };
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('junit.xml', () => {
  it('validates against the Ant JUnit schema for a run with failures, errors and skips, with the right counts', () => {
    const file = join(mixed.out, 'junit.xml');
    const lint = xmllint(file);
    assert.ok(lint.ok, lint.output);
    const xml = readFileSync(file, 'utf8');
    const s = mixed.report.summary;
    assert.equal(s.failed, 2);
    assert.equal(s.errors, 1);
    assert.equal(s.skipped, 1);
    assert.match(xml, new RegExp(`<testsuite [^>]*tests="${s.steps}" failures="2" errors="1" skipped="1"`));
    assert.equal((xml.match(/<testcase /g) ?? []).length, s.steps, 'one testcase per step run, iterations and teardown included');
    assert.equal((xml.match(/<failure /g) ?? []).length, 2);
    assert.equal((xml.match(/<error /g) ?? []).length, 1);
    assert.equal((xml.match(/<skipped /g) ?? []).length, 1);
    assert.match(xml, /<testcase name="Each item \[2\/2\]"/);
    assert.match(xml, /<testcase name="teardown: Tidy up"/);
    assert.match(xml, /<failure message="body: body\.amount is 2000, expected 777" type="body">/);
    assert.match(xml, /<error message="[^"]*not valid JSON[^"]*" type="invalid-json">/);
  });

  it('validates for a passing run', async () => {
    const out = tempDir();
    const { code } = await runCli(['run', join(FIX, 'passing.yaml'), '--base-url', server.url, '--out', out]);
    assert.equal(code, 0);
    const lint = xmllint(join(out, 'junit.xml'));
    assert.ok(lint.ok, lint.output);
    assert.match(readFileSync(join(out, 'junit.xml'), 'utf8'), /tests="5" failures="0" errors="0" skipped="0"/);
  });

  it('the validator itself rejects a broken file (the test can fail)', () => {
    const out = tempDir();
    const broken = join(out, 'broken.xml');
    execFileSync('sh', ['-c', `sed 's/ classname="[^"]*"//' "${join(mixed.out, 'junit.xml')}" > "${broken}"`]);
    assert.equal(xmllint(broken).ok, false);
  });
});

describe('report.html in Chromium', () => {
  let browser: Browser;
  before(async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(() => browser?.close());

  it('shows the step count of report.json, marks the failing step, and shows expected and actual', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(join(mixed.out, 'report.html')).href);
    const s = mixed.report.summary;
    assert.equal(await page.textContent('[data-summary="steps"]'), String(s.steps));
    assert.equal(await page.textContent('[data-summary="failed"]'), String(s.failed));
    assert.equal(await page.locator('section.step').count(), s.steps);
    const failed = page.locator('section.step.failed', { hasText: 'Fails on amount' });
    assert.equal(await failed.count(), 1);
    assert.ok(await failed.locator('.badge.failed').isVisible(), 'the failing step is visibly marked');
    const color = await failed.evaluate((el) => getComputedStyle(el).borderLeftColor);
    assert.equal(color, 'rgb(207, 34, 46)', 'in red');
    const text = await failed.innerText();
    assert.match(text, /body\.amount: expected 777, got 2000/);
    assert.match(text, /mixed\.yaml:\d+:\d+/, 'where the check was written');
    // The summary links to each failure.
    const links = await page.locator('.failures a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.equal(links.length, s.failed + s.errors);
    for (const href of links) assert.equal(await page.locator(href!).count(), 1);
    // Prose HTML is escaped, not run; no network requests beyond the file itself.
    assert.equal(await page.locator('script').count(), 0);
    assert.match(await page.locator('article .prose').first().innerText(), /<script>alert/);
    assert.deepEqual(requests.filter((u) => !u.startsWith('file:')), []);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `readable on a phone without sideways scrolling (${width}px)`);
    await page.screenshot({ path: join(mixed.out, 'report-phone.png'), fullPage: false });
    await page.close();
  });

  it('prints with folded bodies unfolded', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(mixed.out, 'report.html')).href);
    await page.emulateMedia({ media: 'print' });
    const folded = page.locator('details > pre').first();
    assert.equal(await folded.count(), 1, 'the long body is folded');
    await page.emulateMedia({ media: 'screen' });
    assert.equal(await folded.isVisible(), false, 'folded on screen');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await folded.isVisible(), true, 'unfolded on paper');
    const pdf = await page.pdf({ format: 'A4' });
    assert.ok(pdf.length > 10_000);
    await page.close();
  });
});

describe('report.md', () => {
  it('has the summary, links to failures, and the evidence', () => {
    const md = readFileSync(join(mixed.out, 'report.md'), 'utf8');
    const s = mixed.report.summary;
    assert.match(md, new RegExp(`\\| ${s.notebooks} \\| ${s.steps} \\| ${s.passed} \\| ${s.failed} \\| ${s.errors} \\| ${s.skipped} \\|`));
    assert.match(md, /^# A run with every outcome: ❌ Failed/m);
    assert.match(md, /- \[A run with every outcome — Fails on amount\]\(#nb0-step\d+\): body\.amount is 2000, expected 777/);
    assert.match(md, /### ❌ Fails on amount/);
    assert.match(md, /body\.amount: expected 777, got 2000/);
    assert.match(md, /### ⏭️ Skipped after the failure/);
  });
});

describe('secrets', () => {
  it('the secret echoed back by the server appears in no output file or stream', () => {
    const files = readdirSync(mixed.out).filter((f) => !f.endsWith('.png'));
    assert.ok(files.length >= 4);
    const encoded = [SECRET, encodeURIComponent(SECRET), Buffer.from(SECRET).toString('base64')];
    for (const f of files) {
      const text = readFileSync(join(mixed.out, f), 'utf8');
      for (const e of encoded) assert.ok(!text.includes(e), `${f} holds the secret`);
    }
    for (const [name, text] of [['stdout', mixed.stdout], ['stderr (debug logs)', mixed.stderr]]) {
      for (const e of encoded) assert.ok(!text.includes(e), `${name} holds the secret`);
    }
    assert.ok(mixed.stderr.includes('"msg":"request"'), 'the debug logs were on');
    const echo = mixed.report.notebooks[0].steps.find((s: any) => s.name === 'Echo the secret back');
    assert.equal(echo.request.headers.authorization, '[REDACTED]');
    assert.match(echo.request.url, /key=\[REDACTED\]/);
    assert.equal(echo.response.headers['x-echo-auth'], 'Bearer [REDACTED]');
    assert.match(echo.response.body.body, /\[REDACTED\]/);
    // The server did get the real key: redaction is in the reports only.
    assert.ok(server.requests.some((r) => r.headers.authorization === `Bearer ${SECRET}`));
  });
});

describe('console', () => {
  it('prints what the golden file shows (timings, ports and paths normalised)', () => {
    const golden = join(ROOT, 'test', 'fixtures', 'console', 'mixed.stdout');
    const normalised = mixed.stdout
      .replace(/\d+(\.\d+)? ms/g, 'N ms')
      .replace(/in [\d.]+ s/g, 'in N s')
      .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
      .replace(/[^\s,]*api-notebook-[A-Za-z0-9]+/g, 'OUT');
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) writeFileSync(golden, normalised);
    assert.equal(normalised, readFileSync(golden, 'utf8'));
  });

  it('prints each step, the evidence of failures with file:line, and a summary; no colour without a terminal', () => {
    const out = mixed.stdout;
    assert.match(out, /✔ Passes GET \/thing → 200 \d+ ms/);
    assert.match(out, /✔ Each item \[1\/2\] GET \/thing\?item=a → 200/);
    assert.match(out, /✘ Fails on amount GET \/thing → 200/);
    assert.match(out, /body: body\.amount is 2000, expected 777\n\s+at test\/fixtures\/reports\/mixed\.yaml:\d+:\d+\n\s+body\.amount\n\s+- expected 777\n\s+\+ actual   2000/);
    assert.match(out, /! Errors on bad JSON GET \/bad-json/);
    assert.match(out, /✔ teardown: Tidy up/);
    assert.match(out, /Failed\. 1 notebook, 9 steps: 5 passed, 2 failed, 1 error, 1 skipped in [\d.]+ s/);
    assert.match(out, /Reports: .*report\.json, .*junit\.xml, .*report\.html, .*report\.md/);
    assert.doesNotMatch(out, /\x1b\[/);
  });

  it('--quiet prints only failures and the summary; FORCE_COLOR colours', async () => {
    const { stdout } = await runCli(['run', join(FIX, 'mixed.yaml'), '--base-url', server.url, '--out', tempDir(), '--quiet'], { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
    assert.doesNotMatch(stdout, /Passes/);
    assert.match(stdout, /Fails on amount/);
    assert.match(stdout, /\x1b\[31m/);
    assert.match(stdout, /9 steps/);
  });

  it('--reporter chooses the files', async () => {
    const out = tempDir();
    await runCli(['run', join(FIX, 'passing.yaml'), '--base-url', server.url, '--out', out, '--reporter', 'junit,markdown']);
    assert.deepEqual(readdirSync(out).sort(), ['junit.xml', 'report.md']);
  });
});

describe('never lose a report', () => {
  it('interrupted mid-step, every report file is whole and parses', async () => {
    const out = tempDir();
    const result = await runCli(['run', 'test/fixtures/runner/interrupt.yaml', '--base-url', server.url, '--out', out], { onSpawn: interruptAfter('Quick', 'SIGTERM') });
    assert.equal(result.code, 130);
    assert.equal(readJson(join(out, 'report.json')).interrupted, true);
    assert.ok(xmllint(join(out, 'junit.xml')).ok);
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /<\/html>\s*$/);
    assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /Interrupted/);
    assert.deepEqual(readdirSync(out).filter((f) => f.endsWith('.tmp')), [], 'no temp files left behind');
    assert.ok(existsSync(join(out, 'report.json')));
  });
});

/**
 * The reports keep a `use:`'s steps together, through the real bin against the token server:
 * junit.xml names the use in the classname of its (contiguous) testcases and stays valid against
 * the Ant schema; report.html shows each use as a block headed by its name and file:line, its
 * steps inside with their own source lines, in real Chromium; a failing used step marks its
 * block failed; report.md and the console head and close each use.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { ROOT, runCli, tempDir, writeInto } from './helpers/cli.js';
import { tokenServer, type Tokens } from './helpers/token-server.js';

const XSD = join(ROOT, 'test', 'fixtures', 'junit', 'JUnit.xsd');

/** Logs in, then uses the token; `suffix` spoils it (the second step then fails with a 401). */
const SESSION = `title: Session
inputs:
  user: { default: alice }
  suffix: { default: "" }
steps:
  - name: Request a token
    request:
      method: POST
      path: /login
      json: { user: "\${user}" }
    expect: { status: 200 }
    capture:
      token: body.token
  - name: Use the token
    request:
      method: GET
      path: /orders
      headers: { Authorization: "Bearer \${token}\${suffix}" }
    expect: { status: 200 }
teardown:
  - name: Revoke the token
    request:
      method: DELETE
      path: /login
      headers: { Authorization: "Bearer \${token}" }
`;

const MAIN = `title: Main
steps:
  - name: Before
    request: GET /orders
    expect: { status: 401 }
  - use: ../common/session.yaml
  - use: ../common/session.yaml
    name: Broken session
    with: { suffix: x }
`;

describe('use: in the reports', () => {
  let srv: Tokens;
  let out: string;
  let run: { code: number | null; stdout: string; stderr: string };
  before(async () => {
    srv = await tokenServer();
    const repo = tempDir('api-notebook-use-reports-');
    mkdirSync(join(repo, '.git'));
    writeInto(repo, 'common/session.yaml', SESSION);
    writeInto(repo, 'suite/main.yaml', MAIN);
    out = join(repo, 'out');
    run = await runCli(['run', join(repo, 'suite/main.yaml'), '--base-url', srv.url, '--out', out], { cwd: repo });
  });
  after(() => srv.server.close());

  it('fails the run on the used step that sent a spoiled token', () => {
    assert.equal(run.code, 1, run.stdout + run.stderr);
  });

  it('junit.xml: the testcases of a use carry its name as classname suffix, contiguous, valid against the Ant schema', () => {
    const file = join(out, 'junit.xml');
    execFileSync('xmllint', ['--noout', '--schema', XSD, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const xml = readFileSync(file, 'utf8');
    const cases = [...xml.matchAll(/<testcase name="([^"]*)" classname="([^"]*)"/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(cases, [
      ['Before', 'Main'],
      ['Session › Request a token', 'Main › Session'],
      ['Session › Use the token', 'Main › Session'],
      ['Broken session › Request a token', 'Main › Broken session'],
      ['Broken session › Use the token', 'Main › Broken session'],
      ['teardown: Broken session › Revoke the token', 'Main › Broken session'],
      ['teardown: Session › Revoke the token', 'Main › Session'],
    ]);
    assert.match(xml, /<testcase name="Broken session › Use the token" classname="Main › Broken session"[^>]*>\s*<failure /);
  });

  it('report.html: a use is a block headed by its name and file:line, holding its steps with their source lines', () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const blocks = [...html.matchAll(/<details class="use"[^>]*data-use="([^"]*)" data-use-at="([^"]*)"([^>]*)>([\s\S]*?<p class="use-verdict[^>]*>[^<]*<\/p>)<\/details>/g)];
    assert.deepEqual(blocks.map((b) => [b[1], b[2], b[3].includes('teardown')]), [
      ['Session', 'suite/main.yaml:6', false],
      ['Broken session', 'suite/main.yaml:7', false],
      ['Broken session', 'suite/main.yaml:7', true],
      ['Session', 'suite/main.yaml:6', true],
    ]);
    const [session, broken] = blocks.map((b) => b[4]);
    assert.match(session, /<summary>Use: Session <span class="meta">suite\/main\.yaml:6<\/span><\/summary>/);
    assert.match(session, /Session › Request a token[\s\S]*at common\/session\.yaml:6[\s\S]*Session › Use the token[\s\S]*at common\/session\.yaml:14/);
    assert.match(session, /data-use-status="passed"/);
    assert.match(broken, /<section class="step failed"[^>]*>[\s\S]*Broken session › Use the token/);
    assert.match(broken, /data-use-status="failed"[^>]*>✘ Broken session: failed \(2 steps, 1 failed\)/);
    // The notebook's own step is outside every block.
    assert.doesNotMatch(blocks.map((b) => b[4]).join(''), />✔ passed<\/span>Before</);
  });

  it('report.html in Chromium: the blocks show, open, and only the failing use is marked failed', async () => {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      await page.goto(pathToFileURL(join(out, 'report.html')).href);
      const shown = await page.$$eval('details.use', (els) => els.map((d) => {
        const summary = d.querySelector('summary')!;
        const after = getComputedStyle(summary, '::after').content;
        const steps = [...d.querySelectorAll('section.step h3')].map((h) => (h as HTMLElement).innerText);
        const box = d.getBoundingClientRect();
        return { open: (d as HTMLDetailsElement).open, heading: summary.innerText, after, steps, visible: box.height > 0, border: getComputedStyle(d).borderLeftColor };
      }));
      assert.equal(shown.length, 4);
      assert.ok(shown.every((s) => s.open && s.visible), JSON.stringify(shown));
      assert.match(shown[0].heading, /^Use: Session suite\/main\.yaml:6/);
      assert.deepEqual(shown[0].steps.map((s) => s.replace(/^\S+ (passed|failed|error|skipped)/, '').trim()), ['Session › Request a token', 'Session › Use the token']);
      assert.ok(!shown[0].after.includes('failed'), shown[0].after);
      assert.match(shown[1].after, /failed/);
      assert.notEqual(shown[1].border, shown[0].border, 'the failed block has the failure colour');
      // The summary's link to the failure lands inside the failed block.
      const target = await page.$eval('.failures a', (a) => document.querySelector((a as HTMLAnchorElement).getAttribute('href')!)!.closest('details.use')?.getAttribute('data-use'));
      assert.equal(target, 'Broken session');
      assert.deepEqual(errors, [], 'no CSP or other console errors');
    } finally {
      await browser.close();
    }
  });

  it('merge re-renders the groups from report.json (the `used` field), junit and html alike', async () => {
    const merged = join(out, '..', 'merged');
    const r = await runCli(['merge', out, '--out', merged]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const xml = readFileSync(join(merged, 'junit.xml'), 'utf8');
    assert.match(xml, /<testcase name="Session › Request a token" classname="Main › Session"/);
    const html = readFileSync(join(merged, 'report.html'), 'utf8');
    assert.equal((html.match(/<details class="use"/g) ?? []).length, 4);
    assert.match(html, /data-use-status="failed"/);
  });

  it('report.md and the console head each use and close it with its verdict', () => {
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    assert.match(md, /\*\*▸ Use: Session\*\* · `suite\/main\.yaml:6`[\s\S]*### ✅ Session › Request a token\n\n_at `common\/session\.yaml:6`_[\s\S]*\*\*◂ ✅ Session: passed\*\* \(2 steps\)/);
    assert.match(md, /\*\*◂ ❌ Broken session: failed\*\* \(2 steps, 1 failed\)/);
    assert.match(run.stdout, /\n {2}▸ use Session \(suite\/main\.yaml:6\)\n {4}✔ Session › Request a token/);
    assert.match(run.stdout, /\n {4}✘ Broken session › Use the token/);
    assert.match(run.stdout, /\n {2}✔ Before/);
  });
});

/**
 * `api-notebook open` as a user meets it: the real bin as a child process, the page in real
 * Chromium, the embedded mock or a real test server behind it, real files edited on disk.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ROOT, runCli, tempDir } from '../helpers/cli.js';
import { json, startTestServer, type TestServer } from '../helpers/server.js';
import { api, launchChromium, raw, readEvents, startOpen, type OpenProcess } from './helpers.js';

const FLAGSHIP = 'notebooks/stripe/accounts-customers-plans-coupons.yaml';
const FIX = 'test/fixtures/open';
const SECRET_KEY = 'sk_test_open_page_secret_4f9c2a';
const FINAL = ['passed', 'failed', 'error', 'skipped'];
// The page notices a change on disk within a second or two on a quiet machine (fs.watch, or a
// 500 ms poll); the test machine is shared by many processes, so it allows more.
const RELOAD_MS = 10_000;

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

async function openPage(open: OpenProcess): Promise<{ page: Page; responses: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const responses: string[] = [];
  page.on('response', async (res) => {
    if (res.url().includes('/api/events')) return;
    responses.push(await res.text().catch(() => ''));
  });
  page.on('pageerror', (err) => assert.fail(`error in the page: ${err.message}`));
  await page.goto(open.url);
  await page.waitForSelector('[data-step="0"]');
  return { page, responses };
}

const statuses = (page: Page) => page.$$eval('[data-step]', (cells) => Object.fromEntries(cells.map((c) => [c.getAttribute('data-step'), c.getAttribute('data-status')])));

async function settled(page: Page, ids?: string[]): Promise<Record<string, string>> {
  await page.waitForFunction(
    ({ ids, final }) => {
      const cells = [...document.querySelectorAll('[data-step]')].filter((c) => !ids || ids.includes(c.getAttribute('data-step')!));
      return cells.length > 0 && cells.every((c) => final.includes(c.getAttribute('data-status')!)) && !document.body.classList.contains('busy');
    },
    { ids, final: FINAL },
    { timeout: 20_000 },
  );
  return statuses(page) as Promise<Record<string, string>>;
}

describe('open: the flagship in the page', () => {
  let open: OpenProcess;
  let page: Page;
  let responses: string[];
  before(async () => {
    open = await startOpen([FLAGSHIP], { STRIPE_SECRET_KEY: SECRET_KEY });
    ({ page, responses } = await openPage(open));
  });
  after(async () => {
    await page?.close();
    if (open?.child.exitCode === null) await open.stop();
  });

  it('prints the URL first, with the token in the fragment only', () => {
    assert.match(open.url, /^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{20,}$/);
  });

  it('Run all plays every cell to passed or an honest skip, each under its cell', async () => {
    assert.equal(await page.getAttribute('[data-step="0"]', 'data-status'), 'idle');
    assert.match(await page.textContent('[data-step="0"] pre.wire') ?? '', /GET http:\/\/127\.0\.0\.1:\d+\/v1\/account\nauthorization: \[REDACTED\]\n.*stripe-version: 2015-07-28/s);
    const t0 = performance.now();
    await page.getByRole('button', { name: 'Run all', exact: true }).click();
    const result = await settled(page);
    const ms = performance.now() - t0;
    if (process.env.UPDATE_SCREENSHOT) await page.screenshot({ path: join(ROOT, 'docs', 'open.png') }); // the README's picture
    const cells = Object.entries(result);
    assert.equal(cells.length, 31, 'every step and teardown cell');
    assert.deepEqual(cells.filter(([, s]) => s !== 'passed' && s !== 'skipped'), []);
    const skipped = cells.filter(([, s]) => s === 'skipped').map(([id]) => id);
    assert.deepEqual(skipped, ['2', '7', '11'], 'only the clean-ups of leftovers, which a fresh mock does not have');
    for (const id of skipped) assert.match(await page.textContent(`[data-step="${id}"] .results`) ?? '', /Skipped: forEach list is empty/);
    // The results are under their cell: status, time, checks, captures, the body in the inspector.
    const create = page.locator('[data-step="3"]');
    assert.match(await create.locator('.result-head').textContent() ?? '', /passed.*200.*POST http:\/\/127\.0\.0\.1:\d+\/v1\/plans.*ms/s);
    assert.match(await create.locator('ul.checks').textContent() ?? '', /status.*expected 200.*schema plan.*openapi POST \/v1\/plans/s, 'the same checks as `run`, the notebook\'s OpenAPI description included');
    assert.match(await create.locator('.captured').textContent() ?? '', /createdPlanId = "TEST_NOTEBOOK_PLAN"/);
    // The body inspector folds: a long body shows its first keys, and opens on a click.
    const inspector = create.locator('.inspector');
    assert.match(await inspector.locator('summary').first().textContent() ?? '', /\{…\} \d+ keys\s+id, object, /);
    assert.doesNotMatch(await inspector.textContent() ?? '', /interval: "week"/);
    await inspector.locator('summary').first().click();
    // The folded part is rendered when it opens: wait for it rather than read in the same turn.
    await inspector.getByText('interval: "week"').first().waitFor({ timeout: 5000 });
    assert.match(await inspector.textContent() ?? '', /interval: "week"/);
    assert.match(await page.textContent('#values') ?? '', /customerId.*capture.*"cus_/s);
    assert.match(await page.textContent('#summary') ?? '', /28 passed.*3 skipped.*played in/s);
    process.stderr.write(`# the flagship played in the page in ${Math.round(ms)} ms (click to last cell settled)\n`);
  });

  it('Reset forgets everything; Run on a later cell runs the cells before it first', async () => {
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-step]')].every((c) => c.getAttribute('data-status') === 'idle'));
    assert.doesNotMatch(await page.textContent('#values') ?? '', /cus_/);
    await page.locator('[data-step="5"]').getByRole('button', { name: 'Run', exact: true }).click();
    await settled(page, ['0', '1', '2', '3', '4', '5']);
    const s = await statuses(page);
    assert.deepEqual(['0', '1', '2', '3', '4', '5'].map((id) => s[id]), ['passed', 'passed', 'skipped', 'passed', 'passed', 'passed']);
    assert.equal(s['6'], 'idle', 'the cells after it have not run');
    assert.equal(s['teardown-0'], 'idle');
    // On a fresh account: the plan was created again, not found left over.
    assert.match(await page.textContent('[data-step="3"] .results') ?? '', /createdPlanId/);
  });

  it('Shift+Enter runs the focused cell and moves to the next', async () => {
    await page.locator('[data-step="6"]').focus();
    await page.keyboard.press('Shift+Enter');
    await settled(page, ['6']);
    assert.equal(await page.getAttribute('[data-step="6"]', 'data-status'), 'passed');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-step')), '7');
  });

  it('the secret key is in no page and no answer of the API, though it was used', async () => {
    const html = await page.content();
    const events = await readEvents(open, 300);
    const state = await api(open, '/api/state');
    for (const [what, text] of [['DOM', html], ['event stream', events], ['state', state.text], ...responses.map((r, i) => [`response ${i}`, r])]) {
      assert.ok(!text.includes(SECRET_KEY), `the secret is in the ${what}`);
      assert.ok(!text.includes(Buffer.from(`${SECRET_KEY}:`).toString('base64')), `the secret's Basic form is in the ${what}`);
    }
    assert.match(events, /event: cell/);
    assert.match(html, /secret, never shown/);
    assert.ok(responses.length > 3);
  });

  it('refuses requests without the token, with a foreign Host or a foreign Origin (403), and sends no CORS', async () => {
    const host = `127.0.0.1:${open.port}`;
    const ok = await raw(open.port, 'GET', '/api/state', { host, 'x-api-notebook-token': open.token });
    assert.equal(ok.status, 200, 'the right request is served (so the refusals below mean something)');
    assert.equal((await raw(open.port, 'GET', '/api/state', { host })).status, 403, 'no token');
    assert.equal((await raw(open.port, 'GET', '/api/state', { host, 'x-api-notebook-token': 'wrong' })).status, 403, 'wrong token');
    assert.equal((await raw(open.port, 'POST', '/api/run-all', { host, 'content-type': 'application/json' }, '{}')).status, 403, 'no token on an action');
    assert.equal((await raw(open.port, 'GET', '/api/state', { host: `evil.example:${open.port}`, 'x-api-notebook-token': open.token })).status, 403, 'foreign Host (DNS rebinding)');
    assert.equal((await raw(open.port, 'GET', '/', { host: `evil.example:${open.port}` })).status, 403, 'foreign Host, even for the page');
    const csrf = await raw(open.port, 'POST', '/api/reset', { host, origin: 'http://evil.example', 'content-type': 'application/json', 'x-api-notebook-token': open.token }, '{}');
    assert.equal(csrf.status, 403, 'foreign Origin');
    assert.equal((await raw(open.port, 'POST', '/api/reset', { host, origin: `http://127.0.0.1:${open.port + 1}`, 'content-type': 'application/json', 'x-api-notebook-token': open.token }, '{}')).status, 403, 'another local port is another origin');
    const preflight = await raw(open.port, 'OPTIONS', '/api/reset', { host, origin: 'http://evil.example', 'access-control-request-method': 'POST' });
    assert.equal(preflight.status, 403);
    for (const r of [ok, preflight]) assert.equal(Object.keys(r.headers).filter((h) => h.startsWith('access-control-')).length, 0);
    const page = await raw(open.port, 'GET', '/', { host: `localhost:${open.port}` });
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-security-policy']), /default-src 'none'/);
  });

  it('Ctrl-C runs the teardown of what was run, then exits 0', async () => {
    const code = await open.stop();
    assert.equal(code, 0);
    // After Reset, cells 0-6 ran: the plan and the coupon were created, the customer was not.
    assert.match(open.stderr(), /teardown: Delete the customer → skipped/);
    assert.match(open.stderr(), /teardown: Delete the plan → passed/);
    assert.match(open.stderr(), /teardown: Delete the coupon → skipped/);
  });
});

describe('open: failures and loops in the page', () => {
  it('shows each forEach run, and a failed check with what was expected and what came back', async () => {
    const open = await startOpen([join(FIX, 'failing.yaml')]);
    const { page } = await openPage(open);
    try {
      await page.getByRole('button', { name: 'Run all', exact: true }).click();
      const s = await settled(page);
      assert.deepEqual(s, { 0: 'passed', 1: 'failed', 2: 'skipped', 'teardown-0': 'passed' });
      const loop = await page.textContent('[data-step="0"] .results') ?? '';
      assert.match(loop, /run 1 of 3 · "GOLD".*run 2 of 3 · "SILVER".*run 3 of 3 · "BRONZE"/s);
      const failed = page.locator('[data-step="1"] li.fail');
      assert.equal(await failed.count(), 2);
      assert.match(await failed.nth(0).textContent() ?? '', /status: 200 is not 404.*expected\D*404.*actual\s*200/s);
      assert.match(await failed.nth(1).textContent() ?? '', /body\.object.*expected "customer", actual "account".*expected.*"customer".*actual.*"account"/s);
      assert.match(await page.textContent('[data-step="2"]') ?? '', /an earlier step failed/);
    } finally {
      await page.close();
      assert.equal(await open.stop(), 0);
    }
  });
});

describe('open: editing', () => {
  let dir: string;
  let file: string;
  let original: string;
  let open: OpenProcess;
  let page: Page;
  before(async () => {
    dir = tempDir();
    file = join(dir, 'notebook.yaml');
    // The flagship, moved: its relative `openapi:` path made absolute so it still resolves.
    const text = readFileSync(join(ROOT, FLAGSHIP), 'utf8');
    writeFileSync(file, text.replace(/^openapi: \.\.\/\.\.\/(.*)$/m, (_m, rest: string) => `openapi: ${join(ROOT, rest)}`));
    original = readFileSync(file, 'utf8');
    open = await startOpen([file]);
    ({ page } = await openPage(open));
    await page.locator('[data-step="3"]').getByRole('button', { name: 'Run', exact: true }).click();
    await settled(page, ['3']);
  });
  after(async () => {
    await page?.close();
    if (open?.child.exitCode === null) await open.stop();
  });

  it('an edit on disk appears in the page, keeping the captured values', async () => {
    const t0 = performance.now();
    writeFileSync(file, original.replace('  - name: Retrieve the plan\n', '  - name: Read the plan back\n'));
    await page.waitForFunction(() => document.querySelector('[data-step="4"] h3')?.textContent === 'Read the plan back', null, { timeout: RELOAD_MS });
    process.stderr.write(`# an edit on disk reached the page in ${Math.round(performance.now() - t0)} ms\n`);
    assert.equal(await page.getAttribute('[data-step="3"]', 'data-status'), 'passed', 'results of unchanged cells stay');
    assert.match(await page.textContent('#values') ?? '', /createdPlanId.*"TEST_NOTEBOOK_PLAN"/s);
  });

  it('a broken edit on disk shows its diagnostics in the page; fixing it clears them', async () => {
    writeFileSync(file, original.replace('    request: GET /v1/account\n    expect:', '    request: GET /v1/account\n    expekt:'));
    await page.waitForSelector('#file-problems:not([hidden])', { timeout: RELOAD_MS });
    const text = await page.textContent('#file-problems') ?? '';
    assert.match(text, /unknown key `expekt`/);
    assert.match(text, /notebook\.yaml:\d+:5/);
    assert.match(text, /did you mean `expect`\?/);
    writeFileSync(file, original);
    await page.waitForSelector('#file-problems[hidden]', { state: 'attached', timeout: RELOAD_MS });
  });

  it('an edit in the page is checked like validate (at the line), saved with every comment kept, and re-runs', async () => {
    const cell = page.locator('[data-step="0"]');
    await cell.getByRole('button', { name: 'Edit', exact: true }).click();
    const editor = cell.locator('textarea');
    const yaml = await editor.inputValue();
    assert.match(yaml, /^name: Retrieve the account\ndoc: \|\n {2}Retrieves/);
    await editor.fill(yaml.replace('expect:', 'expekt:'));
    await cell.locator('.diagnostics li').first().waitFor();
    const line = yaml.split('\n').findIndex((l) => l.startsWith('expect:')) + 1;
    assert.match(await cell.locator('.diagnostics').textContent() ?? '', new RegExp(`line ${line}, col 1: unknown key \`expekt\``));
    assert.equal(await cell.locator('.gutter .bad').textContent(), `${line}\n`);
    const edited = yaml.replace('name: Retrieve the account', '# Renamed in the page.\nname: Retrieve the account again').replace('body: { object: account }', 'body: { object: account, country: US }');
    await editor.fill(edited);
    await cell.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('[data-step="0"] h3')?.textContent === 'Retrieve the account again');
    const saved = readFileSync(file, 'utf8');
    for (const comment of original.split('\n').filter((l) => l.trim().startsWith('#'))) assert.ok(saved.includes(comment), `comment kept: ${comment}`);
    assert.match(saved, /\n {2}- # Renamed in the page\.\n {4}name: Retrieve the account again\n/);
    assert.match(saved, /body: \{ object: account, country: US \}/);
    const start = original.indexOf('  - name: Retrieve the account');
    const end = original.indexOf('  - name: List plans');
    assert.equal(saved.slice(0, start), original.slice(0, start), 'the text before the cell is untouched');
    assert.equal(saved.slice(saved.indexOf('  - name: List plans')), original.slice(end), 'the text after the cell is untouched');
    assert.equal((await runCli(['validate', file])).code, 0);
    await cell.getByRole('button', { name: 'Run', exact: true }).click();
    await settled(page, ['0']);
    assert.match(await cell.locator('ul.checks').textContent() ?? '', /body expected \{"object":"account","country":"US"\}/);
    // Shift+Enter in the editor saves and runs: a wrong expectation now fails, with the evidence.
    await cell.getByRole('button', { name: 'Edit', exact: true }).click();
    await editor.fill((await editor.inputValue()).replace('country: US', 'country: XX'));
    await editor.press('Shift+Enter');
    await page.waitForFunction(() => document.querySelector('[data-step="0"]')?.getAttribute('data-status') === 'failed');
    assert.match(readFileSync(file, 'utf8'), /body: \{ object: account, country: XX \}/);
    assert.match(await cell.locator('li.fail').textContent() ?? '', /body\.country.*expected "XX", actual "US"/s);
  });
});

describe('open: a secret input asked in the page', () => {
  const SECRET = 'tok_open_page_very_secret_91b7';
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    server.route('POST', '/echo', (req, res) => json(res, 200, { auth: req.headers.authorization, header: req.headers['x-token'], body: JSON.parse(req.body) }, { 'x-echo': String(req.headers['x-token']) }));
  });
  after(() => server.close());

  it('asks in a password field, uses it, and never lets it into the DOM or any answer', async () => {
    const open = await startOpen([join(FIX, 'secret.yaml'), '--base-url', server.url]);
    const { page, responses } = await openPage(open);
    try {
      await page.locator('[data-step="0"]').getByRole('button', { name: 'Run', exact: true }).click();
      await page.waitForSelector('#inputs-form:not([hidden])');
      assert.equal(await page.getAttribute('input[name="token"]', 'type'), 'password');
      assert.equal(await page.getAttribute('input[name="team"]', 'type'), 'text');
      assert.equal(server.requests.length, 0, 'nothing is sent before the inputs are given');
      await page.fill('input[name="token"]', SECRET);
      await page.fill('input[name="team"]', 'platform');
      await page.getByRole('button', { name: 'Use these values' }).click();
      await page.waitForSelector('#inputs-form[hidden]', { state: 'attached' });
      await page.locator('[data-step="0"]').getByRole('button', { name: 'Run', exact: true }).click();
      await settled(page, ['0']);
      assert.equal(await page.getAttribute('[data-step="0"]', 'data-status'), 'passed');
      // The server did get it, and echoed it back in the body and a header.
      assert.equal(server.requests[0].headers.authorization, `Bearer ${SECRET}`);
      assert.equal(JSON.parse(server.requests[0].body).token, SECRET);
      const html = await page.content();
      assert.match(html, /\[REDACTED\]/);
      assert.match(html, /platform/);
      const events = await readEvents(open, 300);
      const state = await api(open, '/api/state');
      for (const text of [html, events, state.text, ...responses]) assert.ok(!text.includes(SECRET), 'the secret reached the page');
      assert.equal(await page.$$eval('input[type="password"]', (inputs) => inputs.map((i) => (i as HTMLInputElement).value).join('')), '', 'no password field holds it');
    } finally {
      await page.close();
      assert.equal(await open.stop(), 0);
    }
  });
});

describe('open: documented', () => {
  it('every option of `help open` is in the README and docs/open.md, and the README shows the screenshot', async () => {
    const { stdout } = await runCli(['help', 'open']);
    const flags = [...stdout.matchAll(/^\s+(--[a-z-]+)/gm)].map((m) => m[1]);
    assert.ok(flags.length >= 5);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const page = readFileSync(join(ROOT, 'docs', 'open.md'), 'utf8');
    for (const f of flags) {
      assert.ok(readme.includes(`\`${f}`), `README documents ${f}`);
      assert.ok(page.includes(`\`${f}`), `docs/open.md documents ${f}`);
    }
    assert.match(readme, /api-notebook open [^\n]*\n[\s\S]{0,1500}!\[[^\]]+\]\(docs\/open\.png\)/);
    const png = readFileSync(join(ROOT, 'docs', 'open.png'));
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    assert.ok(png.length < 400_000, 'the screenshot stays small');
  });
});

describe('open: bad input', () => {
  it('a missing file or a broken notebook is exit 2 with file:line:col, never a page', async () => {
    const missing = await runCli(['open', 'no-such.yaml', '--no-browser']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file: no-such\.yaml/);
    const dir = tempDir();
    writeFileSync(join(dir, 'broken.yaml'), 'title: Broken\nsteps:\n  - name: One\n    request: GET /x\n    expekt: { status: 200 }\n');
    const broken = await runCli(['open', join(dir, 'broken.yaml'), '--no-browser', '--base-url', 'http://127.0.0.1:9']);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /broken\.yaml:5:5/);
    assert.equal(broken.stdout, '');
    const bad = await runCli(['open', FLAGSHIP, '--port', 'x']);
    assert.equal(bad.code, 2);
  });
});

/**
 * M3 and L4 (issue 18). The browser opener's command line is readable by every local user in
 * `ps`: it gets a URL with a one-time code, never the token, and the page trades the code once.
 * The opener here is a script (named by $BROWSER, as xdg-open and Python honour it) that records
 * its argv; the URL it got is then opened in real Chromium. And `--host 0.0.0.0` says where the
 * page really is, with a warning.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { tempDir } from '../helpers/cli.js';
import { json, startTestServer, type TestServer } from '../helpers/server.js';
import { launchChromium, rawTarget, startOpen, type OpenProcess } from './helpers.js';

const NOTEBOOK = `title: Opened by the browser
steps:
  - name: Hello
    request: { method: GET, path: /hello }
    expect: { status: 200 }
`;

/** An opener that writes each argument it gets on a line of `file`, as `ps` would show them. */
function recordingOpener(dir: string): { command: string; file: string } {
  const file = join(dir, 'argv.txt');
  mkdirSync(join(dir, 'bin'));
  // Named as the system's opener, so it can stand in for it on PATH too.
  const command = join(dir, 'bin', 'xdg-open');
  writeFileSync(command, `#!/bin/sh\nprintf '%s\\n' "$0" "$@" > '${file}.part' && mv '${file}.part' '${file}'\n`);
  chmodSync(command, 0o755);
  return { command, file };
}

async function waitFor<T>(what: string, probe: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts `open` with the recording opener, found as the system's (`xdg-open` first on PATH) or
 * named by $BROWSER; returns the process and the argv the opener got.
 */
async function openWithBrowser(server: TestServer, via: 'PATH' | 'BROWSER'): Promise<{ open: OpenProcess; argv: string[]; dir: string }> {
  const dir = tempDir();
  const nb = join(dir, 'nb.yaml');
  writeFileSync(nb, NOTEBOOK);
  const opener = recordingOpener(dir);
  const env: Record<string, string> = via === 'PATH' ? { PATH: `${dirname(opener.command)}:${process.env.PATH}`, BROWSER: '', CI: '' } : { BROWSER: opener.command, CI: '' };
  const open = await startOpen([nb, '--base-url', server.url], env, undefined, { browser: true });
  const argv = await waitFor('the opener to run', () => (existsSync(opener.file) ? readFileSync(opener.file, 'utf8').trimEnd().split('\n') : undefined));
  return { open, argv, dir };
}

describe('open: the browser gets a one-time code, never the token (M3)', () => {
  let server: TestServer;
  let browser: Browser;
  before(async () => {
    server = await startTestServer();
    server.route('GET', '/hello', (_req, res) => json(res, 200, { hello: 'world' }));
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the opener argv holds no token; the page works through it once, and a second use fails', async () => {
    const { open, argv } = await openWithBrowser(server, 'PATH');
    try {
      assert.ok(argv[0].endsWith('/bin/xdg-open'), argv[0]);
      assert.equal(argv.length, 2, `the opener got one URL: ${argv.join(' ')}`);
      const link = argv[1];
      assert.match(link, new RegExp(`^http://127\\.0\\.0\\.1:${open.port}/#code=[A-Za-z0-9_-]{20,}$`));
      assert.ok(!argv.join(' ').includes(open.token), 'the token is not on the command line');
      assert.doesNotMatch(argv.join(' '), /token/);
      assert.match(open.url, /#token=/, 'the terminal still gets the URL with the token');

      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(link);
      await page.waitForSelector('[data-step="0"]');
      assert.doesNotMatch(page.url(), /code=/, 'the code leaves the address bar');
      await page.locator('[data-step="0"]').getByRole('button', { name: 'Run', exact: true }).click();
      await page.waitForFunction(() => document.querySelector('[data-step="0"]')?.getAttribute('data-status') === 'passed', undefined, { timeout: 20_000 });
      // A reload of the same tab keeps working (the tab holds the token, not the code).
      await page.reload();
      await page.waitForSelector('[data-step="0"]');
      assert.deepEqual(errors, []);

      // The same link a second time (another tab, another program): refused, and the terminal says so.
      const again = await browser.newPage();
      await again.goto(link);
      await again.waitForFunction(() => !document.getElementById('notice')?.hidden, undefined, { timeout: 10_000 });
      assert.match((await again.textContent('#notice')) ?? '', /used already/);
      assert.equal(await again.locator('[data-step]').count(), 0, 'no cell is shown');
      const code = link.split('#code=')[1];
      const host = `127.0.0.1:${open.port}`;
      const retry = await rawTarget(open.port, 'POST', '/api/code', { host, 'content-type': 'application/json' }, JSON.stringify({ code }));
      assert.equal(retry.status, 403);
      assert.ok(!retry.body.includes(open.token));
      const guess = await rawTarget(open.port, 'POST', '/api/code', { host, 'content-type': 'application/json' }, JSON.stringify({ code: 'x'.repeat(32) }));
      assert.equal(guess.status, 403);
      assert.match(open.stderr(), /warning: a request to open the page was refused: its one-time code has been used already/);
      await page.close();
      await again.close();
    } finally {
      await open.stop();
    }
  });

  it('a code sent by another local user is refused, and stays good for the browser', { skip: process.getuid?.() !== 0 && 'needs root to act as another user' }, async () => {
    const { open, argv, dir } = await openWithBrowser(server, 'BROWSER');
    try {
      assert.match(argv[1], /#code=/, 'the command named by $BROWSER gets the link');
      const code = argv[1].split('#code=')[1];
      // Another user read the link in `ps` and races the browser to it.
      const script = join(dir, 'race.mjs');
      writeFileSync(script, `const r = await fetch('http://127.0.0.1:${open.port}/api/code', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: ${JSON.stringify(code)} }) });\nconsole.log(r.status, await r.text());\n`);
      chmodSync(dir, 0o755);
      chmodSync(script, 0o644);
      const raced = await new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, [script], { uid: 65534, gid: 65534, cwd: '/', env: { PATH: process.env.PATH ?? '' } });
        let out = '';
        child.stdout.on('data', (c) => (out += c));
        child.stderr.on('data', (c) => (out += c));
        child.on('error', reject);
        child.on('close', () => resolve(out));
      });
      assert.match(raced, /^403 .*another user of this machine/, raced);
      assert.ok(!raced.includes(open.token));
      const page = await browser.newPage();
      await page.goto(argv[1]);
      await page.waitForSelector('[data-step="0"]');
      await page.close();
    } finally {
      await open.stop();
    }
  });
});

describe('open --host with an address other machines reach (L4)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server?.close());

  it('--host 0.0.0.0 prints the address it listens on, and warns', async () => {
    const dir = tempDir();
    const nb = join(dir, 'nb.yaml');
    writeFileSync(nb, NOTEBOOK);
    const open = await startOpen([nb, '--base-url', server.url, '--host', '0.0.0.0']);
    try {
      assert.match(open.url, new RegExp(`^http://0\\.0\\.0\\.0:${open.port}/#token=[A-Za-z0-9_-]{20,}$`));
      assert.doesNotMatch(open.url, /127\.0\.0\.1/);
      await waitFor('the warning', () => (/is open at the URL above/.test(open.stderr()) ? true : undefined));
      assert.match(open.stderr(), new RegExp(`^warning: the page is served on 0\\.0\\.0\\.0:${open.port}, every network interface of this machine`, 'm'));
      assert.match(open.stderr(), /run this notebook with your keys/);
      // It does listen there: loopback reaches it, and the token is still needed.
      assert.equal((await rawTarget(open.port, 'GET', '/api/state', { host: `127.0.0.1:${open.port}` })).status, 403);
      assert.equal((await rawTarget(open.port, 'GET', '/api/state', { host: `0.0.0.0:${open.port}`, 'x-api-notebook-token': open.token })).status, 200);
    } finally {
      await open.stop();
    }
  });

  it('the default (127.0.0.1) warns about nothing', async () => {
    const dir = tempDir();
    const nb = join(dir, 'nb.yaml');
    writeFileSync(nb, NOTEBOOK);
    const open = await startOpen([nb, '--base-url', server.url]);
    try {
      await waitFor('the banner', () => (/is open at the URL above/.test(open.stderr()) ? true : undefined));
      assert.match(open.url, /^http:\/\/127\.0\.0\.1:/);
      assert.doesNotMatch(open.stderr(), /warning/);
    } finally {
      await open.stop();
    }
  });
});

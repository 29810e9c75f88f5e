/**
 * `api-notebook open` with a notebook holding a `use:` step, through the real bin against the
 * token server: the used steps' results land under the use's cell (not under the cell that
 * happens to share their index in the used file), the use's teardown included, and a failing
 * used step fails the use's cell.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir, writeInto } from '../helpers/cli.js';
import { LOGIN, tokenServer, type Tokens } from '../helpers/token-server.js';
import { api, launchChromium, startOpen, type OpenProcess } from './helpers.js';

const FINAL = ['passed', 'failed', 'error', 'skipped'];

const notebook = (suffix: string) => `title: Orders
steps:
  - name: Before
    request: GET /orders
    expect: { status: 401 }
  - use: ../common/login.yaml
    with: { user: ann }
  - name: List orders
    request:
      method: GET
      path: /orders
      headers: { Authorization: "Bearer \${token}${suffix}" }
    expect: { status: 200 }
`;

async function playAll(open: OpenProcess): Promise<Array<{ id: string; status: string; results: Array<{ name: string; status: string }> }>> {
  const res = await api(open, '/api/run-all', {});
  assert.ok(res.status < 300, res.text);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const state = (await api(open, '/api/state')).json;
    const cells = state.cells as Array<{ id: string; status: string; results: Array<{ name: string; status: string }> }>;
    if (cells.every((c) => FINAL.includes(c.status)) && state.play?.running !== true) return cells;
    if (Date.now() > deadline) assert.fail(`the cells did not settle: ${JSON.stringify(cells.map((c) => [c.id, c.status]))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('open: a notebook with a use step', () => {
  let srv: Tokens;
  let repo: string;
  before(async () => {
    srv = await tokenServer();
    repo = tempDir('api-notebook-open-use-');
    mkdirSync(join(repo, '.git'));
    writeInto(repo, 'common/login.yaml', LOGIN);
  });
  after(() => srv.server.close());

  it('shows the used steps under the use cell, its teardown too, and the rest of the notebook runs with its capture', async () => {
    const file = writeInto(repo, 'suite/orders.yaml', notebook(''));
    const open = await startOpen([file, '--base-url', srv.url], {}, repo);
    try {
      const cells = await playAll(open);
      const byId = Object.fromEntries(cells.map((c) => [c.id, c]));
      assert.deepEqual(byId['0'].results.map((r) => r.name), ['Before'], 'nothing of the use under the first cell');
      assert.equal(byId['0'].status, 'passed');
      assert.equal(byId['1'].status, 'passed', JSON.stringify(byId['1']));
      assert.deepEqual(byId['1'].results.map((r) => r.name), ['Login › Request a token', 'Login › Revoke the token']);
      assert.equal(byId['2'].status, 'passed', JSON.stringify(byId['2']));
      assert.ok(srv.events.some((e) => e.startsWith('logout tok-ann-')), srv.events.join('\n'));
      // The page itself: the use cell names each used step at its own line; the token is a value.
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(open.url);
        await page.waitForSelector('[data-step="1"] .used');
        const used = await page.$$eval('[data-step="1"] .used', (els) => els.map((e) => e.textContent));
        assert.deepEqual(used, ['Login › Request a token · common/login.yaml:5', 'Login › Revoke the token · common/login.yaml:14']);
        assert.equal(await page.getAttribute('[data-step="1"]', 'data-status'), 'passed');
        assert.match(await page.textContent('#values') ?? '', /token/);
        assert.deepEqual(errors, []);
      } finally {
        await browser.close();
      }
    } finally {
      await open.stop();
    }
  });

  it('a failing used step fails the use cell', async () => {
    const shared = writeInto(repo, 'common/bad-login.yaml', LOGIN.replace('expect: { status: 200 }', 'expect: { status: 201 }'));
    const file = writeInto(repo, 'suite/bad.yaml', notebook('').replace('../common/login.yaml', '../common/bad-login.yaml'));
    assert.ok(shared);
    const open = await startOpen([file, '--base-url', srv.url], {}, repo);
    try {
      const cells = await playAll(open);
      const byId = Object.fromEntries(cells.map((c) => [c.id, c]));
      assert.equal(byId['1'].status, 'failed', JSON.stringify(byId['1']));
      assert.equal(byId['1'].results[0].name, 'Login › Request a token');
      assert.equal(byId['1'].results[0].status, 'failed');
      assert.equal(byId['0'].results.length, 1);
    } finally {
      await open.stop();
    }
  });
});

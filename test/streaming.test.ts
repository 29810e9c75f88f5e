/**
 * Memory flat in the number of steps: results stream to the reports instead of being held. Two
 * runs of the same notebook, 150 and 1,200 steps with a ~10 KB body each, all default reporters:
 * holding the results costs tens of KB per step (it did: ~250 MB more for the larger run), so
 * the peak RSS may not grow by more than 40 MB, and report.html by no more than 300 bytes per
 * extra passed step (a compact row). The 90,000-step figures are in `npm run bench`.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { readJson, ROOT, runCli, tempDir } from './helpers/cli.js';

const HOOK = join(ROOT, 'bench', 'rss-hook.mjs');
let server: Server;
let url: string;

before(async () => {
  const body = JSON.stringify({ id: 'x', items: Array.from({ length: 200 }, (_, i) => ({ i, name: `item number ${i}`, tag: 'abcdefghij' })) });
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

async function run(steps: number) {
  const dir = tempDir();
  writeFileSync(join(dir, 'many.yaml'), `title: Many\nsteps:\n  - name: Get\n    forEach: "\${range(${steps})}"\n    request: GET /thing\n    expect: { status: 200 }\n    assert: [ "length(body.items) == 200" ]\n`);
  const out = tempDir();
  const r = await runCli(['run', join(dir, 'many.yaml'), '--base-url', url, '--out', out, '-q'], { env: { NODE_OPTIONS: `--import=${HOOK}` } });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const rss = Number(/BENCH_MAX_RSS_KIB=(\d+)/.exec(r.stderr)![1]) * 1024;
  return { out, rss, html: statSync(join(out, 'report.html')).size };
}

describe('what a killed run leaves behind', () => {
  it('the next run into the same folder removes the segments and temp files of processes that are gone', async () => {
    const out = tempDir();
    const gone = 999_999_999; // no such process
    mkdirSync(join(out, `.report.json.${gone}.parts`));
    writeFileSync(join(out, `.report.json.${gone}.parts`, '0.part'), '{"half": ');
    writeFileSync(join(out, `.junit.xml.${gone}.1700000000000.tmp`), '<testsuites>');
    writeFileSync(join(out, '.keep-me'), 'not ours');
    const dir = tempDir();
    writeFileSync(join(dir, 'one.yaml'), 'title: One\nsteps:\n  - name: Get\n    request: GET /thing\n');
    const r = await runCli(['run', join(dir, 'one.yaml'), '--base-url', url, '--out', out, '-q']);
    assert.equal(r.code, 0);
    assert.deepEqual(readdirSync(out).sort(), ['.keep-me', 'junit.xml', 'report.html', 'report.json', 'report.md']);
  });
});

describe('memory flat in the number of steps', () => {
  it('peak memory and report.html stay bounded as steps grow; every report is whole', async () => {
    const small = await run(150);
    const large = await run(1200);
    const grew = (large.rss - small.rss) / 1e6;
    assert.ok(grew < 40, `peak RSS grew ${grew.toFixed(1)} MB from 150 to 1,200 steps (${(small.rss / 1e6).toFixed(0)} → ${(large.rss / 1e6).toFixed(0)} MB)`);
    const perStep = (large.html - small.html) / 1050;
    assert.ok(perStep < 300, `report.html grew ${perStep.toFixed(0)} bytes per passed step`);

    const report = readJson(join(large.out, 'report.json'));
    assert.equal(report.summary.steps, 1200);
    assert.equal(report.notebooks[0].steps.length, 1200);
    assert.equal(report.notebooks[0].steps[1199].response.body.items.length, 200, 'report.json keeps every step in full');
    const html = readFileSync(join(large.out, 'report.html'), 'utf8');
    assert.equal((html.match(/<section class="step /g) ?? []).length, 50, 'the walkthrough: the first 50 steps in full');
    const lines = [...html.matchAll(/<pre class="compact">([\s\S]*?)<\/pre>/g)].flatMap((m) => m[1].split('\n').filter(Boolean));
    assert.equal(lines.length, 1150, 'then a line for every other step');
    assert.match(lines[0], /^✔ Get \[51\/1200\]  GET \/thing → 200  [\d.]+ ms$/);
    assert.match(html, /the other 1150 passed or skipped steps are one line each/);
    assert.match(html, /<\/html>\n$/);
    // In a browser: the summary, the walkthrough and the compact lines show; no sideways page scroll on a phone.
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await page.goto(pathToFileURL(join(large.out, 'report.html')).href);
      assert.equal(await page.textContent('[data-summary="steps"]'), '1200');
      const last = page.locator('pre.compact').last();
      await last.scrollIntoViewIfNeeded();
      assert.ok(await last.isVisible());
      assert.match((await last.textContent()) ?? '', /✔ Get \[1200\/1200\]  GET \/thing → 200/);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390);
    } finally {
      await browser.close();
    }
    assert.deepEqual(readdirSync(large.out).sort(), ['junit.xml', 'report.html', 'report.json', 'report.md'], 'no segments or temp files left behind');
  });
});

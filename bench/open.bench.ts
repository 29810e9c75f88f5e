/**
 * npm run bench:open: how long the flagship takes to play in the live page against the embedded
 * mock. The real bin serves the page; real Chromium clicks "Run all" and waits until every cell
 * has settled; then Reset, and again. Prints the page's time (click to last cell settled) and the
 * server's (the play itself, shown in the page's header). Asserts nothing.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'dist', 'cli', 'main.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const child = spawn(process.execPath, [BIN, 'open', 'notebooks/stripe/accounts-customers-plans-coupons.yaml', '--no-browser'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
const url = await new Promise<string>((r) => child.stdout.once('data', (d) => r(String(d).split('\n')[0])));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(url);
  await page.waitForSelector('[data-step="0"]');
  const page_ms: number[] = [];
  const server_ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await page.getByRole('button', { name: 'Run all', exact: true }).click();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-step]')].every((c) => ['passed', 'skipped', 'failed', 'error'].includes(c.getAttribute('data-status')!)) && !document.body.classList.contains('busy'), null, { timeout: 60_000, polling: 10 });
    page_ms.push(performance.now() - t0);
    const played = /played in ([\d.]+) (ms|s)/.exec(await page.textContent('#summary') ?? '');
    server_ms.push(played ? Number(played[1]) * (played[2] === 's' ? 1000 : 1) : NaN);
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-step]')].every((c) => c.getAttribute('data-status') === 'idle'));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`flagship (28 steps + 3 teardown) played in the page, ${RUNS} plays, each on a fresh mock account:`);
  console.log(`  first play: page ${Math.round(page_ms[0])} ms, server ${Math.round(server_ms[0])} ms (includes compiling the JSON Schemas)`);
  console.log(`  later plays (median): page ${Math.round(median(page_ms.slice(1)))} ms, server ${Math.round(median(server_ms.slice(1)))} ms`);
} finally {
  await browser.close();
  child.kill('SIGINT');
}

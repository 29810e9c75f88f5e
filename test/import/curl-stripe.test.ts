/**
 * The Stripe 2015 reference's own curl examples (fixtures/import/curl/stripe-2015.sh), run by the real
 * curl against one embedded mock and, imported, by the real bin against another: each step's
 * verdict (2xx passes) and status equal what curl got. The lines name ids of the reference's own
 * account (`gold21323`, `tok_16V4…`), so some fail on a fresh mock: they must fail in both.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startStripeMock, type StripeMock } from '../../src/mock/stripe/index.js';
import { BIN, readJson, runCli, tempDir } from '../helpers/cli.js';
import { hasPythonPty, ptyDriver } from '../helpers/pty.js';
import { commandsOf, runCurl } from './curl-helpers.js';
import { importAndValidate, warningCount } from './helpers.js';

let forCurl: StripeMock;
let forNotebook: StripeMock;
before(async () => {
  [forCurl, forNotebook] = await Promise.all([startStripeMock({ port: 0 }), startStripeMock({ port: 0 })]);
});
after(() => Promise.all([forCurl.close(), forNotebook.close()]));

test('Stripe reference curl lines: the imported notebook gets the statuses and verdicts curl gets from the mock', async () => {
  const statuses: number[] = [];
  for (const command of commandsOf('stripe-2015.sh')) statuses.push(await runCurl(command, 'https://api.stripe.com', forCurl.url));
  const { file, stdout, text } = await importAndValidate(join('curl', 'stripe-2015.sh'));
  assert.ok(!text.includes('sk_test_BQokikJOvBiI2HlWgH4olfQ2'), 'the key is an input, not a literal');
  assert.equal(warningCount(stdout), 0, 'every line imports without a warning');
  const out = join(tempDir(), 'out');
  const run = await runCli(['run', file, '--base-url', forNotebook.url, '--out', out], { env: { STRIPE_SECRET_KEY: 'sk_test_notebook_roundtrip_1' } });
  const steps = readJson(join(out, 'report.json')).notebooks[0].steps as Array<{ name: string; status: string; response?: { status: number } }>;
  assert.equal(steps.length, statuses.length);
  steps.forEach((step, i) => {
    assert.equal(step.response?.status, statuses[i], `${step.name}: curl got ${statuses[i]}`);
    assert.equal(step.status === 'passed', statuses[i]! < 400, `${step.name}: the verdict matches`);
  });
  assert.ok(statuses.some((s) => s === 200) && statuses.some((s) => s >= 400), `both outcomes are covered: ${statuses.join(' ')}`);
  assert.equal(run.code, 1, 'a failing step fails the run, as curl -f would');
});

test('stdin that is a terminal is refused at once instead of waiting', { skip: !hasPythonPty() && 'python3 with pty is not installed' }, async () => {
  const child = spawn('python3', ['-c', ptyDriver(''), process.execPath, BIN, 'import', '-', '--from', 'curl'], { env: { ...process.env, NO_COLOR: '1' } });
  let text = '';
  child.stdout.on('data', (c) => (text += c));
  const timer = setTimeout(() => child.kill(), 20_000);
  await new Promise((r) => child.on('close', r));
  clearTimeout(timer);
  assert.match(text, /error: stdin is a terminal: nothing was piped in/);
  assert.match(text, /EXIT=2/);
});

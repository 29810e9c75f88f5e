/** MuleSoft API Notebook → notebook: seed 000 imported, validated, and run against the Stripe mock. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { startStripeMock } from '../../src/mock/stripe/index.js';
import { readJson, runCli } from '../helpers/cli.js';
import { importAndValidate, warningCount } from './helpers.js';

test('seed 000 imports into a notebook a person would have written', async () => {
  const { text, stdout } = await importAndValidate('mulesoft-stripe-seed-000.md');
  const nb = parse(text);
  assert.equal(nb.title, 'Accounts, customers, plans and coupons');
  assert.deepEqual(nb.vars.planId, 'TEST_NOTEBOOK_PLAN');
  assert.match(text, /# Id of a plan which notebook operates with\.\n\s+planId:/, 'the prose before a var cell is its comment');
  assert.deepEqual(nb.inputs, { secretKey: { env: 'SECRET_KEY', secret: true, prompt: 'Please, enter your secret key. ' } });
  assert.deepEqual(nb.auth, { bearer: '${secretKey}' });
  const byName = new Map(nb.steps.map((s: any) => [s.name, s]));
  const plan = byName.get('Retrieve the plan') as any;
  assert.deepEqual(plan.request, { method: 'GET', path: '/plans/${planId}' });
  assert.equal(plan.doc, 'Retrieves the plan with the given ID');
  assert.equal(plan.expect.status, 200);
  // `assert.equal(customersResponse.status, 200)` follows the customer create cell, but names the list:
  // the create step gets no status from it, and its capture lands on the create step.
  const create = byName.get('Create a customer') as any;
  assert.equal(create.expect, undefined);
  assert.deepEqual(create.capture, { customerId: 'body.id' });
  assert.equal((byName.get('List customers') as any).expect.status, 200);
  const loop = byName.get('Delete the customer, for each customer listed') as any;
  assert.deepEqual([loop.forEach, loop.as, loop.if, loop.request.path], ['${customers}', 'customer', 'customer.email == customerEmail', '/customers/${customer.id}']);
  const token = byName.get('Create a token') as any;
  assert.deepEqual(token.request.form.card, { exp_month: 8, exp_year: '${year() + 1}', number: 4242424242424242 });
  assert.deepEqual(token.capture, { tokenId: 'body.id' });
  assert.equal((byName.get('Create a card of the customer') as any).request.form.card, '${tokenId}');
  assert.equal(nb.defaults.encoding, 'form');
  assert.equal(nb.steps.length, 31);
  // createClient (base URI in the RAML) and authenticate (OAuth token URL in the RAML), each with its line.
  assert.equal(warningCount(stdout), 2);
  assert.match(stdout, /seed-000\.md:52: warning: API\.createClient/);
  assert.match(stdout, /seed-000\.md:56: warning: API\.authenticate/);
  assert.match(text, /# not translated \(source line 56\): API\.authenticate\(oauth_2_0\)/);
});

test('the imported seed runs against the embedded Stripe mock and passes every step', async () => {
  const { file, dir } = await importAndValidate('mulesoft-stripe-seed-000.md');
  const mock = await startStripeMock({ port: 0 });
  try {
    const out = join(dir, 'reports');
    const run = await runCli(['run', file, '--base-url', `${mock.url}/v1`, '--var', 'secretKey=sk_test_import', '--out', out, '--reporter', 'json']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const report = readJson(join(out, 'report.json'));
    // 28 requests pass; the three leftover clean-ups are skipped on a fresh mock (empty lists).
    assert.deepEqual([report.summary.passed, report.summary.failed, report.summary.errors, report.summary.skipped], [28, 0, 0, 3]);
  } finally {
    await mock.close();
  }
});

test('a cell that cannot be translated is kept beside its step, with its line', async () => {
  const { writeFileSync } = await import('node:fs');
  const { tempDir } = await import('../helpers/cli.js');
  const dir = tempDir();
  const src = join(dir, 'nb.md');
  writeFileSync(src, ['---', 'apiNotebookVersion: 1.1.66', 'title: Small', '---', '', 'Lists things.', '', '```javascript', 'API.createClient("client", "/def");', 'r = client.things.get()', 'window.alert(r.body)', 'assert.equal(r.status, 200)', '```', ''].join('\n'));
  const res = await runCli(['import', src, '--out', join(dir, 'out.yaml')]);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /nb\.md:11: warning: List things: the call `window\.alert\(…\)` has no equivalent/);
  const text = (await import('node:fs')).readFileSync(join(dir, 'out.yaml'), 'utf8');
  assert.match(text, /# not translated \(source line 11\)[^\n]*\n\s+#\s+window\.alert\(r\.body\)\n\s+- name: List things/);
  assert.equal(parse(text).steps[0].expect.status, 200);
  assert.equal((await runCli(['validate', join(dir, 'out.yaml')])).code, 0);
});

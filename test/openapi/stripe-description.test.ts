/**
 * schemas/stripe-2015-07-28.openapi.json is the embedded mock's contract: generated from the
 * mock's route table, its component schemas the JSON Schemas beside it. These tests keep the two
 * in sync (committed = generated; every route served is documented and every documented operation
 * is served, over real HTTP), and show that the shipped notebooks report their coverage with every
 * response the mock sends valid against the description.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROUTES } from '../../src/mock/stripe/server.js';
import { startStripeMock, type StripeMock } from '../../src/mock/stripe/index.js';
import { checkOpenApi } from '../../src/checks/openapi.js';
import { loadDescription } from '../../src/openapi/load.js';
import { STRIPE_DESCRIPTION_FILE, stripeDescriptionText, templateOf } from '../../src/openapi/stripe.js';
import { readJson, ROOT, runCli, tempDir } from '../helpers/cli.js';

const SCHEMAS = join(ROOT, 'schemas');
const SPAN = { file: 'test', line: 1, col: 1, length: 1 };
const FILE = join(SCHEMAS, STRIPE_DESCRIPTION_FILE);
const doc = JSON.parse(readFileSync(FILE, 'utf8'));
const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
  .flatMap(([path, item]) => ['get', 'post', 'delete', 'put', 'patch'].filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path}`))
  .sort();

describe('the Stripe description and the mock', () => {
  let mock: StripeMock;
  before(async () => {
    mock = await startStripeMock({ port: 0 });
  });
  after(() => mock.close());

  it('the committed document is what the generator makes from the mock (run `npm run openapi:stripe` after changing the mock)', () => {
    assert.equal(readFileSync(FILE, 'utf8'), stripeDescriptionText(SCHEMAS));
  });

  it('every route the mock serves is in the document, and every operation in the document is a route', () => {
    const served = ROUTES.map((r) => `${r.method} ${templateOf(r.path)}`).sort();
    assert.deepEqual(documented, served);
    assert.ok(served.length >= 35, `${served.length} routes`);
  });

  it('every documented operation is served over HTTP (never "Unrecognized request URL"), and what it answers is documented', async () => {
    const description = await loadDescription(FILE);
    const auth = `Basic ${Buffer.from('sk_test_openapi_sync:').toString('base64')}`;
    const statuses = new Set<number>();
    for (const op of documented) {
      const [method, template] = op.split(' ');
      const path = template.replace(/\{[^}]+\}/g, 'x_missing');
      const res = await fetch(mock.url + path, { method, headers: { authorization: auth } });
      const body = (await res.json()) as { error?: { message?: string } };
      assert.doesNotMatch(body.error?.message ?? '', /Unrecognized request URL/, `${op} → ${res.status}`);
      // Lists answer 200, the rest 400 (no parameters) or 404 (no such id): each valid against the description.
      const check = checkOpenApi(description, { method, url: mock.url + path, status: res.status, headers: { 'content-type': res.headers.get('content-type') ?? '' }, body }, SPAN);
      assert.ok(check.passed, `${op} → ${res.status}: ${check.message}`);
      assert.equal(check.operation, op);
      statuses.add(res.status);
    }
    assert.deepEqual([...statuses].sort(), [200, 400, 404], 'successes and both kinds of error were checked');
    const unknown = await fetch(`${mock.url}/v1/nothing`, { headers: { authorization: auth } });
    assert.equal(unknown.status, 404, 'the probe can tell an unserved path');
  });

  it('is valid OpenAPI 3.1 whose component schemas are the files in schemas/ (referenced, not copied)', async () => {
    const description = await loadDescription(FILE);
    assert.equal(description.version, '3.1');
    assert.equal(description.operations.length, documented.length);
    for (const [name, schema] of Object.entries(doc.components.schemas as Record<string, { $ref: string }>)) {
      assert.deepEqual(schema, { $ref: `${name}.json` });
      readJson(join(SCHEMAS, `${name}.json`));
    }
    for (const op of description.operations) assert.ok(op.documented.includes('200') && op.documented.includes('401'), op.label);
  });
});

describe('npm start reports the coverage of the 2015 API', () => {
  it('the Stripe notebooks declare the description: every response valid, coverage in report.json and the console', async () => {
    const out = tempDir();
    const { code, stdout } = await runCli(['run', 'notebooks', '--out', out]);
    assert.equal(code, 0, stdout);
    const report = readJson(join(out, 'report.json'));
    const checks = report.notebooks.flatMap((n: any) => n.steps.flatMap((s: any) => s.checks.filter((c: any) => c.kind === 'openapi')));
    const sent = report.notebooks.flatMap((n: any) => n.steps.filter((s: any) => s.response));
    assert.equal(checks.length, sent.length, 'every response was checked against the description');
    assert.ok(checks.every((c: any) => c.passed));
    assert.equal(report.coverage.spec, `schemas/${STRIPE_DESCRIPTION_FILE}`);
    assert.equal(report.coverage.operations.length, documented.length);
    const exercised = report.coverage.operations.filter((o: any) => o.exercised).length;
    assert.equal(report.coverage.percent, Math.round((exercised / documented.length) * 1000) / 10);
    assert.ok(exercised > documented.length / 2);
    assert.match(stdout, new RegExp(`OpenAPI coverage of schemas/${STRIPE_DESCRIPTION_FILE.replace(/\./g, '\\.')}: ${exercised} of ${documented.length} operations`));
  });
});

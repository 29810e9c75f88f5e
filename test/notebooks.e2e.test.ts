/**
 * The shipped notebooks through the CLI against the embedded mock: every step passes, the
 * flagship has a step for every request cell of the seed notebook, and it is re-runnable,
 * also against a server holding leftovers of an interrupted run.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { request } from 'undici';
import { after, before, describe, it } from 'node:test';
import { SchemaRegistry } from '../src/checks/schemas.js';
import { startStripeMock, type StripeMock } from '../src/mock/stripe/index.js';
import { loadNotebook } from '../src/notebook/load.js';
import { readJson, ROOT, runCli, tempDir } from './helpers/cli.js';
import { client } from './helpers/stripe-client.js';

const FLAGSHIP = 'notebooks/stripe/accounts-customers-plans-coupons.yaml';
const CHARGES = 'notebooks/stripe/charges-and-refunds.yaml';
/** The seed notebook the flagship was written from, vendored (test/fixtures/seeds/README.md). */
const SEED = join(ROOT, 'test', 'fixtures', 'seeds', '000_29d99383318ac562.txt');
/** Cleanup steps skip when an empty server leaves nothing to clean; that is their only skip. */
const CLEANUP = /left over from earlier runs/;

function assertAllPassed(report: any) {
  for (const nb of report.notebooks) {
    for (const s of nb.steps) {
      if (s.status === 'skipped') {
        assert.match(s.name, CLEANUP, `${nb.file}: "${s.name}" skipped: ${s.skipReason}`);
        assert.equal(s.skipReason, 'forEach list is empty');
      } else assert.equal(s.status, 'passed', `${nb.file}: "${s.name}" ${s.status}: ${JSON.stringify(s.error ?? s.checks.filter((c: any) => !c.passed))}`);
    }
  }
}

/** Request cells of the seed: code cells that call the API client. */
function seedRequestCells(): string[] {
  const text = readFileSync(SEED, 'utf8');
  const cells = [...text.matchAll(/```javascript\n([\s\S]*?)```/g)].map((m) => m[1]);
  return cells.filter((c) => /client\.[\w.()]*\.(get|post|delete)\(/.test(c));
}

describe('the shipped notebooks against the embedded mock', () => {
  it('run notebooks/ (what npm start runs): every step passes, exit 0', async () => {
    const out = tempDir();
    const { code, stdout, stderr } = await runCli(['run', 'notebooks', '--out', out]);
    assert.equal(code, 0, stdout + stderr);
    const report = readJson(join(out, 'report.json'));
    assert.deepEqual(report.notebooks.map((n: any) => n.file).sort(), ['notebooks/stripe/accounts-customers-plans-coupons.yaml', 'notebooks/stripe/charges-and-refunds.yaml', 'notebooks/stripe/errors.yaml']);
    assertAllPassed(report);
    assert.equal(report.summary.failed + report.summary.errors, 0);
  });

  it('the flagship has one step per request cell of the seed, in order', async () => {
    const cells = seedRequestCells();
    const out = tempDir();
    await runCli(['run', FLAGSHIP, '--out', out]);
    const steps = readJson(join(out, 'report.json')).notebooks[0].steps;
    const distinct = [...new Map(steps.map((s: any) => [`${s.phase}:${s.index}`, s])).values()] as any[];
    assert.equal(distinct.length, cells.length, `seed has ${cells.length} request cells`);
    // Spot-check the order against the seed's own calls.
    // The order, against the seed's own calls: every step definition's method, skipped or not.
    const verbs = cells.map((c) => /\.(get|post|delete)\(/.exec(c)![1].toUpperCase());
    const { notebook } = await loadNotebook(join(ROOT, FLAGSHIP), { registry: new SchemaRegistry(ROOT) });
    const methods = [...notebook!.steps, ...notebook!.teardown].map((s) => (s.kind === 'http' ? s.request.method : 'none'));
    assert.deepEqual(methods, verbs);
  });
});

describe('re-runnable', () => {
  let mock: StripeMock;
  before(async () => {
    mock = await startStripeMock({ validateResponses: true });
  });
  after(() => mock.close());

  it('a second run against the same server passes', async () => {
    for (let run = 0; run < 2; run++) {
      const out = tempDir();
      const { code, stdout } = await runCli(['run', 'notebooks', '--base-url', mock.url, '--out', out]);
      assert.equal(code, 0, `run ${run + 1}: ${stdout}`);
      assertAllPassed(readJson(join(out, 'report.json')));
    }
  });

  it('passes against leftovers of an interrupted run, found beyond the first page', async () => {
    const api = client(mock.url, 'sk_test_api_notebook_mock');
    // The leftover customer is created first, so with 150 newer customers it sits on page 2.
    const leftover = (await api.post('/v1/customers', { email: 'customer@somehost.com', coupon: undefined })).body.id;
    for (let i = 0; i < 150; i++) await api.post('/v1/customers', { email: `other${i}@example.com` });
    await api.post('/v1/plans', { id: 'TEST_NOTEBOOK_PLAN', amount: 1, currency: 'usd', interval: 'week', name: 'Test' });
    await api.post('/v1/coupons', { id: 'TEST_NOTEBOOK_COUPON', duration: 'forever', percent_off: 25 });
    for (let i = 0; i < 120; i++) await api.post('/v1/plans', { id: `other-plan-${i}`, amount: 1, currency: 'usd', interval: 'week', name: 'Other' });
    const out = tempDir();
    const { code, stdout } = await runCli(['run', FLAGSHIP, '--base-url', mock.url, '--out', out]);
    assert.equal(code, 0, stdout);
    const steps = readJson(join(out, 'report.json')).notebooks[0].steps;
    const deleted = steps.filter((s: any) => /left over/.test(s.name) && s.status === 'passed').map((s: any) => s.request.url.split('/v1/')[1]);
    assert.ok(deleted.includes(`customers/${leftover}`), `the leftover customer on page 2 was deleted: ${deleted}`);
    assert.ok(deleted.includes('plans/TEST_NOTEBOOK_PLAN'));
    assert.ok(deleted.includes('coupons/TEST_NOTEBOOK_COUPON'));
    assert.ok(steps.filter((s: any) => s.name === 'List customers').length >= 2, 'the customer list was read page by page');
    assert.equal((await api.get(`/v1/customers/${leftover}`)).body.deleted, true);
  });

  it('when a middle step fails, the rest are skipped and teardown deletes what the run created', async () => {
    // A proxy that breaks one call (subscribing) and forwards the rest to the mock.
    const proxy = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      if (req.method === 'POST' && /\/subscriptions$/.test(req.url ?? '')) {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"type":"api_error","message":"injected"}}');
        return;
      }
      const upstream = await request(`${mock.url}${req.url}`, { method: req.method as 'GET', headers: req.headers as Record<string, string>, body: chunks.length ? Buffer.concat(chunks) : undefined });
      res.writeHead(upstream.statusCode, upstream.headers as Record<string, string>).end(Buffer.from(await upstream.body.arrayBuffer()));
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const key = 'sk_test_teardown_check';
    try {
      const out = tempDir();
      const { code } = await runCli(['run', FLAGSHIP, '--base-url', `http://127.0.0.1:${(proxy.address() as { port: number }).port}`, '--out', out, '--var', `apiKey=${key}`]);
      assert.equal(code, 1);
      const steps = readJson(join(out, 'report.json')).notebooks[0].steps;
      const at = steps.findIndex((s: any) => s.name === 'Subscribe the customer to the plan');
      assert.equal(steps[at].status, 'failed');
      assert.equal(steps[at].response.status, 500, 'the failed response is in the report');
      assert.ok(steps.slice(at + 1).filter((s: any) => s.phase === 'steps').every((s: any) => s.status === 'skipped'));
      assert.deepEqual(steps.filter((s: any) => s.phase === 'teardown').map((s: any) => s.status), ['passed', 'passed', 'passed']);
      const api = client(mock.url, key);
      assert.equal((await api.get('/v1/plans/TEST_NOTEBOOK_PLAN')).status, 404, 'teardown deleted the plan');
      assert.equal((await api.get('/v1/coupons/TEST_NOTEBOOK_COUPON')).status, 404, 'teardown deleted the coupon');
      assert.equal((await api.get('/v1/customers', { limit: 100 })).body.data.length, 0, 'teardown deleted the customer');
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });

  it('the charges notebook: every step passes, and teardown leaves no customer or plan behind', async () => {
    const key = 'sk_test_charges_notebook';
    const out = tempDir();
    const { code, stdout } = await runCli(['run', CHARGES, '--base-url', mock.url, '--out', out, '--var', `apiKey=${key}`]);
    assert.equal(code, 0, stdout);
    const steps = readJson(join(out, 'report.json')).notebooks[0].steps;
    assert.ok(steps.every((s: any) => s.status === 'passed'), JSON.stringify(steps.filter((s: any) => s.status !== 'passed').map((s: any) => s.name)));
    for (const name of ['Charge the token', 'Capture less than was authorized', 'Charge the customer', 'Refund the rest', 'Retry it with the same key', 'Invoice the proration now']) {
      assert.ok(steps.some((s: any) => s.name === name), `a step "${name}"`);
    }
    assert.deepEqual(steps.filter((s: any) => s.phase === 'teardown').map((s: any) => s.status), ['passed', 'passed', 'passed']);
    const api = client(mock.url, key);
    assert.equal((await api.get('/v1/customers')).body.data.length, 0, 'teardown deleted the customer');
    assert.equal((await api.get('/v1/plans')).body.data.length, 0, 'teardown deleted the plans');
    const charges = (await api.get('/v1/charges', { limit: 100 })).body.data;
    assert.equal(charges.length, 5, 'token, authorization, customer, idempotent (once), first invoice: the retry made no second charge');
  });
});

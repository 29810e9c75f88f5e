/**
 * `import --from openapi --negative` through the real bin: the steps it adds for each operation's
 * documented 4xx responses (no credentials, an unknown id, a missing required parameter or field,
 * a wrong type), run against servers over real HTTP. An API that behaves as its description says
 * passes every one; one that accepts what it should refuse, or answers with the wrong error body,
 * fails them. Then the Stripe description against the embedded mock: what share of its
 * documented error responses the negative steps reach.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { startStripeMock, type StripeMock } from '../../src/mock/stripe/index.js';
import { readJson, ROOT, runCli, tempDir } from '../helpers/cli.js';
import { json, startTestServer, type Recorded, type TestServer } from '../helpers/server.js';

const NOTES = join(ROOT, 'test/openapi/fixtures/negative/notes.yaml');
const STRIPE = join(ROOT, 'schemas/stripe-2015-07-28.openapi.json');
const isNegative = (s: any) => typeof s.doc === 'string' && s.doc.startsWith('A negative step');

async function importNegative(description: string) {
  const dir = tempDir('api-notebook-negative-');
  const file = join(dir, 'negative.yaml');
  const r = await runCli(['import', description, '--from', 'openapi', '--negative', '--out', file]);
  assert.equal(r.code, 0, r.stderr);
  return { dir, file, nb: parse(readFileSync(file, 'utf8')), stdout: r.stdout };
}

async function runAgainst(file: string, url: string, extra: string[]) {
  const out = tempDir();
  const r = await runCli(['run', file, '--base-url', url, '--out', out, '--reporter', 'json', ...extra]);
  return { ...r, report: readJson(join(out, 'report.json')) };
}

/** The Notes API as notes.yaml describes it; `wrongBody` answers its errors with a body the description does not allow. */
function notesApi(server: TestServer, mode: 'right' | 'sloppy' | 'wrongBody'): void {
  const problem = (res: Parameters<typeof json>[0], status: number, error: string) => json(res, status, mode === 'wrongBody' ? { message: error } : { error });
  const authorized = (q: Recorded) => mode === 'sloppy' || q.headers['x-api-key'] === 'key-one';
  const integer = (v: unknown) => typeof v === 'number' ? Number.isInteger(v) : typeof v === 'string' && /^-?\d+$/.test(v);
  server.route('GET', '/notes', (q, res) => {
    if (!authorized(q)) return problem(res, 401, 'no key');
    const page = new URL(q.url, 'http://x').searchParams.get('page');
    if (mode !== 'sloppy' && (page === null || !integer(page))) return problem(res, 400, 'page must be an integer');
    json(res, 200, [{ id: 1, title: 'Hello' }]);
  });
  server.route('POST', '/notes', (q, res) => {
    if (!authorized(q)) return problem(res, 401, 'no key');
    const body = JSON.parse(q.body || '{}');
    if (mode !== 'sloppy' && (typeof body.title !== 'string' || (body.stars !== undefined && !integer(body.stars)))) return problem(res, 422, 'title is required, stars an integer');
    json(res, 201, { id: 2, title: String(body.title ?? '') });
  });
  server.routePrefix('GET', '/notes/', (q, res) => {
    if (!authorized(q)) return problem(res, 401, 'no key');
    if (mode !== 'sloppy' && q.url !== '/notes/1') return problem(res, 404, 'no such note');
    json(res, 200, { id: 1, title: 'Hello' });
  });
  server.route('GET', '/health', (_q, res) => {
    res.writeHead(200);
    res.end();
  });
}

describe('import --negative: steps for the documented error responses', () => {
  const servers: TestServer[] = [];
  after(async () => {
    for (const s of servers) await s.close();
  });
  const serve = async (mode: 'right' | 'sloppy' | 'wrongBody') => {
    const s = await startTestServer();
    servers.push(s);
    notesApi(s, mode);
    return s;
  };

  it('adds, after each operation, the 4xx steps its description says how to provoke, and no others', async () => {
    const { nb } = await importNegative(NOTES);
    const names = nb.steps.map((s: any) => s.name);
    assert.deepEqual(names, [
      'List notes', 'List notes: no credentials', 'List notes: without page', 'List notes: page of the wrong type',
      'Create a note', 'Create a note: no credentials', 'Create a note: without title', 'Create a note: stars of the wrong type',
      'Get a note', 'Get a note: no credentials', 'Get a note: unknown id',
      'Health',
    ]);
    const step = (name: string) => nb.steps.find((s: any) => s.name === name);
    // No credentials: the importer's own API-key header is left out, and the status is the documented 401 (or the 4XX range).
    assert.equal(step('List notes').request.headers['X-Api-Key'], '${key}');
    assert.equal(step('List notes: no credentials').request.headers, undefined);
    assert.equal(step('List notes: no credentials').auth, 'none');
    assert.equal(step('List notes: no credentials').expect.status, 401);
    assert.deepEqual(step('Create a note: no credentials').expect.status, [401]);
    // The rest send everything the operation's step sends, less (or with the wrong type of) one thing.
    assert.deepEqual(step('List notes: without page').request.query, undefined);
    assert.deepEqual(step('List notes: page of the wrong type').request.query, { page: 'not-an-integer' });
    assert.deepEqual(step('Create a note').request.json, { title: 'Hello' });
    assert.deepEqual(step('Create a note: without title').request.json, {});
    assert.deepEqual(step('Create a note: without title').expect.status, [400, 422], 'only 4XX is documented: either of the usual codes');
    assert.deepEqual(step('Create a note: stars of the wrong type').request.json, { title: 'Hello', stars: 'not-an-integer' });
    assert.equal(step('Get a note: unknown id').request.path, '/notes/987654321');
    assert.equal(step('Get a note: unknown id').expect.status, 404);
    assert.ok(step('Get a note: unknown id').request.headers['X-Api-Key'], 'the other negative steps keep the credentials');
  });

  it('against an API that behaves as described, every negative step passes, its error body checked against the description', async () => {
    const { file } = await importNegative(NOTES);
    const server = await serve('right');
    const r = await runAgainst(file, server.url, ['--var', 'key=key-one', '--allow-files', join(ROOT, 'test/openapi/fixtures')]);
    assert.equal(r.code, 0, r.stdout);
    const negative = r.report.notebooks[0].steps.filter(isNegative);
    assert.equal(negative.length, 8);
    for (const s of negative) {
      const check = s.checks.find((c: any) => c.kind === 'openapi');
      assert.ok(check?.passed, `${s.name}: the response is the documented error (${check?.expected})`);
      assert.ok(s.response.status >= 400 && s.response.status < 500, s.name);
    }
    assert.deepEqual(r.report.coverage.responses, { documented: 10, seen: 9, percent: 90 }, 'all but Health\'s 503');
  });

  it('fails where the API accepts what it should refuse, and where its error body is not the documented one', async () => {
    const { file } = await importNegative(NOTES);
    const sloppy = await runAgainst(file, (await serve('sloppy')).url, ['--var', 'key=key-one', '--allow-files', join(ROOT, 'test/openapi/fixtures')]);
    assert.equal(sloppy.code, 1);
    const failed = sloppy.report.notebooks[0].steps.filter((s: any) => s.status === 'failed');
    assert.deepEqual(failed.map((s: any) => s.name), sloppy.report.notebooks[0].steps.filter(isNegative).map((s: any) => s.name), 'each negative step fails, and only they');
    assert.ok(failed.every((s: any) => s.checks.some((c: any) => c.kind === 'status' && !c.passed)));

    const wrong = await runAgainst(file, (await serve('wrongBody')).url, ['--var', 'key=key-one', '--allow-files', join(ROOT, 'test/openapi/fixtures')]);
    assert.equal(wrong.code, 1);
    const negative = wrong.report.notebooks[0].steps.filter(isNegative);
    assert.ok(negative.every((s: any) => s.status === 'failed' && s.checks.find((c: any) => c.kind === 'status').passed), 'the status is right');
    assert.ok(negative.every((s: any) => s.checks.find((c: any) => c.kind === 'openapi')?.passed === false), 'the error body is not the documented Problem');
  });

  it('--negative is for OpenAPI only: exit 2 with a hint', async () => {
    const r = await runCli(['import', join(ROOT, 'test/fixtures/import/realworld-openapi.yml'), '--from', 'postman', '--negative']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--negative needs an OpenAPI description/);
  });
});

describe('import --negative on the Stripe description, run against the embedded mock', () => {
  let mock: StripeMock;
  before(async () => {
    mock = await startStripeMock({ port: 0 });
  });
  after(() => mock.close());

  it('every negative step gets its documented error, valid against the description; the share of error responses reached', async (t) => {
    const { file, nb } = await importNegative(STRIPE);
    const r = await runAgainst(file, mock.url, ['--var', 'username=sk_test_negative', '--var', 'password=', '--allow-files', join(ROOT, 'schemas')]);
    const steps = r.report.notebooks[0].steps;
    const negative = steps.filter(isNegative);
    assert.equal(negative.length, nb.steps.filter(isNegative).length);
    const failed = negative.filter((s: any) => s.status !== 'passed');
    assert.deepEqual(failed.map((s: any) => `${s.name} → ${s.response?.status}`), [], 'every negative step passes (status and openapi check)');
    const kinds = (what: RegExp) => negative.filter((s: any) => what.test(s.name)).length;
    const description = JSON.parse(readFileSync(STRIPE, 'utf8'));
    const operations = Object.entries<any>(description.paths).flatMap(([path, item]) => Object.keys(item).filter((m) => m !== 'parameters').map((m) => ({ path, responses: Object.keys(item[m].responses) })));
    assert.equal(kinds(/: no credentials$/), operations.length, 'every operation: 401 without credentials');
    assert.equal(kinds(/: unknown /), operations.filter((o) => o.path.includes('{')).length, 'every operation with an id: 404');
    assert.equal(kinds(/of the wrong type$/), 5, 'the top-level lists: limit=not-an-integer is a 400 (nested lists need a real parent id)');
    // The share of the documented error responses (every status but 2xx) the negative steps reach.
    const errors = operations.reduce((n, o) => n + o.responses.filter((k) => !k.startsWith('2')).length, 0);
    const reached = new Set(negative.map((s: any) => `${s.request.method} ${s.checks.find((c: any) => c.kind === 'openapi').operation} ${s.response.status}`)).size;
    const share = Math.round((reached / errors) * 1000) / 10;
    t.diagnostic(`negative steps reach ${reached} of the ${errors} documented error responses (${share}%); 402 and 413 cannot be provoked from the description alone`);
    assert.equal(errors, 212);
    assert.equal(reached, 104);
  });
});

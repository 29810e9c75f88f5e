/**
 * The Jupyter case without Jupyter: Jupyter Server's description has `/api/contents/{path}`, and
 * the API is called with `/api/contents/dir/file.ipynb`. A trailing path parameter spans segments
 * when no template of the method matches segment by segment; `strictPaths: true` turns that off.
 * The server here answers as Jupyter's contents API does (a content model), on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readJson, runCli, tempDir } from '../helpers/cli.js';
import { json, startTestServer, type TestServer } from '../helpers/server.js';

const DESCRIPTION = {
  openapi: '3.0.3',
  info: { title: 'Jupyter Server contents (excerpt)', version: '2' },
  servers: [{ url: '/' }],
  paths: {
    '/api/contents/{path}': {
      parameters: [{ name: 'path', in: 'path', required: true, schema: { type: 'string' } }],
      get: { responses: { 200: { description: 'a content model', content: { 'application/json': { schema: { $ref: '#/components/schemas/Contents' } } } } } },
      delete: { responses: { 204: { description: 'deleted' } } },
    },
    '/api/contents/{path}/checkpoints': {
      parameters: [{ name: 'path', in: 'path', required: true, schema: { type: 'string' } }],
      get: { responses: { 200: { description: 'checkpoints', content: { 'application/json': { schema: { type: 'array', items: { type: 'object', required: ['id'] } } } } } } },
    },
  },
  components: {
    schemas: {
      Contents: { type: 'object', required: ['name', 'path', 'type'], properties: { name: { type: 'string' }, path: { type: 'string' }, type: { enum: ['directory', 'file', 'notebook'] } } },
    },
  },
};

let server: TestServer;
let dir: string;
before(async () => {
  server = await startTestServer();
  server.routePrefix('GET', '/api/contents/', (req, res) => {
    const path = decodeURIComponent(req.url.slice('/api/contents/'.length).split('?')[0]!);
    if (path.endsWith('/checkpoints')) return json(res, 200, [{ id: 'checkpoint', last_modified: '2026-01-01T00:00:00Z' }]);
    // A broken server: a `type` the description does not allow.
    if (path.startsWith('broken/')) return json(res, 200, { name: 'x', path, type: 'symlink' });
    return json(res, 200, { name: path.split('/').pop(), path, type: path.endsWith('.ipynb') ? 'notebook' : 'file' });
  });
  dir = tempDir('jupyter-');
  writeFileSync(join(dir, 'jupyter.openapi.json'), JSON.stringify(DESCRIPTION));
});
after(() => server?.close());

const STEPS = `steps:
  - name: A notebook in a folder
    request: GET /api/contents/work/analysis.ipynb
    continueOnFailure: true
  - name: Three folders down
    request: GET /api/contents/a/b/c/data.csv
    continueOnFailure: true
  - name: A folder's name escaped into one segment
    request: GET /api/contents/work%2Fnotes.txt
    continueOnFailure: true
  - name: Checkpoints match their own template, not the spanning one
    request: GET /api/contents/work/analysis.ipynb/checkpoints
    continueOnFailure: true
`;

async function run(name: string, openapi: string, steps = STEPS) {
  writeFileSync(join(dir, name), `title: Contents\n${openapi}\n${steps}`);
  const out = tempDir('jupyter-out-');
  const r = await runCli(['run', name, '--base-url', server.url, '--out', out], { cwd: dir });
  const steps_ = readJson(join(out, 'report.json')).notebooks[0].steps;
  return { ...r, checks: steps_.map((s: any) => s.checks.find((c: any) => c.kind === 'openapi')) };
}

describe('a trailing path parameter spanning segments (Jupyter\'s /api/contents/{path})', () => {
  it('nested paths match /api/contents/{path}, and /api/contents/{path}/checkpoints before it', async () => {
    const r = await run('contents.yaml', 'openapi: jupyter.openapi.json');
    assert.equal(r.code, 0, r.stdout);
    assert.deepEqual(r.checks.map((c: any) => [c.operation, c.passed]), [
      ['GET /api/contents/{path}', true],
      ['GET /api/contents/{path}', true],
      ['GET /api/contents/{path}', true],
      ['GET /api/contents/{path}/checkpoints', true],
    ]);
  });

  it('a nested path is still checked: a wrong body fails', async () => {
    const r = await run('broken.yaml', 'openapi: jupyter.openapi.json', 'steps:\n  - name: Broken\n    request: GET /api/contents/broken/link\n');
    assert.equal(r.code, 1);
    assert.equal(r.checks[0].operation, 'GET /api/contents/{path}');
    assert.match(r.checks[0].message, /^body\.type must be equal to one of the allowed values/);
  });

  it('strictPaths: true — a parameter is one segment, and the non-match lists what was tried', async () => {
    const r = await run('strict.yaml', 'openapi:\n  file: jupyter.openapi.json\n  strictPaths: true');
    assert.equal(r.code, 1);
    assert.deepEqual(r.checks.map((c: any) => c.passed), [false, false, true, false], "only the escaped one-segment path matches");
    assert.match(r.checks[0].message, /has no operation for GET \/api\/contents\/work\/analysis\.ipynb; tried \/api\/contents\/work\/analysis\.ipynb \(relative to the base URL's path \/\)$/);
  });

  it('a method the spanning template does not document is named as such', async () => {
    const r = await run('patch.yaml', 'openapi: jupyter.openapi.json', 'steps:\n  - name: Rename\n    request: PATCH /api/contents/a/b.txt\n');
    assert.match(r.checks[0].message, /has no PATCH operation on \/api\/contents\/\{path\} \(it documents GET, DELETE\)/);
  });
});

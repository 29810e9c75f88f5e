/**
 * What can be known before sending is checked before sending: a request whose path would hold a
 * null (a capture that found nothing) is not sent, and the step fails naming the variable; the
 * capture that found nothing is a warning in the console and in report.json.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readJson, runCli, tempDir } from './helpers/cli.js';
import { json, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
  server.route('GET', '/users/search', (_req, res) => json(res, 200, { results: [] }));
  server.route('GET', '/thing', (_req, res) => json(res, 200, { ok: true }));
});
after(() => server.close());

describe('null values in a request path', () => {
  it('GET /users/${userId}/todos with userId null is not sent; the step fails naming userId; the empty capture is a warning', async () => {
    const out = tempDir();
    const { code, stdout } = await runCli(['run', join('test', 'fixtures', 'runtime', 'missing-value.yaml'), '--base-url', server.url, '--out', out]);
    assert.equal(code, 1, stdout);
    assert.deepEqual(server.requests.map((r) => r.url), ['/users/search', '/thing'], 'GET /users//todos was never sent; teardown ran');
    const [find, list, cleanUp] = readJson(join(out, 'report.json')).notebooks[0].steps;
    assert.equal(find.status, 'passed');
    assert.deepEqual(find.warnings, ['capture `userId` found nothing (`body.id` is null)']);
    assert.equal(list.status, 'error');
    assert.equal(list.error.kind, 'missing-value');
    assert.match(list.error.message, /`\$\{userId\}` in the request path is null/);
    assert.match(list.error.message, /GET \/users\/\/todos/);
    assert.equal(list.request, undefined, 'no request was recorded as sent');
    assert.equal(cleanUp.status, 'passed');
    assert.equal(cleanUp.warnings, undefined, 'no warning where nothing was captured');
    assert.match(stdout, /warning: capture `userId` found nothing/);
    assert.match(stdout, /error \(missing-value\): `\$\{userId\}`/);
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /class="warning">Warning: capture `userId` found nothing/);
    // Messages are escaped text in report.md (they may quote the server): the backticks show as written.
    assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /Warning: capture \\`userId\\` found nothing/);
  });
});

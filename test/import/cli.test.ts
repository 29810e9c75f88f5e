/** `api-notebook import` on bad input: a clear message, exit 2, never a stack trace. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../helpers/cli.js';
import { FIXTURES } from './helpers.js';

async function refused(args: string[], message: RegExp) {
  const res = await runCli(args);
  assert.equal(res.code, 2, res.stdout + res.stderr);
  assert.match(res.stderr, message);
  assert.doesNotMatch(res.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  return res;
}

test('bad input to import: broken JSON, broken YAML, unknown format, missing file, wrong --from, bad flags', async () => {
  const dir = tempDir();
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{\n  "info": { "name": "x" },\n  "item": [\n    { "name": "a", }\n  ]\n}\n');
  const yaml = join(dir, 'broken.yaml');
  writeFileSync(yaml, 'openapi: 3.1.0\ninfo: { title: x\npaths: {}\n');
  const text = join(dir, 'notes.txt');
  writeFileSync(text, 'just some notes\n');
  // Each is its own process: they run side by side.
  await Promise.all([
    refused(['import', broken], /broken\.json:4: broken JSON/),
    refused(['import', yaml], /broken\.yaml:\d+:\d+: broken YAML/),
    refused(['import', text], /is not a format import reads[\s\S]*hint: .*--from mulesoft\|postman\|openapi/),
    refused(['import', join(dir, 'missing.json')], /missing\.json: file not found/),
    refused(['import', join(FIXTURES, 'Conduit.postman_collection.json'), '--from', 'openapi'], /is not an OpenAPI 3 description/),
    refused(['import', join(FIXTURES, 'realworld-openapi.yml'), '--from', 'postman'], /broken JSON|is not a Postman collection/),
    refused(['import', join(FIXTURES, 'Conduit.postman_collection.json'), '--from', 'raml'], /--from must be one of mulesoft, postman, openapi/),
    refused(['import'], /`import` takes one file/),
    refused(['import', join(FIXTURES, 'Conduit.postman_collection.json'), '--split'], /--split .* --out DIR/),
    refused(['import', join(FIXTURES, 'Conduit.postman_collection.json'), '--env', text], /broken JSON|is not a Postman environment/),
  ]);
});

test('without --out the notebook goes to stdout and the warnings and their count to stderr', async () => {
  const res = await runCli(['import', join(FIXTURES, 'mulesoft-stripe-seed-000.md')]);
  assert.equal(res.code, 0);
  assert.match(res.stdout, /^# Imported by api-notebook from the MuleSoft API Notebook/);
  assert.match(res.stderr, /; 2 warnings\.\n$/);
  assert.doesNotMatch(res.stdout, /warning:/);
});

test('--from names the format of a file detection would not take', async () => {
  const dir = tempDir();
  const src = join(dir, 'cells.txt');
  writeFileSync(src, 'Reads the account.\n\n```javascript\nr = client.account.get()\nassert.equal(r.status, 200)\n```\n');
  const res = await runCli(['import', src, '--from', 'mulesoft', '--out', join(dir, 'out.yaml')]);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /Imported 1 step from .* \(mulesoft\) .*; 0 warnings\./);
});

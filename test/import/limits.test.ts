/**
 * `import` is bounded like the loader (src/import/limits.ts): a file over 8 MiB is refused
 * before it is read whole, a notebook the import would give over 16 MiB is said as such; both
 * exit 2 with the limit named, quickly, never an internal error (a 60 MB collection once took
 * 2.7 GB and ended in exit 70).
 */
import assert from 'node:assert/strict';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { notebookTooLarge } from '../../src/import/limits.js';
import { runCli, tempDir } from '../helpers/cli.js';

const INFO = { name: 'Big', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' };

test('a file over 8 MiB is refused with the limit named, in well under the time it would take to read', async () => {
  const dir = tempDir();
  const file = join(dir, 'big.postman_collection.json');
  // A valid collection, padded past the limit: today it would be read, parsed and imported.
  writeFileSync(file, JSON.stringify({ info: INFO, item: [{ name: 'a', request: { method: 'GET', url: 'https://x.test/a' } }], pad: 'x'.repeat(9 * 1024 * 1024) }));
  const t0 = performance.now();
  const res = await runCli(['import', file, '--out', join(dir, 'out.yaml')]);
  assert.equal(res.code, 2, res.stderr);
  assert.match(res.stderr, /error: .*big\.postman_collection\.json is 9(\.\d)? MiB; import reads at most 8 MiB\n\s+= hint: import a smaller part/);
  assert.doesNotMatch(res.stderr, /internal error|\n\s+at /);
  assert.ok(performance.now() - t0 < 10_000);
  assert.equal(existsSync(join(dir, 'out.yaml')), false);
  // A device that never ends is refused the same way.
  const zero = await runCli(['import', '/dev/zero', '--from', 'postman']);
  assert.equal(zero.code, 2, zero.stderr);
  assert.match(zero.stderr, /\/dev\/zero is over 8 MiB; import reads at most 8 MiB/);
});

test('a collection that gives a notebook over 256 KiB (the limit before 16 MiB) imports whole, and the notebook validates', async () => {
  const dir = tempDir();
  const file = join(dir, 'many.postman_collection.json');
  const item = Array.from({ length: 1500 }, (_, i) => ({ name: `request ${i}`, request: { method: 'POST', url: `https://x.test/things/${i}`, body: { mode: 'raw', raw: JSON.stringify({ n: i, text: 'y'.repeat(120) }) } } }));
  writeFileSync(file, JSON.stringify({ info: INFO, item: [{ name: 'first', item: item.slice(0, 750) }, { name: 'second', item: item.slice(750) }] }));
  const res = await runCli(['import', file, '--out', join(dir, 'out.yaml')]);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout + res.stderr, /Imported 1500 steps/);
  assert.ok(statSync(join(dir, 'out.yaml')).size > 256 * 1024, `${statSync(join(dir, 'out.yaml')).size} bytes`);
  const check = await runCli(['validate', join(dir, 'out.yaml')]);
  assert.equal(check.code, 0, check.stderr.slice(0, 500));
});

test('a notebook the import would give over 16 MiB is said as such, with the limit and --split', () => {
  const err = notebookTooLarge('many.postman_collection.json', 17 * 1024 * 1024, true);
  assert.equal(err.message, 'the notebook imported from many.postman_collection.json would be 17 MiB; a notebook may be at most 16 MiB');
  assert.match(err.hint ?? '', /--split --out DIR/);
});

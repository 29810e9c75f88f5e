/**
 * A suite past the loader's budget holds no notebook's text or steps once checked (issue 23 §4:
 * 90,000 steps in bounded memory). Measured in a child process after a full collection: the heap
 * grows by much less than one notebook's text, though nine are loaded. It failed before the first
 * notebook (under the budget when read) was let go too (+20 MB), and before a title or a compiled
 * template stopped holding its notebook's whole text (+0.8 MB a notebook).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { KEEP_STEPS_BYTES } from '../../src/cli/load-all.js';

it('nine notebooks past the budget are held without their texts or steps', () => {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, 'released-heap.ts'), '9', '6000'], { encoding: 'utf8', timeout: 60_000 });
  const r = JSON.parse(out) as { grewBytes: number; textBytes: number; notebooks: number; released: number; title: string };
  assert.ok(r.textBytes * 9 > KEEP_STEPS_BYTES, 'the suite must be past the budget');
  assert.equal(r.notebooks, 9, JSON.stringify(r));
  assert.equal(r.released, 9, 'every notebook lets its steps go, the first ones too');
  assert.equal(r.title, 'Orders, refunds and the ledger of a whole day');
  // What is left is each released notebook's own few kilobytes and the bounded memo of compiled
  // templates (0.16-0.32 MB on Node 20-24); one text is ~0.8 MB.
  assert.ok(r.grewBytes < r.textBytes, `the heap grew by ${(r.grewBytes / 1e6).toFixed(2)} MB holding 9 notebooks of ${(r.textBytes / 1e6).toFixed(2)} MB`);
});

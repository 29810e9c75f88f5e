/**
 * The positions the subset reader records take a fraction of the data they locate (issue 23 §4:
 * reading a 10,000-step notebook set the peak of a 90,000-step run). A tree of an object per node
 * with a Map per mapping took ~39 MB for a 4.5 MB notebook, four times its data; the typed arrays
 * of src/notebook/offset-tree.ts take ~6.6 MB (its data ~11 MB). Measured in a child process after full collections.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';

it('the source map of a 10,000-step notebook holds less than its data and twice its text', () => {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, 'source-map-size.ts'), '10000'], { encoding: 'utf8', timeout: 60_000 });
  const r = JSON.parse(out) as { textBytes: number; dataBytes: number; sourceBytes: number };
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  const said = `text ${mb(r.textBytes)}, data ${mb(r.dataBytes)}, source map ${mb(r.sourceBytes)}`;
  assert.ok(r.textBytes > 4e6, said);
  assert.ok(r.sourceBytes < r.dataBytes, said);
  assert.ok(r.sourceBytes < 2 * r.textBytes, said);
});

/** docs/migrating.md, "From curl command lines": the worked example, imported by the real bin, gives what the page shows. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, runCli, tempDir } from '../helpers/cli.js';

const PAGE = readFileSync(join(ROOT, 'docs', 'migrating.md'), 'utf8');

function block(name: string): string {
  const m = new RegExp(`<!-- import-example: ${name} -->\\n(\`{3,})\\w*\\n([\\s\\S]*?)\\n\\1\\n`).exec(PAGE);
  assert.ok(m, `docs/migrating.md has no block ${name}`);
  return m[2]!;
}

test('docs/migrating.md: the curl example gives the notebook and the warnings shown', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'shop.sh'), block('curl-source') + '\n');
  const res = await runCli(['import', 'shop.sh', '--out', 'shop.yaml'], { cwd: dir });
  assert.equal(res.code, 0, res.stderr);
  assert.equal(res.stdout.trimEnd(), block('curl-output'));
  assert.equal(readFileSync(join(dir, 'shop.yaml'), 'utf8').trimEnd(), block('curl-notebook'));
  assert.equal((await runCli(['validate', 'shop.yaml'], { cwd: dir })).code, 0);
});

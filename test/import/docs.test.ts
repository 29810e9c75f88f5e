/** docs/migrating.md: each worked example, imported by the real bin, gives exactly what the page shows. */
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

const EXAMPLES = [
  ['postman', 'todo.postman_collection.json'],
  ['mulesoft', 'todos.md'],
  ['curl', 'shop.sh'],
  ['hurl', 'orders.hurl'],
  ['bruno', 'create-order.bru'],
  ['http', 'orders.http'],
] as const;

for (const [kind, source] of EXAMPLES) {
  test(`docs/migrating.md: the ${kind} example gives the notebook and the warnings shown`, async () => {
    const dir = tempDir();
    writeFileSync(join(dir, source), block(`${kind}-source`) + '\n');
    const out = source.replace(/\..*$/, '.yaml');
    const res = await runCli(['import', source, '--out', out], { cwd: dir });
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout.trimEnd(), block(`${kind}-output`));
    assert.equal(readFileSync(join(dir, out), 'utf8').trimEnd(), block(`${kind}-notebook`));
    assert.equal((await runCli(['validate', out], { cwd: dir })).code, 0);
  });
}

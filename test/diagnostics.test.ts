/**
 * Golden files for what people see when a notebook is broken: for each fixture
 * test/fixtures/diagnostics/<case>.yaml, `validate` must print exactly <case>.stderr and exit 2.
 * Refresh after an intended change with UPDATE_GOLDEN=1 npm test, then read the diff.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, runCli } from './helpers/cli.js';

const DIR = join(ROOT, 'test', 'fixtures', 'diagnostics');
const cases = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

describe('diagnostics (golden)', () => {
  it('has cases', () => assert.ok(cases.length >= 6));
  for (const file of cases) {
    it(file, async () => {
      const rel = join('test', 'fixtures', 'diagnostics', file);
      const { code, stdout, stderr } = await runCli(['validate', rel]);
      const golden = join(DIR, file.replace(/\.yaml$/, '.stderr'));
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) writeFileSync(golden, stderr);
      assert.equal(code, 2, 'a broken notebook exits 2');
      assert.equal(stdout, '', 'nothing on stdout');
      assert.doesNotMatch(stderr, /\n\s+at .*\(.*:\d+:\d+\)/, 'no stack trace');
      assert.equal(stderr, readFileSync(golden, 'utf8'));
    });
  }

  it('every problem names file:line:col and shows the line with a caret', async () => {
    const { stderr } = await runCli(['validate', 'test/fixtures/diagnostics/many.yaml']);
    const blocks = stderr.split('\n\n').filter((b) => b.startsWith('error:'));
    assert.equal(blocks.length, 4, 'all problems of the file at once');
    for (const b of blocks) {
      assert.match(b, /--> test\/fixtures\/diagnostics\/many\.yaml:\d+:\d+/);
      assert.match(b, /\|\s+\^+/);
    }
    assert.match(stderr, /did you mean `request`\?/);
    assert.match(stderr, /did you mean `status`\?/);
  });
});

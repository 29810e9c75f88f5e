/**
 * The broken-notebook corpus: test/fixtures/broken/<kind>/<case>.yaml, where kind is yaml, schema,
 * expression, template or hostile (billion laughs, cycles, 2,000 levels of nesting, a 30,000-term
 * assert…). Each case, through the real bin, must exit 2 with located diagnostics, no stack trace,
 * exactly its golden <case>.stderr, within 2 s of CPU and 300 MB. The CPU time and peak memory
 * come from the child itself (test/helpers/usage-hook.mjs), so a busy machine cannot fail them;
 * a hang is caught by a wall-clock kill. Refresh the goldens with UPDATE_GOLDEN=1, then read the diff.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, tempDir } from './helpers/cli.js';
import { binWithUsage, type Outcome } from './helpers/usage.js';

const DIR = join(ROOT, 'test', 'fixtures', 'broken');
const KINDS = ['yaml', 'schema', 'expression', 'template', 'hostile'];
const LIMIT_CPU_MS = 2000;
const LIMIT_RSS_KIB = 300 * 1024;
const HANG_MS = 20_000;
const PARALLEL = 3;

/** `api-notebook validate <rel>` through the real bin, with its own CPU time and peak memory. */
function validate(rel: string): Promise<Outcome> {
  return binWithUsage(['validate', rel], { cwd: ROOT, killAfterMs: HANG_MS, cpuBudgetMs: LIMIT_CPU_MS });
}

/** Runs the cases a few at a time; each test awaits its own. */
function pool<T>(items: string[], run: (item: string) => Promise<T>): Map<string, Promise<T>> {
  const results = new Map<string, Promise<T>>();
  let chain: Array<Promise<unknown>> = Array.from({ length: PARALLEL }, () => Promise.resolve());
  items.forEach((item, i) => {
    const lane = i % PARALLEL;
    const p = chain[lane].then(() => run(item));
    chain[lane] = p.catch(() => undefined);
    results.set(item, p);
  });
  return results;
}

const cases = KINDS.flatMap((kind) =>
  existsSync(join(DIR, kind)) ? readdirSync(join(DIR, kind)).filter((f) => f.endsWith('.yaml')).sort().map((f) => join('test', 'fixtures', 'broken', kind, f)) : [],
);

/** What any diagnostic output must be: located blocks, nothing internal. */
function assertWellFormed(stderr: string, rel: string): void {
  assert.doesNotMatch(stderr, /\n\s+at .*:\d+:\d+\)?\n/, 'no stack trace');
  const said = stderr.split('\n').filter((l) => !/^\s*-->/.test(l)).join('\n');
  assert.doesNotMatch(said, /internal error|Maximum call stack|\[object Object\]|\bundefined\b|RangeError|TypeError/, 'nothing internal reaches the user');
  const blocks = stderr.split('\n\n').filter((b) => b.startsWith('error:'));
  assert.ok(blocks.length >= 1, 'at least one diagnostic');
  for (const b of blocks) {
    assert.match(b, new RegExp(`\\n\\s*--> ${rel.replace(/[.]/g, '\\.')}:\\d+:\\d+\\n`), `located: ${b.split('\n')[0]}`);
    assert.match(b, /\|\s*\S.*\n\s*\|\s*\^+/, 'shows the line and a caret');
  }
}

describe('broken notebooks (golden, real bin)', () => {
  it('has at least 60 cases, of every kind', () => {
    assert.ok(cases.length >= 60, `${cases.length} cases`);
    for (const kind of KINDS) assert.ok(cases.some((c) => c.includes(`/broken/${kind}/`)), kind);
  });

  const outcomes = pool(cases, validate);
  for (const rel of cases) {
    it(rel.replace('test/fixtures/broken/', ''), async () => {
      const out = await outcomes.get(rel)!;
      const golden = join(ROOT, rel.replace(/\.yaml$/, '.stderr'));
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) writeFileSync(golden, out.stderr);
      assert.equal(out.code, 2, `exit 2 (stderr: ${out.stderr.slice(0, 300)})`);
      assert.equal(out.stdout, '', 'nothing on stdout');
      assertWellFormed(out.stderr, rel);
      assert.ok(out.cpuMs < LIMIT_CPU_MS, `answered within ${LIMIT_CPU_MS} ms of CPU (took ${Math.round(out.cpuMs)} ms)`);
      assert.ok(out.maxRssKiB < LIMIT_RSS_KIB, `within 300 MB (peak ${Math.round(out.maxRssKiB / 1024)} MB)`);
      assert.equal(out.stderr, readFileSync(golden, 'utf8'));
    });
  }

  it('a file over the size limit is refused without being read whole', async () => {
    const dir = tempDir('broken-');
    const file = join(dir, 'huge.yaml');
    writeFileSync(file, `title: Huge\nsteps: []\nvars:\n  filler: "${'x'.repeat(20 * 1024 * 1024)}"\n`);
    const out = await validate(file);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /the file is 20\.0 MiB \(20,971,561 bytes\); a notebook may be at most 16 MiB \(16,777,216 bytes\)/);
    assert.match(out.stderr, /huge\.yaml:1:1/);
    assert.ok(out.cpuMs < LIMIT_CPU_MS && out.maxRssKiB < LIMIT_RSS_KIB);
  });

  // The costliest inputs found for the yaml library at the size limit: a quarter of a million
  // syntax errors, 26,000 unknown keys (its duplicate check and our lookups were quadratic).
  const atTheLimit: Record<string, (n: number) => string> = {
    'a quarter of a million syntax errors': (n) => `title: x\nsteps: []\n${']'.repeat(n)}`,
    'tens of thousands of unknown keys': (n) => `title: x\nsteps: []\n${Array.from({ length: n / 10 }, (_, i) => `k${i}: 1\n`).join('')}`,
    'tens of thousands of duplicate keys': (n) => `title: x\nsteps: []\nvars:\n${'  a: 1\n'.repeat(n / 7)}`,
  };
  for (const [what, make] of Object.entries(atTheLimit)) {
    it(`at the size limit, ${what}: answered within the limits`, async () => {
      const file = join(tempDir('broken-'), 'limit.yaml');
      writeFileSync(file, make(256 * 1024 - 200).slice(0, 256 * 1024 - 100));
      const out = await validate(file);
      assert.equal(out.code, 2, out.stderr.slice(0, 300));
      assert.match(out.stderr, /limit\.yaml:\d+:\d+/);
      assert.match(out.stderr, /more problems in this file are not shown/);
      assert.ok(out.cpuMs < LIMIT_CPU_MS, `${Math.round(out.cpuMs)} ms of CPU`);
      assert.ok(out.maxRssKiB < LIMIT_RSS_KIB, `peak ${Math.round(out.maxRssKiB / 1024)} MB`);
    });
  }
});

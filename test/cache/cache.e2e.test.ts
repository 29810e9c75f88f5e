/**
 * The compile cache through the real bin (dist/cli/main.js): a second run loads what the first
 * compiled (API_NOTEBOOK_DEBUG=cache says so), and an entry that is corrupt, truncated, stale,
 * unsafe or a folder, or a cache folder that cannot be written, is ignored: the same verdicts,
 * the same output, never an error.
 */
import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { json, startTestServer, type TestServer } from '../helpers/server.js';
import { readJson, runCli, tempDir, writeInto } from '../helpers/cli.js';

let server: TestServer;
const roots: string[] = [];

before(async () => {
  server = await startTestServer();
  server.route('GET', '/things/1', (_req, res) => json(res, 200, { id: 'th_1', size: 3, tags: ['a'] }));
  server.route('GET', '/things/2', (_req, res) => json(res, 200, { id: 7, size: 'big' }));
});
after(async () => {
  await server.close();
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const SPEC = `openapi: 3.0.3
info: { title: Things, version: "1" }
paths:
  /things/{id}:
    get:
      parameters: [{ name: id, in: path, required: true, schema: { type: integer } }]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Thing" }
components:
  schemas:
    Thing:
      type: object
      required: [id]
      properties: { id: { type: string }, size: { type: integer } }
`;

/** A project (a repository with node_modules) with a named schema, an inline one and a description. */
function project(): { dir: string; notebook: string; cache: string } {
  const dir = tempDir('api-notebook-cache-');
  roots.push(dir);
  mkdirSync(join(dir, '.git'));
  mkdirSync(join(dir, 'node_modules'));
  writeInto(dir, 'schemas/thing.json', JSON.stringify({ type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^th_' }, tags: { type: 'array', items: { type: 'string' } } } }));
  writeInto(dir, 'api.yaml', SPEC);
  const notebook = writeInto(dir, 'nb.yaml', `title: cache
baseUrl: ${server.url}
openapi: api.yaml
steps:
  - name: good
    request: GET /things/1
    expect: { status: 200, schema: thing }
  - name: inline
    request: GET /things/1
    expect:
      schema: { type: object, required: [size], properties: { size: { type: integer, minimum: 1 } } }
  - name: bad
    request: GET /things/2
    expect:
      schema: thing
`);
  return { dir, notebook, cache: join(dir, 'node_modules', '.cache', 'api-notebook') };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  counts: Record<string, number>;
  verdicts: unknown;
}

async function run(p: { dir: string; notebook: string }, extra: string[] = [], env: Record<string, string> = {}): Promise<Run> {
  const out = join(p.dir, 'reports');
  const r = await runCli(['run', p.notebook, '--out', out, '--reporter', 'console,json', ...extra], { cwd: p.dir, env: { API_NOTEBOOK_DEBUG: 'cache', ...env } });
  const counts: Record<string, number> = {};
  for (const m of r.stderr.matchAll(/^api-notebook cache: (\w+(?: \w+)?)/gm)) {
    const kind = m[1]!.startsWith('not written') ? 'not written' : m[1]!.split(' ')[0]!;
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  const report = existsSync(join(out, 'report.json')) ? readJson(join(out, 'report.json')) : undefined;
  const verdicts = report?.notebooks.flatMap((nb: any) => nb.steps.map((s: any) => [s.name, s.status, s.checks.map((c: any) => [c.kind, c.passed, c.message, c.details])]));
  return { code: r.code, stdout: r.stdout.replace(/\d+(\.\d+)? ?m?s\b/g, 'T'), stderr: r.stderr, counts, verdicts };
}

/** What a run said, cache lines left out: must not depend on the cache. */
function said(r: Run): string {
  return r.stderr.split('\n').filter((l) => !l.startsWith('api-notebook cache: ')).join('\n');
}

function entries(cache: string): string[] {
  return existsSync(cache) ? readdirSync(cache).filter((f) => f.endsWith('.cjs')).map((f) => join(cache, f)) : [];
}

describe('the compile cache', () => {
  let reference: Run;
  let p: ReturnType<typeof project>;

  before(async () => {
    p = project();
    reference = await run(p, ['--no-cache']);
    assert.equal(reference.code, 1, reference.stderr);
    assert.ok(!reference.counts.write && !reference.counts.hit && reference.counts.compile! >= 3, JSON.stringify(reference.counts));
    assert.deepEqual(entries(p.cache), [], '--no-cache writes nothing');
  });

  it('is written by a first run under node_modules/.cache/api-notebook and used by the second, with the same verdicts', async () => {
    const cold = await run(p);
    assert.equal(cold.counts.compile, reference.counts.compile);
    assert.equal(cold.counts.write, cold.counts.compile);
    assert.equal(entries(p.cache).length, cold.counts.write);
    const warm = await run(p);
    // Nothing compiled: every validator came from the cache.
    assert.equal(warm.counts.compile, undefined, warm.stderr);
    assert.equal(warm.counts.hit, cold.counts.compile);
    for (const r of [cold, warm]) {
      assert.equal(r.code, 1);
      assert.deepEqual(r.verdicts, reference.verdicts);
      assert.equal(said(r), said(reference));
      assert.equal(r.stdout, reference.stdout);
    }
    // Owner-only, as the code in it is run; no temporary file left behind.
    assert.equal(statSync(p.cache).mode & 0o077, 0);
    for (const f of entries(p.cache)) assert.equal(statSync(f).mode & 0o077, 0, f);
    assert.deepEqual(readdirSync(p.cache).filter((n) => !n.endsWith('.cjs')), []);
  });

  const spoiled: Array<[string, (files: string[]) => void]> = [
    ['a corrupt cache entry', (files) => files.forEach((f) => writeFileSync(f, readFileSync(f, 'utf8').replace(/validate/g, 'valid@te')))],
    ['a truncated cache entry', (files) => files.forEach((f) => truncateSync(f, Math.floor(readFileSync(f).length / 2)))],
    ['garbage in place of an entry', (files) => files.forEach((f) => writeFileSync(f, 'module.exports = () => true;\n'))],
    ['a stale entry (made for another key)', (files) => files.forEach((f, i) => writeFileSync(f, readFileSync(files[(i + 1) % files.length]!)))],
    ['a folder where an entry should be', (files) => files.forEach((f) => (rmSync(f), mkdirSync(f)))],
    ['an entry writable by others', (files) => files.forEach((f) => chmodSync(f, 0o666))],
    ['an entry owned by another user', (files) => files.forEach((f) => chownSync(f, 65534, 65534))],
  ];
  for (const [what, spoil] of spoiled) {
    it(`ignores ${what}: compiled again, same verdicts, no error`, async (t) => {
      if (what.includes('another user') && process.getuid?.() !== 0) return t.skip('needs root to give a file away');
      const q = project();
      await run(q);
      const files = entries(q.cache);
      assert.ok(files.length >= 3);
      spoil(files);
      const r = await run(q);
      assert.equal(r.counts.hit, undefined, r.stderr);
      assert.equal(r.counts.compile, reference.counts.compile, r.stderr);
      assert.ok((r.counts.ignored ?? 0) >= files.length, r.stderr);
      assert.equal(r.code, 1);
      assert.deepEqual(r.verdicts, reference.verdicts);
      assert.equal(said(r), said(reference));
      assert.doesNotMatch(said(r), /cache|Error|at .*\.js:\d+/);
    });
  }

  it('ignores a cache folder it cannot write (a file in its place): compiles, same verdicts, no error', async () => {
    const q = project();
    const blocker = writeInto(q.dir, 'not-a-folder', 'x');
    const r = await run(q, ['--cache-dir', join(blocker, 'cache')]);
    assert.equal(r.counts['not written'], reference.counts.compile, r.stderr);
    assert.equal(r.code, 1);
    assert.deepEqual(r.verdicts, reference.verdicts);
    assert.equal(said(r), said(reference));
  });

  it('--cache-dir DIR and API_NOTEBOOK_CACHE_DIR choose the folder; API_NOTEBOOK_NO_CACHE=1 turns it off; validate uses it too', async () => {
    const q = project();
    const mine = join(q.dir, 'my-cache');
    const first = await run(q, ['--cache-dir', mine]);
    assert.equal(entries(mine).length, first.counts.write);
    assert.deepEqual(entries(q.cache), []);
    const second = await run(q, [], { API_NOTEBOOK_CACHE_DIR: mine });
    assert.equal(second.counts.compile, undefined, second.stderr);
    const off = await run(q, [], { API_NOTEBOOK_NO_CACHE: '1' });
    assert.equal(off.counts.compile, reference.counts.compile);
    assert.deepEqual(entries(q.cache), []);
    // validate compiles the notebook's schemas (not the description's validators, which a run makes on first use).
    const v1 = await runCli(['validate', q.notebook], { cwd: q.dir, env: { API_NOTEBOOK_DEBUG: 'cache' } });
    const v2 = await runCli(['validate', q.notebook], { cwd: q.dir, env: { API_NOTEBOOK_DEBUG: 'cache' } });
    assert.equal(v1.code, 0, v1.stderr);
    assert.match(v1.stderr, /cache: write/);
    assert.doesNotMatch(v2.stderr, /cache: compile/);
    assert.match(v2.stderr, /cache: hit/);
    const both = await runCli(['validate', q.notebook, '--no-cache', '--cache-dir', mine], { cwd: q.dir });
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--cache-dir and --no-cache contradict/);
  });

  it('without a node_modules above the notebook or the working directory, uses a folder of this user’s in the OS temp folder', async () => {
    const q = project();
    rmSync(join(q.dir, 'node_modules'), { recursive: true });
    const tmp = join(q.dir, 'tmp');
    mkdirSync(tmp);
    const r = await run(q, [], { TMPDIR: tmp });
    assert.equal(r.code, 1);
    const dirs = readdirSync(tmp).filter((n) => n.startsWith('api-notebook-cache-'));
    assert.equal(dirs.length, 1, readdirSync(tmp).join(', '));
    assert.equal(entries(join(tmp, dirs[0]!)).length, r.counts.write);
  });
});

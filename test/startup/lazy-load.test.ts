/**
 * Each command loads only what it needs (issue 21): the real bin, spawned with a preload that logs
 * every module the process loads (load-trace.mjs). The bundle names its chunks by hash, but esbuild
 * marks each source module in them with a `// src/…` comment: those name what was loaded.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'cli', 'main.js');
const FLAGSHIP = join(ROOT, 'notebooks', 'stripe', 'accounts-customers-plans-coupons.yaml');

function loaded(args: string[]): { files: string[]; sources: string[]; status: number | null } {
  const log = join(mkdtempSync(join(tmpdir(), 'lazy-load-')), 'trace.log');
  const r = spawnSync(process.execPath, ['--import', join(import.meta.dirname, 'load-trace.mjs'), BIN, ...args], {
    env: { ...process.env, LOAD_TRACE: log, NO_COLOR: '1' },
    encoding: 'utf8',
  });
  assert.equal(r.stderr.includes('    at '), false, r.stderr);
  const files = [...new Set(readFileSync(log, 'utf8').split('\n').map((l) => l.replace(/^(esm|cjs) (file:\/\/)?/, '')).filter((f) => f.startsWith('/')))];
  const sources = new Set<string>();
  for (const f of files.filter((f) => f.startsWith(join(ROOT, 'dist', 'cli')))) {
    for (const m of readFileSync(f, 'utf8').matchAll(/^\/\/ (src\/\S+\.ts)$/gm)) sources.add(m[1]!);
  }
  return { files, sources: [...sources].sort(), status: r.status };
}

test('the bin is one bundled entry with per-command chunks', () => {
  const main = readFileSync(BIN, 'utf8');
  assert.match(main, /^#!\/usr\/bin\/env -S node/);
  assert.match(main, /import\("\.\/chunks\/validate-command-[\w-]+\.js"\)/, 'validate is a lazy chunk');
  assert.match(main, /import\("\.\/chunks\/run-command-[\w-]+\.js"\)/, 'run is a lazy chunk');
});

for (const args of [['--version'], ['help'], ['help', 'run']]) {
  test(`${args.join(' ')} loads nothing beyond the CLI's entry and its argument parser`, () => {
    const { files, sources, status } = loaded(args);
    assert.equal(status, 0);
    assert.deepEqual(files.filter((f) => f.includes('node_modules')), [], 'no dependency');
    assert.deepEqual(files.filter((f) => !f.startsWith(join(ROOT, 'dist', 'cli'))), [], 'no file outside the bundle');
    const allowed = ['src/cli/args.ts', 'src/cli/compile-cache.ts', 'src/cli/interrupts.ts', 'src/cli/main.ts', 'src/cli/usage-error.ts', 'src/cli/v8-settings.ts', 'src/cli/var-file.ts', 'src/cli/version.ts', 'src/files/package-root.ts'];
    assert.deepEqual(sources.filter((s) => !allowed.includes(s)), [], `loaded: ${sources.join(', ')}`);
    assert.ok(sources.includes('src/cli/main.ts') && sources.includes('src/cli/args.ts'), sources.join(', '));
  });
}

test('validate loads no HTTP client (undici), mock, reporters or live page', () => {
  const { files, sources, status } = loaded(['validate', FLAGSHIP]);
  assert.equal(status, 0);
  assert.ok(sources.includes('src/cli/validate-command.ts') && sources.includes('src/notebook/load.ts'), sources.join(', '));
  assert.deepEqual(files.filter((f) => /node_modules\/(undici|pino|tough-cookie)\//.test(f)), []);
  const forbidden = sources.filter((s) => /^src\/(http\/(client|dispatcher|exchange|tls|redirects)|mock\/|open\/|run\/(runner|session)|cli\/(run-command|run-suite|open-command|mock-command|logger))|^src\/report\/(?!escape\/|report-schema)/.test(s));
  assert.deepEqual(forbidden, [], `validate loaded: ${forbidden.join(', ')}`);
});

test('run does load the HTTP client (the trace sees what it should)', () => {
  const { files, sources } = loaded(['run', FLAGSHIP, '--out', mkdtempSync(join(tmpdir(), 'lazy-run-')), '--quiet']);
  assert.ok(sources.includes('src/http/client.ts'), sources.join(', '));
  assert.ok(files.some((f) => f.includes('node_modules/undici/')), 'undici loaded by run');
});

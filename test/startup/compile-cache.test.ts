/**
 * Node's compile cache (src/cli/compile-cache.ts): on where Node has it (22.1+), off and harmless
 * where it does not (20). Proved from inside the real bin's process: a preload prints
 * module.getCompileCacheDir() at exit, after the CLI has run.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const BIN = resolve(import.meta.dirname, '..', '..', 'dist', 'cli', 'main.js');
const PRINT_DIR = 'data:text/javascript,' + encodeURIComponent('import m from "node:module"; process.on("exit", () => process.stderr.write("COMPILE_CACHE=" + String(m.getCompileCacheDir?.()) + "\\n"));');
const supported = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';

function cacheDirOf(env: NodeJS.ProcessEnv): { dir: string; stdout: string; status: number | null } {
  const r = spawnSync(process.execPath, ['--import', PRINT_DIR, BIN, '--version'], { env, encoding: 'utf8', timeout: 30_000 });
  const dir = /COMPILE_CACHE=(.*)/.exec(r.stderr)?.[1] ?? '';
  return { dir, stdout: r.stdout, status: r.status };
}

test(supported ? 'the compile cache is on, in the OS temp dir, and filled' : 'no compile cache on this Node, and --version works', () => {
  const env = { ...process.env };
  delete env.NODE_COMPILE_CACHE;
  delete env.NODE_DISABLE_COMPILE_CACHE;
  const r = cacheDirOf(env);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^api-notebook \d/);
  if (!supported) {
    assert.equal(r.dir, 'undefined');
    return;
  }
  assert.ok(r.dir.startsWith(join(tmpdir(), 'api-notebook-compile-cache-')), r.dir);
  assert.ok(existsSync(r.dir) && readdirSync(r.dir).length > 0, `cache written in ${r.dir}`);
});

test('NODE_COMPILE_CACHE chooses the folder; NODE_DISABLE_COMPILE_CACHE turns it off', { skip: !supported && 'Node < 22.1' }, () => {
  const chosen = mkdtempSync(join(tmpdir(), 'compile-cache-'));
  assert.ok(cacheDirOf({ ...process.env, NODE_COMPILE_CACHE: chosen }).dir.startsWith(chosen));
  const off = cacheDirOf({ ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' });
  assert.equal(off.status, 0);
  assert.equal(off.dir, 'undefined');
});

// A file where the folder should be: the cache cannot be made. (Not a /proc path: Node 24.22's own
// start-up hangs on one, before any of our code runs; `node -e 0` hangs the same way.)
test('an unwritable cache folder is no error', { skip: !supported && 'Node < 22.1' }, () => {
  const file = join(mkdtempSync(join(tmpdir(), 'compile-cache-')), 'a-file');
  writeFileSync(file, 'not a folder');
  const r = spawnSync(process.execPath, [BIN, '--version'], { env: { ...process.env, NODE_COMPILE_CACHE: join(file, 'cache') }, encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^api-notebook \d/);
});

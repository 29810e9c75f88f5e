/** Import a fixture with the real bin, then validate the notebook with the real bin too. */
import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempDir } from '../helpers/cli.js';

export const FIXTURES = join(ROOT, 'test', 'fixtures', 'import');

type Imported = { file: string; text: string; stdout: string; dir: string };
const cache = new Map<string, Promise<Imported>>();

/** Each fixture is imported and validated once per test file (tests only read the result). */
export function importAndValidate(fixture: string, extra: string[] = []): Promise<Imported> {
  const key = [fixture, ...extra].join(' ');
  let done = cache.get(key);
  if (!done) cache.set(key, (done = importOnce(fixture, extra)));
  return done;
}

async function importOnce(fixture: string, extra: string[], name = 'imported.yaml'): Promise<Imported> {
  const dir = tempDir('api-notebook-import-');
  const file = join(dir, name);
  // The fixtures are copied beside the notebook: an imported description's `openapi:` must lie
  // inside the notebook's repository (the file rule, src/files/access.ts) for validate and run.
  const fixtures = join(dir, 'test', 'fixtures', 'import');
  cpSync(FIXTURES, fixtures, { recursive: true });
  const imported = await runCli(['import', join(fixtures, fixture), '--out', file, ...extra]);
  assert.equal(imported.code, 0, imported.stderr);
  const validated = await runCli(['validate', file]);
  assert.equal(validated.code, 0, `${validated.stderr}\n${readFileSync(file, 'utf8')}`);
  return { file, text: readFileSync(file, 'utf8'), stdout: imported.stdout, dir };
}

/** The number printed at the end: `…; 3 warnings.` */
export function warningCount(output: string): number {
  const m = /; (\d+) warnings?\.\n$/.exec(output);
  assert.ok(m, `no closing warning count in:\n${output}`);
  return Number(m[1]);
}

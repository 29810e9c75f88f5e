/**
 * The build's validators of a shipped description, one module for each ajv instance (each side
 * of the description) rather than one file for each validator. One per file, every validator
 * carried its own copy of each schema it refers to: 204 files, 9.5 MB, of which the flagship's
 * run loaded 99 (7.5 MB of code, ~130 ms of compiling every run). In one module the schemas they
 * share are compiled once (268 response validators in ~2 MB, loaded in ~30 ms).
 * dist/compiled/packs.json maps a validator's key (compile-cache.ts) to its pack and export.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import standaloneModule from 'ajv/dist/standalone/index.js';
import type { Ajv, ValidateFunction } from 'ajv';
import { writeFileAtomic } from '../files/atomic-write.js';
import { BUILT_DIR, readEntry, writeEntry } from './entry.js';

const standaloneCode = standaloneModule as unknown as typeof standaloneModule.default;
const INDEX = 'packs.json';

type Index = Record<string, [pack: string, name: string]>;
let index: Index | null | undefined;
const packs = new Map<string, Record<string, unknown> | undefined>();

/** The build's validator for `key`, from its pack (read once), or undefined. */
export function packedValidator(key: string): ValidateFunction | undefined {
  // Read once; null (no index: a build without packs) is remembered too.
  if (index === undefined) index = readIndex();
  if (!index || !Object.hasOwn(index, key)) return undefined;
  const [pack, name] = index[key]!;
  if (!packs.has(pack)) packs.set(pack, readEntry(BUILT_DIR, join(BUILT_DIR, `${pack}.cjs`), pack, false) as Record<string, unknown> | undefined);
  const validate = packs.get(pack)?.[name];
  return typeof validate === 'function' ? (validate as ValidateFunction) : undefined;
}

function readIndex(): Index | null {
  try {
    return JSON.parse(readFileSync(join(BUILT_DIR, INDEX), 'utf8')) as Index;
  } catch {
    return null;
  }
}

/** Build time: the validators compiled so far, by the ajv instance that holds their schema (added under `id`). */
const collected = new Map<Ajv, Array<{ key: string; id: string }>>();

export function collectForPack(key: string, ajv: Ajv, id: string): void {
  let entries = collected.get(ajv);
  if (!entries) collected.set(ajv, (entries = []));
  entries.push({ key, id });
}

/** Build time: one pack per ajv instance collected, and the index; returns how many validators. */
export function writePacks(dir: string): number {
  const written: Index = {};
  let count = 0;
  for (const [ajv, entries] of collected) {
    const code = standaloneCode(ajv, Object.fromEntries(entries.map((e, i) => [`v${i}`, e.id])));
    const pack = `pack-${createHash('sha256').update(code).digest('hex').slice(0, 16)}`;
    writeEntry(dir, join(dir, `${pack}.cjs`), pack, () => code, true);
    entries.forEach((e, i) => (written[e.key] = [pack, `v${i}`]));
    count += entries.length;
  }
  writeFileAtomic(join(dir, INDEX), JSON.stringify(written), { mode: 0o644 });
  collected.clear();
  return count;
}

/**
 * Compiled JSON Schema validators kept between runs. ajv spends most of `validate`'s time
 * generating code for schemas whose text has not changed since the last run; its `standalone`
 * output is that code as a module, so it is written once and loaded (a few ms) afterwards.
 *
 * Two folders are read, by key (a hash of everything that decides the code: the schema text,
 * the schemas it may `$ref`, ajv's version, ours, the ajv options):
 * - the package's own `dist/compiled/` (written by scripts/build-compiled-validators.mjs for the
 *   shipped schemas and the shipped Stripe description, in packs: ./packs.ts), part of the
 *   package like dist/*.js;
 * - the user's cache folder (cache-dir.ts), written here after each compile.
 *
 * A cache entry is only ever an optimisation: one that is missing, stale, truncated, corrupt,
 * unreadable, not a plain file, or not safe to load (see `safeToLoad`) is ignored and the schema
 * compiled as if there were no cache; a folder that cannot be written is ignored too. Verdicts
 * never depend on the cache: the code loaded is what ajv generated for the same key.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import standaloneModule from 'ajv/dist/standalone/index.js';
import type { Ajv, ValidateFunction } from 'ajv';
import { resolveCacheDir, type CacheSettings } from './cache-dir.js';
import { AJV_VERSION, BUILT_DIR, cacheStats, debug, ignore, OUR_VERSION, portable, readEntry, writeEntry } from './entry.js';
import { collectForPack, packedValidator } from './packs.js';

export { BUILT_DIR, cacheStats } from './entry.js';
export { writePacks } from './packs.js';

const standaloneCode = standaloneModule as unknown as typeof standaloneModule.default;
/** Bump when the entry format or what goes into a key changes. */
const FORMAT = 1;

let settings: CacheSettings = {};
let userDir: string | null | undefined;

/** Set by `run` and `validate` from --cache-dir / --no-cache and the notebooks' folder, before anything compiles. */
export function configureCompileCache(next: CacheSettings): void {
  settings = next;
  userDir = undefined;
}

/** The user cache folder in use, or null when caching is off. */
export function userCacheDir(): string | null {
  if (userDir === undefined) userDir = resolveCacheDir(settings);
  return userDir;
}

/** Is an ajv instance to keep its generated code (needed to write an entry)? */
export function cacheWanted(): boolean {
  return settings.writeDir !== undefined || userCacheDir() !== null;
}

/** The key of a compile: every part that decides the generated code. The package's own location is a token. */
export function cacheKey(...parts: string[]): string {
  const h = createHash('sha256').update(`${FORMAT}\0${AJV_VERSION}\0${OUR_VERSION}`);
  for (const p of parts) h.update('\0').update(portable(p));
  return h.digest('hex');
}

/** A hash of `texts` for a key part, the package's location written as a token (as cacheKey does). */
export function portableDigest(texts: Iterable<string>): string {
  const h = createHash('sha256');
  for (const t of texts) h.update(portable(t)).update('\0');
  return h.digest('hex');
}

/** What a compile gives: `id`, when the schema was added to `ajv` under that id, lets the build pack it with the others of its ajv (packs.ts). */
export interface Compiled {
  ajv: Ajv;
  validate: ValidateFunction;
  id?: string;
}

/**
 * The validator for `key`: from the built folder (a pack, or a file of its own), else the user
 * cache, else `compile()` (whose ajv must have `code: { source: true }` for an entry to be
 * written), then stored for next time.
 */
export function cachedValidator(key: string, compile: () => Compiled): ValidateFunction {
  const built = settings.noBuilt ? undefined : packedValidator(key) ?? load(BUILT_DIR, key, false);
  if (built) {
    cacheStats.builtHits++;
    debug(`built ${key.slice(0, 12)}`);
    return built;
  }
  const dir = settings.writeDir ?? userCacheDir();
  const cached = dir && load(dir, key, settings.writeDir === undefined);
  if (cached) {
    cacheStats.cacheHits++;
    debug(`hit ${key.slice(0, 12)} ${dir}`);
    return cached;
  }
  const { ajv, validate, id } = compile();
  cacheStats.compiles++;
  debug(`compile ${key.slice(0, 12)}`);
  if (settings.writeDir !== undefined && id !== undefined) collectForPack(key, ajv, id);
  else if (dir) writeEntry(dir, entryFile(dir, key), key, () => standaloneCode(ajv, validate), settings.writeDir !== undefined);
  return validate;
}

function entryFile(dir: string, key: string): string {
  return join(dir, `${key}.cjs`);
}

function load(dir: string, key: string, checkOwner: boolean): ValidateFunction | undefined {
  const file = entryFile(dir, key);
  const exports = readEntry(dir, file, key, checkOwner) as { default?: unknown } | undefined;
  if (exports === undefined) return undefined;
  const validate = exports.default ?? exports;
  return typeof validate === 'function' ? (validate as ValidateFunction) : ignore(file, 'exports no validator');
}

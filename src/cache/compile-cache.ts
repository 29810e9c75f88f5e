/**
 * Compiled JSON Schema validators kept between runs. ajv spends most of `validate`'s time
 * generating code for schemas whose text has not changed since the last run; its `standalone`
 * output is that code as a module, so it is written once and loaded (a few ms) afterwards.
 *
 * Two folders are read, by key (a hash of everything that decides the code: the schema text,
 * the schemas it may `$ref`, ajv's version, ours, the ajv options):
 * - the package's own `dist/compiled/` (written by scripts/build-compiled-validators.mjs for the
 *   shipped schemas and the shipped Stripe description), part of the package like dist/*.js;
 * - the user's cache folder (cache-dir.ts), written here after each compile.
 *
 * A cache entry is only ever an optimisation: one that is missing, stale, truncated, corrupt,
 * unreadable, not a plain file, or not safe to load (see `safeToLoad`) is ignored and the schema
 * compiled as if there were no cache; a folder that cannot be written is ignored too. Verdicts
 * never depend on the cache: the code loaded is what ajv generated for the same key.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import standaloneModule from 'ajv/dist/standalone/index.js';
import type { Ajv, ValidateFunction } from 'ajv';
import { PRIVATE, writeFileAtomic } from '../files/atomic-write.js';
import { resolveCacheDir, type CacheSettings } from './cache-dir.js';
import { PACKAGE_ROOT } from '../files/package-root.js';

const standaloneCode = standaloneModule as unknown as typeof standaloneModule.default;
const require = createRequire(import.meta.url);
/** file:// URL of the package, written as this token in keys and code, so built entries work wherever the package is installed. */
const ROOT_URL = pathToFileURL(PACKAGE_ROOT).href + '/';
const ROOT_TOKEN = 'api-notebook-package:///';
/** Bump when the entry format or what goes into a key changes. */
const FORMAT = 1;
const AJV_VERSION = (require('ajv/package.json') as { version: string }).version;
const OUR_VERSION = (require(join(PACKAGE_ROOT, 'package.json')) as { version: string }).version;
const HEADER = '// api-notebook compiled validator ';

export const BUILT_DIR = join(PACKAGE_ROOT, 'dist', 'compiled');

/** What happened, for `API_NOTEBOOK_DEBUG=cache` and the tests. */
export const cacheStats = { compiles: 0, builtHits: 0, cacheHits: 0, writes: 0, ignored: 0 };

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

/**
 * The validator for `key`: from the built folder, else the user cache, else `compile()` (whose
 * ajv must have `code: { source: true }` for an entry to be written), then stored for next time.
 */
export function cachedValidator(key: string, compile: () => { ajv: Ajv; validate: ValidateFunction }): ValidateFunction {
  const built = settings.noBuilt ? undefined : load(BUILT_DIR, key, false);
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
  const { ajv, validate } = compile();
  cacheStats.compiles++;
  debug(`compile ${key.slice(0, 12)}`);
  if (dir) store(dir, key, ajv, validate);
  return validate;
}

function entryFile(dir: string, key: string): string {
  return join(dir, `${key}.cjs`);
}

function load(dir: string, key: string, checkOwner: boolean): ValidateFunction | undefined {
  const file = entryFile(dir, key);
  let fd: number | undefined;
  try {
    // Opened once and checked through the descriptor: what is checked is what is read.
    fd = openSync(file, 'r');
    const st = fstatSync(fd);
    if (!st.isFile()) return ignore(file, 'not a plain file');
    if (checkOwner && !safeToLoad(st) ) return ignore(file, 'not owned by this user, or writable by others');
    if (checkOwner && !safeDir(dir)) return ignore(file, 'its folder is not owned by this user, or is writable by others');
    const text = readFileSync(fd, 'utf8');
    const nl = text.indexOf('\n');
    if (!text.startsWith(HEADER) || nl < 0) return ignore(file, 'no header');
    const meta = JSON.parse(text.slice(HEADER.length, nl)) as { key?: string; sha256?: string };
    const body = text.slice(nl + 1);
    if (meta.key !== key) return ignore(file, 'made for another key');
    // Truncated or edited since it was written.
    if (meta.sha256 !== createHash('sha256').update(body).digest('hex')) return ignore(file, 'its content does not match its hash');
    const module = { exports: {} as unknown };
    new Function('require', 'module', 'exports', unportable(body))(require, module, module.exports);
    const validate = (module.exports as { default?: unknown }).default ?? module.exports;
    if (typeof validate !== 'function') return ignore(file, 'exports no validator');
    return validate as ValidateFunction;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return ignore(file, (err as Error).message);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Cached code is run, so an entry is loaded only when nobody else could have written it: owned
 * by this user (or root) and writable by nobody else, in a folder likewise (a cache in a shared
 * temp folder or a group-writable project is not trusted). Not checked where there are no uids (Windows).
 */
function safeToLoad(st: { uid: number; mode: number }): boolean {
  if (typeof process.getuid !== 'function') return true;
  return (st.uid === process.getuid() || st.uid === 0) && (st.mode & 0o022) === 0;
}

function safeDir(dir: string): boolean {
  const st = statSync(dir);
  // A sticky, world-writable folder such as /tmp itself is never the cache folder (cache-dir.ts uses a folder inside it).
  return st.isDirectory() && safeToLoad(st);
}

function store(dir: string, key: string, ajv: Ajv, validate: ValidateFunction): void {
  const file = entryFile(dir, key);
  try {
    const body = portable(standaloneCode(ajv, validate)) + '\n';
    const meta = { key, sha256: createHash('sha256').update(body).digest('hex'), ajv: AJV_VERSION, apiNotebook: OUR_VERSION };
    // The build's folder is part of the package, readable by all; a user's cache is theirs alone.
    const shipped = settings.writeDir !== undefined;
    mkdirSync(dir, { recursive: true, mode: shipped ? 0o755 : 0o700 });
    // Whole or not at all (a temporary file opened O_EXCL, then renamed): a reader sees the old entry or the new one.
    writeFileAtomic(file, HEADER + JSON.stringify(meta) + '\n' + body, { mode: shipped ? 0o644 : PRIVATE });
    cacheStats.writes++;
    debug(`write ${key.slice(0, 12)} ${dir}`);
  } catch (err) {
    cacheStats.ignored++;
    debug(`not written ${file}: ${(err as Error).message}`);
  }
}

function ignore(file: string, why: string): undefined {
  cacheStats.ignored++;
  debug(`ignored ${file}: ${why}`);
  return undefined;
}

function portable(text: string): string {
  return text.split(ROOT_URL).join(ROOT_TOKEN);
}

function unportable(text: string): string {
  return text.split(ROOT_TOKEN).join(ROOT_URL);
}

function debug(line: string): void {
  if (/(^|,)\s*cache\s*(,|$)/.test(process.env.API_NOTEBOOK_DEBUG ?? '')) process.stderr.write(`api-notebook cache: ${line}\n`);
}

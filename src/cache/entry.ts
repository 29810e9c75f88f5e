/**
 * The file format of a compiled validator (src/cache/compile-cache.ts) and of a pack of them
 * (./packs.ts): one header line naming the entry's key and the SHA-256 of the body, then the
 * CommonJS body ajv's `standalone` wrote, with the package's own location written as a token so
 * that the build's entries work wherever the package is installed.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PRIVATE, writeFileAtomic } from '../files/atomic-write.js';
import { PACKAGE_ROOT } from '../files/package-root.js';

const require = createRequire(import.meta.url);
/** file:// URL of the package, written as this token in keys and code. */
const ROOT_URL = pathToFileURL(PACKAGE_ROOT).href + '/';
const ROOT_TOKEN = 'api-notebook-package:///';
const HEADER = '// api-notebook compiled validator ';
export const AJV_VERSION = (require('ajv/package.json') as { version: string }).version;
export const OUR_VERSION = (require(join(PACKAGE_ROOT, 'package.json')) as { version: string }).version;

export const BUILT_DIR = join(PACKAGE_ROOT, 'dist', 'compiled');

/** What happened, for `API_NOTEBOOK_DEBUG=cache` and the tests. */
export const cacheStats = { compiles: 0, builtHits: 0, cacheHits: 0, writes: 0, ignored: 0 };

/**
 * What the entry at `file` exports, or undefined (missing, or ignored: see `ignore`). `checkOwner`:
 * a user's cache, loaded only if nobody else could have written it (`safeToLoad`).
 */
export function readEntry(dir: string, file: string, key: string, checkOwner: boolean): unknown {
  let fd: number | undefined;
  try {
    // Opened once and checked through the descriptor: what is checked is what is read.
    fd = openSync(file, 'r');
    const st = fstatSync(fd);
    if (!st.isFile()) return ignore(file, 'not a plain file');
    if (checkOwner && !safeToLoad(st)) return ignore(file, 'not owned by this user, or writable by others');
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
    return module.exports;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return ignore(file, (err as Error).message);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes an entry (`code`: ajv's standalone code, which may throw), whole or not at all. `shipped`: the build's folder, part of the package and readable by all; else a user's own. */
export function writeEntry(dir: string, file: string, key: string, code: () => string, shipped: boolean): void {
  try {
    const body = portable(code()) + '\n';
    const meta = { key, sha256: createHash('sha256').update(body).digest('hex'), ajv: AJV_VERSION, apiNotebook: OUR_VERSION };
    mkdirSync(dir, { recursive: true, mode: shipped ? 0o755 : 0o700 });
    // A temporary file opened O_EXCL, then renamed: a reader sees the old entry or the new one.
    writeFileAtomic(file, HEADER + JSON.stringify(meta) + '\n' + body, { mode: shipped ? 0o644 : PRIVATE });
    cacheStats.writes++;
    debug(`write ${key.slice(0, 12)} ${dir}`);
  } catch (err) {
    cacheStats.ignored++;
    debug(`not written ${file}: ${(err as Error).message}`);
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

export function ignore(file: string, why: string): undefined {
  cacheStats.ignored++;
  debug(`ignored ${file}: ${why}`);
  return undefined;
}

export function portable(text: string): string {
  return text.split(ROOT_URL).join(ROOT_TOKEN);
}

function unportable(text: string): string {
  return text.split(ROOT_TOKEN).join(ROOT_URL);
}

export function debug(line: string): void {
  if (/(^|,)\s*cache\s*(,|$)/.test(process.env.API_NOTEBOOK_DEBUG ?? '')) process.stderr.write(`api-notebook cache: ${line}\n`);
}

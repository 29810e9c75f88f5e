/**
 * JSON Schemas for `expect.schema`, compiled once per run and shared by every notebook in it.
 * A name resolves to `schemas/<name>.json` next to the notebook (or in a parent folder), then in
 * the working directory, then in this package (the Stripe schemas ship with it). Every JSON file of
 * the folder a schema comes from is registered, so `$ref: "card.json"` between files works.
 *
 * Every file is read through THE file rule (src/files/access.ts): only the folders and files
 * that, symlinks resolved, lie inside the notebook's repository, the shipped schemas or an
 * `--allow-files` folder are searched and registered. ajv loads nothing by itself, so a `$ref`
 * reaches only files registered here.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { checkFileAccess, FileAccessError, fileRulesFor, type FileRules } from '../files/access.js';
import { unquotedParseError } from '../files/parse-errors.js';
import { cacheKey, cachedValidator } from '../cache/compile-cache.js';
import { assertValidSchema } from './meta-schema.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** The package's own folder (two levels above src/checks or dist/checks). */
export { PACKAGE_ROOT } from '../files/package-root.js';
import { PACKAGE_ROOT } from '../files/package-root.js';

/** Part of every cache key of this registry's compiles: its ajv options and formats. */
const REGISTRY_OPTIONS = 'registry ajv2020 allErrors strict:false verbose:false ajv-formats';

export class SchemaError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

export class SchemaRegistry {
  // Schemas are checked against the meta-schema by assertValidSchema (prebuilt, fast), not by ajv.
  // `code.source`: the generated code is kept, so the compile cache can store it (src/cache).
  private readonly ajv = new Ajv2020({ allErrors: true, strict: false, verbose: false, validateSchema: false, code: { source: true } });
  /** Each registered folder → a hash of its schema files' text: what a compile's cache key depends on. */
  private readonly loadedDirs = new Map<string, string>();
  private readonly failedDirs = new Map<string, SchemaError>();
  private readonly byName = new Map<string, ValidateFunction>();
  private readonly inline = new Map<string, ValidateFunction>();
  /** (notebook folder, name) → validator, so each step's lookup costs one map read. */
  private readonly resolved = new Map<string, ValidateFunction>();

  constructor(private readonly cwd = process.cwd(), private readonly allowFiles: readonly string[] = []) {
    addFormats(this.ajv);
  }

  /** The file rule for a notebook in `notebookDir`. */
  private rulesFor(notebookDir: string): FileRules {
    return fileRulesFor(join(notebookDir, 'notebook'), this.allowFiles);
  }

  /** Folders searched for `name`, nearest first: those the file rule allows. */
  searchPath(notebookDir: string): string[] {
    const dirs: string[] = [];
    for (let d = resolve(notebookDir); ; d = dirname(d)) {
      dirs.push(join(d, 'schemas'));
      if (dirname(d) === d) break;
    }
    dirs.push(join(this.cwd, 'schemas'), join(PACKAGE_ROOT, 'schemas'));
    const rules = this.rulesFor(notebookDir);
    return [...new Set(dirs)].filter((dir) => allowed(dir, rules));
  }

  /** Compiled validator for a named schema; throws SchemaError naming where it looked. */
  named(name: string, notebookDir: string): ValidateFunction {
    const key = `${notebookDir}\0${name}`;
    const known = this.resolved.get(key);
    if (known) return known;
    const validate = this.resolveNamed(name, notebookDir);
    this.resolved.set(key, validate);
    return validate;
  }

  private resolveNamed(name: string, notebookDir: string): ValidateFunction {
    // A name is a file inside a schemas/ folder, never a path out of it (`../../package`).
    if (name.split(/[\\/]/).some((part) => part === '..' || part === '') || isAbsolute(name)) {
      throw new SchemaError(`\`${name}\` is not a schema name`, 'name a file inside a schemas/ folder, without `.json`');
    }
    const dirs = this.searchPath(notebookDir);
    const dir = dirs.find((d) => existsSync(join(d, `${name}.json`)));
    if (!dir) {
      const existing = dirs.filter(existsSync);
      const known = new Set(existing.flatMap((d) => readdirSync(d).filter(isSchemaFile).map((f) => f.slice(0, -5))));
      const shown = existing.map((d) => relative(this.cwd, d) || '.');
      const guess = [...known].find((k) => k.toLowerCase() === name.toLowerCase() || k.replace(/_/g, '') === name.replace(/[-_]/g, ''));
      throw new SchemaError(
        `no schema named \`${name}\``,
        guess ? `did you mean \`${guess}\`?` : `looked for ${name}.json in ${shown.join(', ') || 'schemas/ folders (none exist)'}` + (known.size ? `; known: ${[...known].sort().join(', ')}` : ''),
      );
    }
    const file = join(dir, `${name}.json`);
    const rules = this.rulesFor(notebookDir);
    try {
      // The folder is inside; the file may be a link out of it.
      checkFileAccess(file, dir, rules, 'schema');
    } catch (err) {
      if (err instanceof FileAccessError) throw new SchemaError(err.message, err.hint);
      throw err;
    }
    const cached = this.byName.get(file);
    if (cached) return cached;
    this.registerDir(dir, rules);
    const id = idFor(file);
    const validate = cachedValidator(cacheKey(REGISTRY_OPTIONS, 'named', id, this.registeredDigest()), () => {
      const v = this.ajv.getSchema(id);
      if (!v) throw new SchemaError(`schema ${file} could not be compiled`);
      // The id lets the build pack the shipped schemas in one module (src/cache/packs.ts).
      return { ajv: this.ajv, validate: v, id };
    });
    this.byName.set(file, validate);
    return validate;
  }

  compileInline(schema: object): ValidateFunction {
    const key = JSON.stringify(schema);
    let v = this.inline.get(key);
    if (!v) {
      try {
        assertValidSchema(this.ajv, schema, PACKAGE_ROOT);
        // A schema that refers to nothing compiles the same whatever else is registered.
        const refers = /"\$(ref|dynamicRef|recursiveRef)"/.test(key);
        v = cachedValidator(cacheKey(REGISTRY_OPTIONS, 'inline', key, refers ? this.registeredDigest() : ''), () => ({ ajv: this.ajv, validate: this.ajv.compile(schema) }));
      } catch (err) {
        throw new SchemaError(`invalid inline schema: ${(err as Error).message}`);
      }
      this.inline.set(key, v);
    }
    return v;
  }

  private registerDir(dir: string, rules: FileRules): void {
    if (this.loadedDirs.has(dir)) return;
    // A folder that failed once fails the same way when asked again (the loader words its
    // diagnostics in a second pass), not as "could not be compiled".
    const failed = this.failedDirs.get(dir);
    if (failed) throw failed;
    try {
      this.loadedDirs.set(dir, this.registerFiles(dir, rules));
    } catch (err) {
      if (err instanceof SchemaError) this.failedDirs.set(dir, err);
      throw err;
    }
  }

  /** Every registered folder's files, by name and text: a `$ref` can reach any of them. */
  private registeredDigest(): string {
    return [...this.loadedDirs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([dir, digest]) => `${pathToFileURL(dir).href} ${digest}`).join('\n');
  }

  /** Registers the folder's schema files; returns a hash of their names and text. */
  private registerFiles(dir: string, rules: FileRules): string {
    const digest = createHash('sha256');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json') && !n.endsWith('.openapi.json')).sort()) {
      const file = join(dir, f);
      // A sibling linked out of the repository is not read: a `$ref` to it does not resolve.
      if (!allowed(file, rules)) continue;
      let json: Record<string, unknown>;
      try {
        const text = readFileSync(file, 'utf8');
        digest.update(`${f}\0${text}\0`);
        json = JSON.parse(text);
      } catch (err) {
        throw new SchemaError(`schema file ${file} is not valid JSON: ${unquotedParseError((err as Error).message)}`);
      }
      // Keyed by file URL, so relative $refs between sibling files resolve; a schema's own $id
      // is kept as an alias by registering a copy under the file URL.
      const { $id: ownId, ...rest } = json;
      try {
        assertValidSchema(this.ajv, json, PACKAGE_ROOT);
        this.ajv.addSchema({ ...rest, $id: idFor(file) });
        if (typeof ownId === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(ownId) && !this.ajv.getSchema(ownId)) this.ajv.addSchema({ ...rest, $id: ownId });
      } catch (err) {
        throw new SchemaError(`schema file ${file} is not a valid JSON Schema: ${(err as Error).message}`);
      }
    }
    return digest.digest('hex');
  }
}

function allowed(path: string, rules: FileRules): boolean {
  try {
    checkFileAccess(path, dirname(path), rules);
    return true;
  } catch (err) {
    if (err instanceof FileAccessError) return false;
    throw err;
  }
}

/** A JSON Schema a notebook may name: not the notebook format's own, not an OpenAPI description beside them. */
function isSchemaFile(name: string): boolean {
  return name.endsWith('.json') && name !== 'notebook.schema.json' && !name.endsWith('.openapi.json');
}

function idFor(file: string): string {
  return pathToFileURL(file).href;
}

/**
 * One prepared OpenAPI description for a run: its operations, matched by method and path (server
 * base paths honoured, concrete paths before templated ones), their responses by status and
 * content type, a validator per response schema compiled once on first use, and how often each
 * operation answered with each status (the coverage).
 */
import addFormatsModule from 'ajv-formats';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { cacheKey, cachedValidator, portableDigest } from '../cache/compile-cache.js';
import { coverageOf, statusKeyFor, type Coverage } from './coverage.js';
import { forbidOnSide, sideFiles } from './read-write-only.js';
import { prepareSchemas } from './prepare.js';
import { matchOperation, templatePattern, type Match, type MatchOptions } from './match.js';
import { child, refOf, toUrl, type FileSet, type Located } from './resolve.js';
import type { Operation, Parameter, Side } from './operation.js';

export type { Operation, Parameter, Side } from './operation.js';

export type { Match, MatchOptions } from './match.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** OpenAPI's own formats: their ranges come from the 3.0 converter; ajv must not reject the names. */
const OPENAPI_FORMATS = ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password'];


export type ResponseSpec =
  | { kind: 'undocumented' }
  | { kind: 'found'; statusKey: string; response: Located };

export class Description {
  /** In the description's order (coverage lists them so). */
  readonly operations: Operation[] = [];
  /** Concrete paths before templated ones (OpenAPI's rule), then longer templates first. */
  private readonly matchOrder: Operation[];
  /** Every server base path, in the description's order. */
  private readonly bases: string[];
  /** One ajv per side, and per side one that reads text (parameters, headers, form fields) as the schema's types. */
  private readonly ajvs = new Map<string, Ajv2020>();
  private readonly sides = new Map<Side, Array<[string, unknown]>>();
  private readonly validators = new Map<string, ValidateFunction | Error>();
  /** Per side, a hash of the files its ajv holds: what a compile's cache key depends on. */
  private readonly digests = new Map<Side, string>();
  private readonly seen = new Map<Operation, Map<number, number>>();

  /** `spec` is the path shown to people; `file` the file (or http(s) URL) read. */
  constructor(readonly spec: string, readonly files: FileSet, file: string, readonly version: '3.0' | '3.1') {
    const url = toUrl(file);
    const root = files.locate(url, url)!;
    this.collectOperations(root);
    this.bases = [...new Set(this.operations.flatMap((o) => o.bases))];
    this.matchOrder = this.operations.slice().sort((a, b) => a.params - b.params || b.path.length - a.path.length);
    prepareSchemas(files, this.schemaRoots(root), version);
    // Compiled now, so a description whose schemas ajv cannot take fails at load, as before.
    this.ajvFor('response', false);
  }

  /** Made on first use: a run that sends no request bodies never copies the files for the request side. */
  private ajvFor(side: Side, text: boolean): Ajv2020 {
    const key = `${side}${text ? ' text' : ''}`;
    let ajv = this.ajvs.get(key);
    if (ajv) return ajv;
    // `coerceTypes: 'array'`: a query value `7` is the integer 7, and one value is a list of one.
    // Only the first (the response side, made at load) checks schemas against the meta-schema:
    // compiling the 2020-12 meta-schema costs most of a second per instance, and the other sides'
    // schemas are the same ones with shorter `required` lists.
    const first = this.ajvs.size === 0;
    // `code.source`: the generated code is kept, so the compile cache can store it (src/cache).
    ajv = new Ajv2020({ allErrors: true, strict: false, inlineRefs: false, logger: false, validateSchema: first, code: { source: true }, ...(text ? { coerceTypes: 'array' as const } : {}) });
    addFormats(ajv);
    for (const f of OPENAPI_FORMATS) ajv.addFormat(f, true);
    forbidOnSide(ajv, side);
    let files = this.sides.get(side);
    if (!files) this.sides.set(side, (files = sideFiles(this.files, side)));
    for (const [url, value] of files) ajv.addSchema(value as object, url, undefined, false);
    this.ajvs.set(key, ajv);
    return ajv;
  }

  private collectOperations(root: Located): void {
    const rootBases = basePaths(root.value.servers);
    for (const path of Object.keys(root.value.paths ?? {})) {
      const item = this.files.deref(child(root, 'paths', path));
      if (!item || typeof item.value !== 'object') continue;
      const itemBases = item.value.servers ? basePaths(item.value.servers) : rootBases;
      for (const method of METHODS) {
        const op = item.value[method];
        if (!op || typeof op !== 'object') continue;
        const responses = new Map<string, Located>();
        for (const key of Object.keys(op.responses ?? {})) {
          const r = this.files.deref(child(item, method, 'responses', key));
          if (r) responses.set(key.toUpperCase() === 'DEFAULT' ? 'default' : key.toUpperCase(), r);
        }
        const pathParams = new Map<string, Located>();
        const parameters = new Map<string, Parameter>();
        // The path item's parameters, then the operation's, which override them by name.
        for (const [at, list] of [[item, item.value.parameters], [child(item, method), op.parameters]] as const) {
          if (!Array.isArray(list)) continue;
          list.forEach((_p: unknown, i: number) => {
            const param = this.files.deref(child(at, 'parameters', String(i)));
            const p = param && parameterOf(param);
            if (!p) return;
            parameters.set(`${p.in}\0${p.in === 'header' ? p.name.toLowerCase() : p.name}`, p);
            if (p.in === 'path' && p.schema) pathParams.set(p.name, p.schema);
          });
        }
        const requestBody = op.requestBody ? this.files.deref(child(item, method, 'requestBody')) : undefined;
        const m = method.toUpperCase();
        this.operations.push({
          pathParams,
          parameters: [...parameters.values()],
          requestBody,
          method: m,
          path,
          label: `${m} ${path}`,
          documented: [...responses.keys()],
          responses,
          bases: op.servers ? basePaths(op.servers) : itemBases,
          pattern: templatePattern(path),
          spanning: templatePattern(path, true),
          params: (path.match(/\{[^}]+\}/g) ?? []).length,
        });
      }
    }
  }

  /** Every schema a response can be validated against, and the component schemas. */
  private schemaRoots(root: Located): Located[] {
    const roots: Located[] = [];
    for (const op of this.operations) {
      for (const response of op.responses.values()) {
        for (const media of Object.keys(response.value.content ?? {})) roots.push(child(response, 'content', media, 'schema'));
      }
    }
    for (const op of this.operations) {
      for (const p of op.parameters) if (p.schema) roots.push(p.schema);
      for (const media of Object.keys(op.requestBody?.value?.content ?? {})) roots.push(child(op.requestBody!, 'content', media, 'schema'));
      for (const response of op.responses.values()) {
        for (const name of Object.keys(response.value.headers ?? {})) {
          const header = this.files.deref(child(response, 'headers', name));
          if (header?.value?.schema !== undefined) roots.push(child(header, 'schema'));
        }
      }
    }
    for (const name of Object.keys(root.value.components?.schemas ?? {})) roots.push(child(root, 'components', 'schemas', name));
    return roots;
  }

  /**
   * The operation a request answers, or why there is none (match.ts): the request's path relative
   * to the run's base URL, then to each server's base path, then with a trailing parameter that
   * spans segments (unless `strictPaths`).
   */
  match(method: string, url: string, options: MatchOptions = {}): Match {
    return matchOperation(this.matchOrder, this.bases, method, url, options);
  }

  /** The documented response for a status: exact, then `2XX`-style, then `default`. */
  response(op: Operation, status: number): ResponseSpec {
    const key = statusKeyFor(op.documented, status);
    return key === undefined ? { kind: 'undocumented' } : { kind: 'found', statusKey: key, response: op.responses.get(key)! };
  }

  /**
   * Compiled on first use, then reused for the rest of the run; an Error if the schema cannot compile.
   * `side`: whose reading of readOnly/writeOnly applies; `text`: the data is text (a parameter, a
   * header, a form field) read as the schema's types — the validator then converts it in place.
   */
  validator(schema: Located, side: Side = 'response', text = false): ValidateFunction | Error {
    const ref = refOf(schema);
    const key = `${side}${text ? ' text' : ''} ${ref}`;
    let v = this.validators.get(key);
    if (!v) {
      try {
        const ajv = this.ajvFor(side, text);
        const options = `description ${this.version} ${side}${text ? ' text' : ''} allErrors strict:false inlineRefs:false ajv-formats openapi-formats`;
        const cacheAs = cacheKey(options, this.digestOf(side), ref);
        // Added under an id of its own, so the build can pack it with the rest of its side (src/cache/packs.ts).
        v = cachedValidator(cacheAs, () => {
          const id = `urn:api-notebook:validator:${cacheAs}`;
          if (!ajv.getSchema(id)) ajv.addSchema({ $ref: ref }, id);
          return { ajv, validate: ajv.getSchema(id)!, id };
        });
      } catch (err) {
        v = new Error(`the schema at ${ref} does not compile: ${(err as Error).message}`);
      }
      this.validators.set(key, v);
    }
    return v;
  }

  private digestOf(side: Side): string {
    let digest = this.digests.get(side);
    if (digest === undefined) {
      // The files hold absolute URLs: portable, so the build's validators of a shipped description serve it wherever it is installed.
      digest = portableDigest((this.sides.get(side) ?? []).flatMap(([url, value]) => [url, JSON.stringify(value)]));
      this.digests.set(side, digest);
    }
    return digest;
  }

  /** A schema with its `$ref`s followed (to see its type and properties), or undefined. */
  schemaValue(at: Located): any {
    return this.files.deref(at)?.value;
  }

  record(op: Operation, status: number): void {
    let counts = this.seen.get(op);
    if (!counts) this.seen.set(op, (counts = new Map()));
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }

  coverage(): Coverage {
    const operations = this.operations.map((op) => {
      const counts = this.seen.get(op);
      const seen = Object.fromEntries([...(counts ?? new Map<number, number>())].sort(([a], [b]) => a - b).map(([s, n]) => [String(s), n]));
      return { method: op.method, path: op.path, documented: op.documented, seen, exercised: counts !== undefined };
    });
    return coverageOf(this.spec, operations);
  }
}

const LOCATIONS = new Set(['path', 'query', 'header', 'cookie']);
/** Each location's default style (OpenAPI 3 "Style Values"); `explode` defaults to true for `form` only. */
const DEFAULT_STYLE: Record<string, string> = { path: 'simple', query: 'form', header: 'simple', cookie: 'form' };

function parameterOf(param: Located): Parameter | undefined {
  const v = param.value;
  if (!v || typeof v.name !== 'string' || !LOCATIONS.has(v.in)) return undefined;
  const style = typeof v.style === 'string' ? v.style : DEFAULT_STYLE[v.in]!;
  const media = v.content && typeof v.content === 'object' ? Object.keys(v.content)[0] : undefined;
  const schema = v.schema !== undefined ? child(param, 'schema') : media !== undefined && v.content[media]?.schema !== undefined ? child(param, 'content', media, 'schema') : undefined;
  return { name: v.name, in: v.in, required: v.required === true || v.in === 'path', style, explode: typeof v.explode === 'boolean' ? v.explode : style === 'form', schema, media: v.schema === undefined ? media : undefined };
}

/** The path part of each server URL (variables at their defaults), no trailing slash; `''` for none. */
function basePaths(servers: unknown): string[] {
  if (!Array.isArray(servers) || servers.length === 0) return [''];
  const bases = servers.map((s: { url?: string; variables?: Record<string, { default?: string }> }) => {
    const url = String(s?.url ?? '/').replace(/\{([^}]+)\}/g, (_, name: string) => s.variables?.[name]?.default ?? '');
    let pathname: string;
    try {
      pathname = new URL(url, 'http://relative.invalid').pathname;
    } catch {
      pathname = '/';
    }
    return decodeURI(pathname).replace(/\/+$/, '');
  });
  return [...new Set(bases)].sort((a, b) => b.length - a.length);
}

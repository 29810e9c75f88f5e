/**
 * Turns a structurally valid notebook into the typed model: compiles every expression and schema
 * once, and checks what the JSON Schema cannot (expression syntax, names used before anything
 * defines them, schema names that resolve to no file). Problems are collected, never thrown.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  compileBareOrTemplate, compileExpr, compileTemplate, ExprSyntaxError, findPlaceholders, type Expr, type Template,
} from '../expr/index.js';
import { SchemaError, type SchemaRegistry } from '../checks/schemas.js';
import { closest, type Diagnostic } from './diagnostic.js';
import { checkBaseUrl, checkHeaderPattern, checkSchemaName, checkSlashPattern } from './values.js';
import { checkGraphqlExpect, fileBody, graphqlBody, isFileBody, multipartBody, type BodyBuilder } from './bodies.js';
import { fileRulesFor, type FileRules } from '../files/access.js';
import type { Path, SourceMap } from './source.js';
import { buildTls } from './transport-spec.js';
import { openapiLongForm } from '../openapi/notebook-key.js';
import { findNamedDescription, isDescriptionName, shortened } from '../openapi/named.js';
import { nameOffset } from '../expr/positions.js';
import { readNotebookData } from '../data/notebook-data.js';
import { buildUse, type UsedLoader } from './use.js';
import type {
  AuthSpec, BodySpec, ExpectSpec, InputDef, Notebook, Phase, RequestSpec, Step, StepAuth,
} from './types.js';

type Raw = Record<string, any>;

/** Names every step sees while its response is being checked. */
const RESPONSE_NAMES = ['status', 'headers', 'body', 'duration', 'url', 'redirects', 'httpVersion'];
/** Names of the run's HTTP state, readable everywhere (src/run/http-state.ts): the jar's cookies. */
const STATE_NAMES = ['cookies'];

export interface BuildOptions {
  registry: SchemaRegistry;
  /** Names given with --var that the notebook may not declare. */
  extraNames?: string[];
  /** --allow-files DIR: folders outside the notebook's repository that files may come from. */
  allowFiles?: string[];
  /** --openapi FILE was given: it replaces every notebook's `openapi:`, which is then not read at all. */
  openapiOverridden?: boolean;
  /** Loads the notebooks `use:` names (load.ts gives it; without it `use` is refused). */
  loadUsed?: UsedLoader;
}

export function buildNotebook(raw: Raw, source: SourceMap, options: BuildOptions): { notebook: Notebook; diagnostics: Diagnostic[] } {
  return new Builder(raw, source, options).build();
}

class Builder {
  readonly diagnostics: Diagnostic[] = [];
  /** Names defined so far, in notebook order. */
  private readonly defined = new Set<string>();
  /**
   * Names seen only inside a part of a step (the loop item, the response, the step's own
   * captures): a stack, so nothing is added to and deleted from `defined` for every step, which
   * made that set rehash over and over in a notebook of many captures.
   */
  private readonly locals: Array<readonly string[]> = [];

  /** The file rule for uploads and file bodies (src/files/access.ts). */
  readonly rules: FileRules;
  /** `data('…')` files, by name as written, read as the expressions naming them are compiled. */
  private readonly data = new Map<string, unknown>();
  /** The notebook's inputs, then those of used notebooks that no `with:` fills (src/notebook/use.ts). */
  private inputs: InputDef[] = [];

  constructor(private readonly raw: Raw, readonly source: SourceMap, private readonly options: BuildOptions) {
    for (const n of options.extraNames ?? []) this.defined.add(n);
    for (const n of STATE_NAMES) this.defined.add(n);
    this.rules = fileRulesFor(source.file, options.allowFiles);
  }

  build(): { notebook: Notebook; diagnostics: Diagnostic[] } {
    const raw = this.raw;
    const inputs: InputDef[] = this.inputs = Object.entries((raw.inputs ?? {}) as Raw).map(([name, def]) => {
      this.defined.add(name);
      return { name, env: def.env, secret: def.secret === true, default: def.default, prompt: def.prompt, span: this.source.keyAt(['inputs'], name) };
    });
    const vars = Object.entries((raw.vars ?? {}) as Raw).map(([name, value]) => {
      const t = this.template(value, ['vars', name]);
      this.defined.add(name);
      return { name, value: t, span: this.source.keyAt(['vars'], name) };
    });
    // An expression over inputs and vars only (compiled before any step defines a capture): it is
    // rendered, and checked absolute http(s), once they are known (src/cli/prepare.ts).
    const baseUrlTemplate = typeof raw.baseUrl === 'string' && raw.baseUrl.includes('${') ? { value: this.template(raw.baseUrl, ['baseUrl']), span: this.source.at(['baseUrl']) } : undefined;
    const auth = raw.auth ? this.auth(raw.auth, ['auth']) : undefined;
    const defaults = {
      encoding: (raw.defaults?.encoding ?? 'json') as 'form' | 'json',
      headers: raw.defaults?.headers ? this.template(raw.defaults.headers, ['defaults', 'headers']) : undefined,
      timeoutMs: raw.defaults?.timeoutMs as number | undefined,
      cookies: raw.defaults?.cookies as boolean | undefined,
      followRedirects: raw.defaults?.followRedirects as boolean | number | undefined,
      responseType: raw.defaults?.responseType,
      arrayFormat: raw.defaults?.arrayFormat,
      tls: buildTls(raw.defaults?.tls, ['defaults', 'tls'], this.source, (v, p) => this.template(v, p)),
      http2: raw.defaults?.http2 as boolean | undefined,
    };
    // Captures are declared for the whole notebook once a step names them; until set they read as null.
    const steps = ((raw.steps ?? []) as Raw[]).map((s, i) => this.step(s, 'steps', i));
    const teardown = ((raw.teardown ?? []) as Raw[]).map((s, i) => this.step(s, 'teardown', i));
    if (typeof raw.baseUrl === 'string' && !baseUrlTemplate) this.check(checkBaseUrl(raw.baseUrl), ['baseUrl']);
    const notebook: Notebook = {
      file: this.source.file,
      title: raw.title,
      description: raw.description,
      baseUrl: baseUrlTemplate ? undefined : raw.baseUrl,
      ...(baseUrlTemplate ? { baseUrlTemplate } : {}),
      mock: raw.mock,
      // With --openapi the notebook's own file is not read (a copy may not have it); the long
      // form's waivers still apply to the file given instead.
      openapi: typeof raw.openapi === 'string' ? (this.options.openapiOverridden ? undefined : this.openapi(raw.openapi)) : openapiLongForm(this, raw.openapi, this.options.openapiOverridden === true),
      secretCookies: raw.secretCookies as string[] | undefined,
      inputs,
      auth,
      defaults,
      vars,
      steps,
      teardown,
      files: this.rules,
      ...(this.data.size ? { data: this.data } : {}),
    };
    return { notebook, diagnostics: this.diagnostics };
  }

  /** A file relative to the notebook's folder, or an http(s) URL; a missing file is a diagnostic here, a broken one when it is read. */
  openapi(path: string, at: Path = ['openapi']): Notebook['openapi'] {
    const span = this.source.at(at);
    if (/^https?:\/\//i.test(path)) return { file: path, span };
    if (isDescriptionName(path)) {
      const found = findNamedDescription(path, dirname(this.source.file), this.options.registry);
      if ('file' in found) return { file: found.file, span };
      this.diagnostics.push({ ...found.problem, span });
      return { file: path, span };
    }
    const file = resolve(dirname(this.source.file), path);
    if (!existsSync(file)) this.diagnostics.push({ message: `OpenAPI description not found: ${shortened(path)}`, span, hint: `looked for ${shortened(file, 200)}; the path is relative to the notebook; a description shipped with api-notebook or kept in a schemas/ folder is named without a path (\`openapi: stripe-2015-07-28\`)` });
    return { file, span };
  }

  private step(s: Raw, phase: Phase, index: number): Step {
    const at: Path = [phase, index];
    const as = (s.as as string | undefined) ?? 'item';
    const local = new Set<string>();
    const forEach = s.forEach !== undefined ? this.loopSource(s.forEach, [...at, 'forEach']) : undefined;
    if (s.forEach !== undefined) local.add(as);
    else if (s.as !== undefined) this.report({ message: '`as` names the loop item, but this step has no `forEach`', span: this.source.keyAt(at, 'as'), hint: 'add `forEach: "${list}"` or remove `as`' });
    // A step's own captures are visible to its later iterations (paging with `repeat`), as null at first.
    const ownCaptures = Object.keys((s.capture ?? {}) as Raw);
    ownCaptures.forEach((n) => local.add(n));

    const withLocal = <T>(names: readonly string[], fn: () => T): T => {
      this.locals.push(names);
      try {
        return fn();
      } finally {
        this.locals.pop();
      }
    };

    const built = withLocal([...local], (): Step => {
      const when = s.if !== undefined ? this.condition(s.if, [...at, 'if']) : undefined;
      const base = {
        name: (s.name ?? s.use) as string,
        doc: s.doc as string | undefined,
        phase,
        index,
        span: this.source.at(at),
        as,
        when,
        forEach,
        continueOnFailure: s.continueOnFailure === true,
        retries: s.retries as number | undefined,
        retryDelayMs: s.retryDelayMs as number | undefined,
        ...withLocal(RESPONSE_NAMES, () => ({
          expect: this.expect(s.expect ?? {}, [...at, 'expect']),
          captures: Object.entries((s.capture ?? {}) as Raw).map(([name, src]) => ({
            name,
            expr: this.bare(src, [...at, 'capture', name]),
            span: this.source.keyAt([...at, 'capture'], name),
          })),
          asserts: (Array.isArray(s.assert) ? s.assert : []).map((src: unknown, k: number) => ({ expr: this.bare(src, [...at, 'assert', k]), span: this.source.at([...at, 'assert', k]) })),
          repeat: s.repeat ? { until: this.bare(s.repeat.until, [...at, 'repeat', 'until']), max: s.repeat.max ?? 100, span: this.source.at([...at, 'repeat']), intervalMs: s.repeat.intervalMs, backoff: s.repeat.backoff, maxMs: s.repeat.maxMs } : undefined,
        })),
      };
      if (s.use !== undefined) {
        const { spec, title } = buildUse(this, s, at, this.options.loadUsed, this.inputs);
        ownCaptures.push(...spec.captures);
        return { kind: 'use' as const, ...base, name: (s.name as string | undefined) ?? title ?? spec.written, use: spec };
      }
      if (s.request === undefined) {
        if (s.expect) this.report({ message: '`expect` checks a response, but this step sends no request', span: this.source.keyAt(at, 'expect'), hint: 'add `request:`, or use `assert:` to check values' });
        return { kind: 'compute' as const, ...base };
      }
      const request = this.request(s.request, [...at, 'request']);
      checkGraphqlExpect(this, s, request, at);
      return { kind: 'http' as const, ...base, request, auth: this.stepAuth(s.auth, [...at, 'auth']), ...(s.openapi === false ? { openapi: false as const } : {}) };
    });
    // Once a step names a capture, every later step (and teardown) may use it; it reads as null until set.
    ownCaptures.forEach((n) => this.defined.add(n));
    return built;
  }

  private request(r: Raw | string, at: Path): RequestSpec {
    if (typeof r === 'string') {
      // The target is the rest of the line: a `${…}` in it may hold spaces (`GET /items/${n + 1}`).
      const [method = ''] = r.trim().split(/\s+/, 1);
      const target = r.trim().slice(method.length).trim();
      const absolute = /^https?:\/\//i.test(target);
      // Positions inside the target are offsets in the whole string `GET /x/${…}`.
      const base = r.indexOf(target, r.indexOf(method) + method.length);
      return { method: method.toUpperCase(), target: { kind: absolute ? 'url' : 'path', value: this.template(target, at, base) }, body: { kind: 'none' }, span: this.source.at(at) };
    }
    const bodyKeys = ['form', 'json', 'body', 'multipart', 'graphql'].filter((k) => r[k] !== undefined);
    if (bodyKeys.length > 1) this.report({ message: `a request has one body; this one has ${bodyKeys.map((k) => `\`${k}\``).join(' and ')}`, span: this.source.keyAt(at, bodyKeys[1]), hint: 'keep one of form, json, body, multipart or graphql' });
    let body: BodySpec = { kind: 'none' };
    const bodies: BodyBuilder = this;
    if (r.form !== undefined) body = { kind: 'form', value: this.template(r.form, [...at, 'form']) };
    else if (r.json !== undefined) body = { kind: 'json', value: this.template(r.json, [...at, 'json']) };
    else if (r.multipart !== undefined) body = multipartBody(bodies, r.multipart, [...at, 'multipart']);
    else if (r.graphql !== undefined) body = graphqlBody(bodies, r.graphql, [...at, 'graphql']);
    else if (isFileBody(r.body)) body = fileBody(bodies, r.body, [...at, 'body']);
    else if (r.body !== undefined) body = { kind: 'raw', value: this.template(r.body, [...at, 'body']) };
    const targetKey = r.url !== undefined ? 'url' : 'path';
    return {
      // A GraphQL request without a method is the standard POST.
      method: r.method === undefined && r.graphql !== undefined ? 'POST' : String(r.method).toUpperCase(),
      target: { kind: targetKey, value: this.template(r[targetKey] ?? '', [...at, targetKey]) },
      query: r.query ? this.template(r.query, [...at, 'query']) : undefined,
      headers: r.headers ? this.template(r.headers, [...at, 'headers']) : undefined,
      body,
      timeoutMs: r.timeoutMs,
      cookies: r.cookies,
      followRedirects: r.followRedirects,
      responseType: r.responseType,
      arrayFormat: r.arrayFormat,
      tls: buildTls(r.tls, [...at, 'tls'], this.source, (v, p) => this.template(v, p)),
      http2: r.http2,
      span: this.source.at(at),
    };
  }

  private expect(e: Raw, at: Path): ExpectSpec {
    const spec: ExpectSpec = { headers: [] };
    if (e.status !== undefined) spec.status = { value: [e.status].flat() as number[], span: this.source.at([...at, 'status']) };
    for (const [name, value] of Object.entries((e.headers ?? {}) as Raw)) {
      if (typeof value === 'string') this.check(checkHeaderPattern(value), [...at, 'headers', name]);
      spec.headers.push({ name: name.toLowerCase(), expected: this.template(value, [...at, 'headers', name]), span: this.source.keyAt([...at, 'headers'], name) });
    }
    for (const [name, value] of Object.entries((e.cookies ?? {}) as Raw)) {
      if (typeof value === 'string') this.check(checkHeaderPattern(value), [...at, 'cookies', name]);
      (spec.cookies ??= []).push({ name, expected: this.template(value, [...at, 'cookies', name]), span: this.source.keyAt([...at, 'cookies'], name) });
    }
    if (e.body !== undefined) spec.body = { value: this.template(e.body, [...at, 'body']), span: this.source.at([...at, 'body']) };
    if (e.body !== undefined) this.slashPatterns(e.body, [...at, 'body']);
    if (typeof e.text === 'string') {
      this.check(checkSlashPattern(e.text), [...at, 'text']);
      spec.text = { value: this.template(e.text, [...at, 'text']), span: this.source.at([...at, 'text']) };
    }
    if (typeof e.maxDurationMs === 'number') spec.maxDurationMs = { value: e.maxDurationMs, span: this.source.at([...at, 'maxDurationMs']) };
    if (e.graphqlErrors !== undefined) spec.graphqlErrors = { value: e.graphqlErrors === true, span: this.source.at([...at, 'graphqlErrors']) };
    if (e.schema !== undefined) {
      const span = this.source.at([...at, 'schema']);
      const badName = typeof e.schema === 'string' ? checkSchemaName(e.schema) : undefined;
      if (badName) this.report({ ...badName, span });
      else try {
        const validate = typeof e.schema === 'string'
          ? this.options.registry.named(e.schema, dirname(this.source.file))
          : this.options.registry.compileInline(e.schema);
        spec.schema = { value: { label: typeof e.schema === 'string' ? e.schema : 'inline', validate }, span };
      } catch (err) {
        if (!(err instanceof SchemaError)) throw err;
        this.report({ message: err.message, span, hint: err.hint });
      }
    }
    return spec;
  }

  /** Every `/…/` text in an expected body is a pattern: each must compile now. */
  private slashPatterns(v: unknown, at: Path): void {
    if (typeof v === 'string') this.check(checkSlashPattern(v), at);
    else if (Array.isArray(v)) v.forEach((x, i) => this.slashPatterns(x, [...at, i]));
    else if (v !== null && typeof v === 'object') Object.entries(v).forEach(([k, x]) => this.slashPatterns(x, [...at, k]));
  }

  private auth(a: Raw, at: Path): AuthSpec {
    if (a.basic) return { kind: 'basic', username: this.template(a.basic.username, [...at, 'basic', 'username']), password: this.template(a.basic.password ?? '', [...at, 'basic', 'password']) };
    if (a.bearer !== undefined) return { kind: 'bearer', token: this.template(a.bearer, [...at, 'bearer']) };
    const o = a.oauth2;
    return {
      kind: 'oauth2',
      tokenUrl: this.template(o.tokenUrl, [...at, 'oauth2', 'tokenUrl']),
      clientId: this.template(o.clientId, [...at, 'oauth2', 'clientId']),
      clientSecret: this.template(o.clientSecret, [...at, 'oauth2', 'clientSecret']),
      scopes: o.scopes ?? [],
    };
  }

  private stepAuth(a: unknown, at: Path): StepAuth {
    if (a === undefined) return 'inherit';
    if (a === 'none') return 'none';
    return this.auth(a as Raw, at);
  }

  /** `if`: a boolean, a bare expression, or one `${…}`. */
  private condition(v: unknown, at: Path) {
    const span = this.source.at(at);
    if (typeof v === 'boolean') return { value: compileExpr(String(v)), span };
    return { value: this.bare(String(v), at, true), span };
  }

  /** `forEach`: a literal list (may hold `${…}`), a bare expression, or one `${…}`. */
  private loopSource(v: unknown, at: Path) {
    const span = this.source.at(at);
    if (Array.isArray(v)) return { value: this.template(v, at), span };
    return { value: this.bare(String(v), at, true), span };
  }

  private bare(value: unknown, at: Path, allowTemplate = false): Expr {
    // Anything but text was already reported by the structure check; never compile `[object Object]`.
    if (typeof value !== 'string') return compileExpr('null');
    const text = value;
    try {
      const expr = allowTemplate ? compileBareOrTemplate(text) : compileExpr(text);
      // The names are searched in the expression only, not in the `${` around it.
      const hole = allowTemplate ? bareOrTemplateSource(text) : { source: text, start: 0 };
      this.checkNames(expr.names, at, hole.source, hole.start);
      this.readData(expr.dataFiles, at);
      return expr;
    } catch (err) {
      if (!(err instanceof ExprSyntaxError)) throw err;
      const hint = err.hint ?? (!allowTemplate && text.includes('${') ? 'here the expression is written bare, without `${…}`' : undefined);
      this.report({ message: `invalid expression: ${err.message}`, span: this.source.inString(at, err.index), hint });
      return compileExpr('null');
    }
  }

  /**
   * Compiles a value's templates; problems are reported at the string leaf that holds them.
   * `base`: where a root string starts inside its YAML scalar (the target of `GET /path`).
   */
  template(v: unknown, at: Path, base = 0): Template {
    let ok = true;
    const visit = (x: unknown, path: Path): void => {
      if (typeof x === 'string') {
        const shift = path === at ? base : 0;
        try {
          const t = compileTemplate(x);
          // Each name is searched in its own `${…}`, not in the text around it (`planid: ${planid}`).
          const holes = t.exprs.length ? findPlaceholders(x) : [];
          t.exprs.forEach((e, k) => this.checkNames(e.names, path, holes[k]?.source ?? x, shift + (holes[k] ? holes[k].start + 2 : 0)));
          t.exprs.forEach((e) => this.readData(e.dataFiles, path));
        } catch (err) {
          if (!(err instanceof ExprSyntaxError)) throw err;
          ok = false;
          this.report({ message: `invalid expression: ${err.message}`, span: this.source.inString(path, shift + err.index), hint: err.hint ?? templateHint(x, err.index) });
        }
      } else if (Array.isArray(x)) x.forEach((item, i) => visit(item, [...path, i]));
      else if (x !== null && typeof x === 'object') Object.entries(x).forEach(([k, item]) => visit(item, [...path, k]));
    };
    visit(v, at);
    return ok ? compileTemplate(v) : compileTemplate(null);
  }

  private checkNames(names: readonly string[], at: Path, text?: string, shift = 0): void {
    for (const name of names) {
      if (this.isDefined(name) || name === 'undefined') continue;
      // A name, not a property of the same spelling nor a word inside quotes (src/expr/positions.ts).
      const found = text ? nameOffset(text, name) : -1;
      const offset = found >= 0 ? found + shift : -1;
      const guess = closest(name, this.knownNames());
      const laterCapture = this.capturedLater(name);
      this.report({
        message: `\`${name}\` is used before anything defines it`,
        span: offset >= 0 ? { ...this.source.inString(at, offset), length: name.length } : this.source.at(at),
        hint: laterCapture ? `\`${name}\` is captured by a later step ("${laterCapture}"); move this use after it`
          : guess ? `did you mean \`${guess}\`?` : 'define it under `vars:` or `inputs:`, capture it in an earlier step, or pass --var name=value',
      });
    }
  }

  private readData(names: readonly string[], at: Path): void {
    for (const name of names) {
      const problem = readNotebookData(name, this.source.file, this.rules, this.source.at(at), this.data);
      if (problem) this.report(problem);
    }
  }

  private usedCapturesUnknown = false;

  capturesUnknown(): void {
    this.usedCapturesUnknown = true;
  }

  private isDefined(name: string): boolean {
    return this.usedCapturesUnknown || this.defined.has(name) || this.locals.some((names) => names.includes(name));
  }

  /** Every name in scope, in the order they were defined (for "did you mean"). */
  private knownNames(): Set<string> {
    const all = new Set(this.defined);
    for (const names of this.locals) for (const n of names) all.add(n);
    return all;
  }

  private capturedLater(name: string): string | undefined {
    for (const s of [...((this.raw.steps ?? []) as Raw[]), ...((this.raw.teardown ?? []) as Raw[])]) {
      if (s.capture && Object.hasOwn(s.capture, name)) return s.name;
    }
    return undefined;
  }

  report(d: Diagnostic): void {
    this.diagnostics.push(d);
  }

  /** Reports a value check's problem (see values.ts) at the value. */
  private check(problem: Omit<Diagnostic, 'span'> | undefined, at: Path): void {
    if (problem) this.report({ ...problem, span: this.source.at(at) });
  }
}

/** A hint for a broken `${…}`: an unclosed one is the usual case. */
function templateHint(text: string, index: number): string | undefined {
  if (text.startsWith('${', index)) {
    try {
      findPlaceholders(text.slice(index));
    } catch {
      return 'close it with `}`';
    }
  }
  return undefined;
}

/** The expression inside a bare-or-`${…}` value (as compileBareOrTemplate reads it), and where it starts. */
function bareOrTemplateSource(text: string): { source: string; start: number } {
  const trimmed = text.trim();
  if (trimmed.startsWith('${') && trimmed.endsWith('}')) {
    const holes = findPlaceholders(trimmed);
    if (holes.length === 1 && holes[0].end === trimmed.length) return { source: holes[0].source, start: text.indexOf('${') + 2 };
  }
  return { source: text, start: 0 };
}

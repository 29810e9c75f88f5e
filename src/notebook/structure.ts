/**
 * Structural check of a parsed notebook against schemas/notebook.schema.json, turning ajv's
 * errors into positioned diagnostics with hints. oneOf branches make ajv report every branch's
 * complaint; only the ones that explain the value as written are kept.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { PACKAGE_ROOT } from '../checks/schemas.js';
import { closest, type Diagnostic } from './diagnostic.js';
import { LIMITS } from './limits.js';
import { twoAuthForms } from './auth-forms.js';
import type { Path, SourceMap } from './source.js';

export const NOTEBOOK_SCHEMA_FILE = join(PACKAGE_ROOT, 'schemas', 'notebook.schema.json');

const PRECOMPILED = join(PACKAGE_ROOT, 'dist', 'notebook', 'notebook-schema.validator.cjs');
type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
let compiled: Validator | undefined;

/** The build's precompiled validator when it matches the schema on disk; else compiled now. */
function notebookValidator(): Validator {
  if (compiled) return compiled;
  const text = readFileSync(NOTEBOOK_SCHEMA_FILE, 'utf8');
  try {
    const built = createRequire(import.meta.url)(PRECOMPILED) as Validator & { default?: Validator; schemaHash?: string };
    if (built.schemaHash === createHash('sha256').update(text).digest('hex')) compiled = built.default ?? built;
  } catch {
    // Not built (running from source before `npm run build`): compile below.
  }
  compiled ??= new Ajv2020({ allErrors: true, strict: false, verbose: true }).compile(JSON.parse(text)) as Validator;
  return compiled;
}

const WHERE: Record<string, string> = {
  '': 'at the top of the notebook',
  steps: 'in a step',
  teardown: 'in a teardown step',
  request: 'in a request',
  expect: 'in expect',
  inputs: 'in an input',
  defaults: 'in defaults',
  repeat: 'in repeat',
};

function pathOf(e: ErrorObject): Path {
  return e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function describeWhere(path: Path): string {
  const last = [...path].reverse().find((p) => typeof p === 'string') as string | undefined;
  if (path.length === 2 && (path[0] === 'steps' || path[0] === 'teardown')) return WHERE[path[0]];
  if (path[0] === 'inputs' && path.length === 2) return WHERE.inputs;
  return WHERE[last ?? ''] ?? `in \`${last}\``;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v}`;
}

/** `tally.total` (when given) receives how many problems there are, beyond those worded. */
export function checkStructure(data: unknown, source: SourceMap, tally?: { total: number }): Diagnostic[] {
  const validate = notebookValidator();
  if (validate(data)) return [];
  const kept = explainingErrors(validate.errors ?? []);
  // Counted only when some are left unworded: below that, the deduplicated list is the count.
  if (tally && kept.length > LIMITS.diagnostics * 2) tally.total += kept.length;
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  // Only what can be shown is worded and located (a file of 26,000 unknown keys must not cost
  // 26,000 lookups); the loader lists LIMITS.diagnostics and counts the rest.
  for (const e of kept.slice(0, LIMITS.diagnostics * 2)) {
    const d = toDiagnostic(e, kept, source);
    const key = `${d.span.line}:${d.span.col}:${d.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  }
  return out.sort((a, b) => a.span.line - b.span.line || a.span.col - b.span.col);
}

/**
 * ajv reports the complaints of every branch of a oneOf/anyOf. Keep only the branch that fits the
 * value best: a branch wanting another type fits worst, one missing its defining key or seeing a
 * key it does not know fits badly, deeper complaints (a wrong value inside) fit best.
 */
function explainingErrors(errors: ErrorObject[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  for (const alt of errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')) {
    const prefix = `${alt.schemaPath}/`;
    const branches = new Map<string, ErrorObject[]>();
    const within = (e: ErrorObject) => e.instancePath === alt.instancePath || e.instancePath.startsWith(`${alt.instancePath}/`);
    for (const e of errors) {
      if (!e.schemaPath.startsWith(prefix) || !within(e)) continue;
      const branch = e.schemaPath.slice(prefix.length).split('/')[0];
      branches.set(branch, [...(branches.get(branch) ?? []), e]);
    }
    const score = (list: ErrorObject[]) =>
      list.reduce((sum, e) => {
        const atValue = e.instancePath === alt.instancePath;
        if (atValue && (e.keyword === 'type' || e.keyword === 'const')) return sum + 100;
        if (atValue && (e.keyword === 'required' || e.keyword === 'additionalProperties' || e.keyword === 'pattern')) return sum + 10;
        return sum + 1;
      }, 0);
    // A complaint inside the value reached through a $ref has a schemaPath outside this oneOf:
    // it comes from the branch that accepted the value's type, so type-only branches are moot.
    const deeperElsewhere = errors.some((e) => e !== alt && within(e) && e.instancePath !== alt.instancePath && !e.schemaPath.startsWith(prefix) && !dropped.has(e));
    if (deeperElsewhere) {
      for (const list of branches.values()) if (score(list) >= 100) list.forEach((e) => dropped.add(e));
      dropped.add(alt);
      continue;
    }
    const scored = [...branches.values()].map((list) => ({ list, score: score(list) }));
    const best = Math.min(...scored.map((b) => b.score));
    const allWrongType = scored.length > 0 && best >= 100;
    const tied = scored.filter((b) => b.score === best);
    if (!allWrongType && best >= 10 && tied.length > 1) {
      // No branch fits: say so once, with a guess at the key that was meant.
      const unknown = tied.flatMap((b) => b.list).filter((e) => e.keyword === 'additionalProperties').map((e) => (e.params as { additionalProperty: string }).additionalProperty);
      const candidates = tied.flatMap((b) => b.list).filter((e) => e.keyword === 'required').map((e) => (e.params as { missingProperty: string }).missingProperty);
      const guess = unknown.map((u) => closest(u, candidates)).find(Boolean);
      (alt as ErrorObject & { guess?: string }).guess = guess;
      scored.flatMap((b) => b.list).forEach((e) => dropped.add(e));
      continue;
    }
    for (const b of scored) if (b.score > best && !allWrongType) b.list.forEach((e) => dropped.add(e));
    // When every branch wanted another type, the merged type error says it all.
    if (allWrongType) scored.flatMap((b) => b.list).filter((e) => e.keyword !== 'type').forEach((e) => dropped.add(e));
    if (branches.size > 0 || errors.some((e) => e !== alt && e.instancePath.startsWith(alt.instancePath) && !dropped.has(e))) dropped.add(alt);
  }
  // An `if`/`then` failure is explained by the `then` error itself (a missing key): not twice.
  for (const e of errors) if (e.keyword === 'if') dropped.add(e);
  // A bad property name is reported once, by its propertyNames error, not again by the pattern.
  const badNames = new Set(errors.filter((e) => e.keyword === 'propertyNames').map((e) => e.instancePath));
  return errors.filter((e) => !dropped.has(e) && !(e.propertyName !== undefined && badNames.has(e.instancePath)));
}

function toDiagnostic(e: ErrorObject, kept: ErrorObject[], source: SourceMap): Diagnostic {
  const path = pathOf(e);
  const where = describeWhere(path);
  switch (e.keyword) {
    case 'additionalProperty':
    case 'additionalProperties': {
      // A step's `auth` with two forms fails each form's branch on the other's key: name both.
      const twoForms = twoAuthForms(path, e.data, source);
      if (twoForms) return twoForms;
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
      const guess = closest(key, allowed);
      return {
        message: `unknown key \`${key}\` ${where}`,
        span: source.keyAt(path, key),
        hint: guess ? `did you mean \`${guess}\`?` : allowed.length ? `the keys here are: ${allowed.join(', ')}` : undefined,
      };
    }
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      if (e.schemaPath.includes('/oneOf/') && (missing === 'path' || missing === 'url')) {
        return { message: `a request needs exactly one of \`path\` or \`url\``, span: source.at(path), hint: '`path` joins the base URL; `url` is absolute' };
      }
      return { message: `missing required key \`${missing}\` ${where}`, span: source.at(path), hint: missingHint(missing) };
    }
    case 'type': {
      const same = kept.filter((o) => o.keyword === 'type' && o.instancePath === e.instancePath);
      const wanted = [...new Set(same.flatMap((o) => [o.params.type].flat() as string[]))];
      return { message: `${label(path)} must be ${wanted.join(' or ')}, not ${typeName(e.data)}`, span: source.at(path) };
    }
    case 'enum':
      return {
        message: `\`${String(path.at(-1))}\` must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`,
        span: source.at(path),
        hint: typeof e.data === 'string' ? suggest(e.data, (e.params as { allowedValues: string[] }).allowedValues) : undefined,
      };
    case 'pattern':
      return { message: `\`${String(path.at(-1))}\` has an invalid value ${JSON.stringify(e.data)}`, span: source.at(path), hint: patternHint(path) };
    case 'propertyNames': {
      const name = (e.params as { propertyName?: string }).propertyName;
      return { message: `invalid name ${name === undefined ? '' : `\`${name}\` `}${where}`, span: name === undefined ? source.at(path) : source.keyAt(path, name), hint: 'names are letters, digits and _, not starting with a digit' };
    }
    case 'not':
      if (path.at(-1) === 'request') return { message: 'a request needs exactly one of `path` or `url`', span: source.at(path), hint: '`path` joins the base URL; `url` is absolute' };
      return { message: `\`${String(path.at(-1))}\` has a combination of keys that is not allowed`, span: source.at(path) };
    case 'oneOf':
    case 'anyOf':
      const twoForms = twoAuthForms(path, e.data, source);
      if (twoForms) return twoForms;
      const guess = (e as ErrorObject & { guess?: string }).guess;
      return { message: `${label(path)} does not match any accepted form`, span: source.at(path), hint: guess ? `did you mean \`${guess}\`? ${formHint(path) ?? ''}`.trim() : formHint(path) };
    default:
      return { message: `\`${String(path.at(-1) ?? 'notebook')}\` ${e.message ?? 'is invalid'}`, span: source.at(path) };
  }
}

/** `status`, or `item 2 of status` for a list element. */
function label(path: Path): string {
  const last = path.at(-1);
  if (typeof last === 'number') return `item ${last + 1} of \`${String(path.at(-2))}\``;
  return `\`${String(last ?? 'notebook')}\``;
}

function suggest(word: string, options: string[]): string | undefined {
  const guess = closest(word, options);
  return guess ? `did you mean \`${guess}\`?` : undefined;
}

function missingHint(key: string): string | undefined {
  if (key === 'steps') return 'add `steps:` with a list of steps, each with a `name`';
  if (key === 'title') return 'add `title: <what this notebook shows>` at the top';
  if (key === 'name') return 'every step needs `name:`, shown in every report';
  if (key === 'method') return 'e.g. `method: GET`, or the shorthand `request: GET /path`';
  if (key === 'until') return '`repeat: { until: "body.has_more == false", max: 50 }`';
  return undefined;
}

function patternHint(path: Path): string | undefined {
  const last = path.at(-1);
  if (last === 'request') return 'the shorthand is `METHOD /path`, e.g. `GET /v1/account`';
  if (last === 'method') return 'one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS';
  if (last === 'as') return 'a name: letters, digits and _';
  return undefined;
}

function formHint(path: Path): string | undefined {
  const last = path.at(-1);
  if (last === 'auth') return 'the forms are `{ basic: { username, password } }`, `{ bearer: token }`, `{ oauth2: { tokenUrl, clientId, clientSecret, scopes } }` or (in a step) `none`';
  if (last === 'status') return 'a status code such as 200, or a list such as [200, 404]';
  if (last === 'request') return 'an object with `method` and `path` (or `url`), or the shorthand `GET /path`';
  return undefined;
}

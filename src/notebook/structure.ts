/**
 * Structural check of a parsed notebook against schemas/notebook.schema.json, turning ajv's
 * errors into positioned diagnostics with hints. oneOf branches make ajv report every branch's
 * complaint; only the ones that explain the value as written are kept.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { PACKAGE_ROOT } from '../checks/schemas.js';
import { closest, type Diagnostic } from './diagnostic.js';
import type { Path, SourceMap } from './source.js';

export const NOTEBOOK_SCHEMA_FILE = join(PACKAGE_ROOT, 'schemas', 'notebook.schema.json');

let compiled: ReturnType<Ajv2020['compile']> | undefined;
function notebookValidator() {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true });
    compiled = ajv.compile(JSON.parse(readFileSync(NOTEBOOK_SCHEMA_FILE, 'utf8')));
  }
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

export function checkStructure(data: unknown, source: SourceMap): Diagnostic[] {
  const validate = notebookValidator();
  if (validate(data)) return [];
  const errors = validate.errors ?? [];
  const kept = errors.filter((e) => !isNoise(e, errors));
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of kept) {
    const d = toDiagnostic(e, kept, source);
    const key = `${d.span.line}:${d.span.col}:${d.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  }
  return out.sort((a, b) => a.span.line - b.span.line || a.span.col - b.span.col);
}

/** An error is noise when a more specific error explains the same value. */
function isNoise(e: ErrorObject, all: ErrorObject[]): boolean {
  const deeperOrSame = (o: ErrorObject) => o !== e && (o.instancePath === e.instancePath || o.instancePath.startsWith(e.instancePath + '/'));
  if (e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'not') {
    return all.some((o) => deeperOrSame(o) && o.keyword !== 'oneOf' && o.keyword !== 'anyOf');
  }
  // A branch that wanted another type is noise when another branch accepted the type and found a deeper problem.
  if (e.keyword === 'type' || e.keyword === 'const' || e.keyword === 'pattern') {
    return all.some((o) => deeperOrSame(o) && !['type', 'const', 'oneOf', 'anyOf', 'pattern', 'not', 'required'].includes(o.keyword) && !o.schemaPath.startsWith(e.schemaPath.replace(/\/[^/]+$/, '')));
  }
  if (e.keyword === 'required' && e.schemaPath.includes('/oneOf/')) {
    // path|url exclusivity, or the auth variants: report once, below.
    return all.some((o) => o !== e && o.instancePath === e.instancePath && o.keyword === 'additionalProperties');
  }
  return false;
}

function toDiagnostic(e: ErrorObject, kept: ErrorObject[], source: SourceMap): Diagnostic {
  const path = pathOf(e);
  const where = describeWhere(path);
  switch (e.keyword) {
    case 'additionalProperty':
    case 'additionalProperties': {
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
      return { message: `\`${String(path.at(-1) ?? 'notebook')}\` must be ${wanted.join(' or ')}, not ${typeName(e.data)}`, span: source.at(path) };
    }
    case 'enum':
      return {
        message: `\`${String(path.at(-1))}\` must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`,
        span: source.at(path),
        hint: typeof e.data === 'string' ? suggest(e.data, (e.params as { allowedValues: string[] }).allowedValues) : undefined,
      };
    case 'pattern':
      return { message: `\`${String(path.at(-1))}\` has an invalid value ${JSON.stringify(e.data)}`, span: source.at(path), hint: patternHint(path) };
    case 'propertyNames':
      return { message: `invalid name ${where}`, span: source.at(path), hint: 'names are letters, digits and _, not starting with a digit' };
    case 'oneOf':
    case 'anyOf':
      return { message: `\`${String(path.at(-1) ?? 'value')}\` does not match any accepted form`, span: source.at(path), hint: formHint(path) };
    default:
      return { message: `\`${String(path.at(-1) ?? 'notebook')}\` ${e.message ?? 'is invalid'}`, span: source.at(path) };
  }
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
  if (last === 'auth') return 'one of `{ basic: { username, password } }`, `{ bearer: token }`, `{ oauth2: { tokenUrl, clientId, clientSecret, scopes } }` or (in a step) `none`';
  if (last === 'status') return 'a status code such as 200, or a list such as [200, 404]';
  if (last === 'request') return 'an object with `method` and `path` (or `url`), or the shorthand `GET /path`';
  return undefined;
}

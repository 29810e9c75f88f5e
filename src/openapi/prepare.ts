/**
 * Turns the schemas of an OpenAPI description (every file it references) into JSON Schema 2020-12
 * that ajv validates responses with, in place, before the files are registered with ajv:
 *
 * - 3.0: each Schema Object goes through @openapi-contrib/openapi-schema-to-json-schema (nullable,
 *   format ranges, 3.0-only keywords), then its boolean exclusiveMinimum/Maximum become 2020-12's.
 * - 3.0 and 3.1: `readOnly`/`writeOnly` are kept (read-write-only.ts gives each side its reading),
 *   and a `discriminator` picks the one subschema its property names, so the errors are that
 *   subschema's instead of a `oneOf` listing every branch.
 * - every `$ref` and `$id` becomes absolute, so ajv resolves them the same way wherever a schema
 *   is reached from (ajv loses the base of a `$ref` followed from another file otherwise).
 */
import { fromSchema } from '@openapi-contrib/openapi-schema-to-json-schema';
import type { Located } from './resolve.js';
import { FileSet } from './resolve.js';

type Obj = Record<string, any>;

/** Keywords whose value is one subschema, a list of them, or a map of them (2020-12 and 3.0). */
const ONE = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties', 'additionalItems'];
const LIST = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const MAP = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
/** Values that are data, never schemas: a `$ref` key inside them is not a reference. */
const DATA = new Set(['enum', 'const', 'example', 'examples', 'default', 'x-examples']);

export function prepareSchemas(files: FileSet, roots: Located[], version: '3.0' | '3.1'): void {
  const done = new WeakSet<object>();
  const queue = [...roots];
  while (queue.length) {
    const at = queue.pop()!;
    if (!isObj(at.value) || done.has(at.value)) continue;
    done.add(at.value);
    const refs: string[] = [];
    const converted = version === '3.0' ? convert30(at.value, refs) : convert31(at.value, refs);
    if (converted !== at.value) replaceContents(at.value, converted);
    for (const ref of refs) {
      const target = files.locate(ref, at.url);
      if (target) queue.push(target);
    }
  }
  for (const [url, value] of files.entries()) absolutize(value, url);
}

function convert30(schema: Obj, refs: string[]): Obj {
  const out = fromSchema(schema, {
    cloneSchema: true,
    // Kept: which side may send them is read-write-only.ts's to say.
    keepNotSupported: ['readOnly', 'writeOnly'],
    beforeTransform: (node: any) => {
      if (typeof node.$ref === 'string') refs.push(node.$ref);
      pickByDiscriminator(node, refs);
      return node;
    },
    afterTransform: (node: any) => {
      exclusiveBound(node, 'exclusiveMinimum', 'minimum');
      exclusiveBound(node, 'exclusiveMaximum', 'maximum');
      return node;
    },
  }) as Obj;
  delete out.$schema;
  return out;
}

/** 3.0's `exclusiveMinimum: true` next to `minimum: 5` is 2020-12's `exclusiveMinimum: 5`. */
function exclusiveBound(node: Obj, exclusive: string, bound: string): void {
  if (typeof node[exclusive] !== 'boolean') return;
  if (node[exclusive] && typeof node[bound] === 'number') {
    node[exclusive] = node[bound];
    delete node[bound];
  } else {
    delete node[exclusive];
  }
}

/** 3.1 is JSON Schema already: only a discriminator needs reading. */
function convert31(schema: Obj, refs: string[]): Obj {
  walkSchema(schema, (node) => {
    if (typeof node.$ref === 'string') refs.push(node.$ref);
    pickByDiscriminator(node, refs);
  });
  return schema;
}

function walkSchema(node: unknown, visit: (n: Obj) => void): void {
  if (!isObj(node)) return;
  visit(node);
  for (const k of ONE) walkSchema(node[k], visit);
  for (const k of LIST) if (Array.isArray(node[k])) for (const s of node[k]) walkSchema(s, visit);
  for (const k of MAP) if (isObj(node[k])) for (const s of Object.values(node[k])) walkSchema(s, visit);
}

/**
 * `oneOf`/`anyOf` + `discriminator` → the property must hold one of the known values, and the
 * value selects its subschema (`mapping`, else the last segment of each branch's `$ref`).
 * Branches without a `$ref` cannot be named, so such a schema is left as it is.
 */
function pickByDiscriminator(node: Obj, refs: string[]): void {
  const d = node.discriminator;
  if (!isObj(d) || typeof d.propertyName !== 'string') return;
  const key = Array.isArray(node.oneOf) ? 'oneOf' : Array.isArray(node.anyOf) ? 'anyOf' : undefined;
  if (!key) return;
  const branches = node[key] as Obj[];
  if (!branches.every((b) => isObj(b) && typeof b.$ref === 'string')) return;
  const byValue = new Map<string, string>();
  for (const [value, target] of Object.entries((d.mapping ?? {}) as Record<string, string>)) {
    byValue.set(value, /[/#.]/.test(target) ? target : `#/components/schemas/${target}`);
  }
  const mapped = new Set(byValue.values());
  for (const b of branches) if (!mapped.has(b.$ref)) byValue.set(b.$ref.split('/').pop()!.replace(/\.(json|ya?ml)$/, ''), b.$ref);
  const prop = d.propertyName;
  delete node[key];
  delete node.discriminator;
  node.required = [...new Set([...(node.required ?? []), prop])];
  node.properties = { ...(node.properties ?? {}), [prop]: { ...(node.properties?.[prop] ?? {}), enum: [...byValue.keys()] } };
  node.allOf = [
    ...(node.allOf ?? []),
    ...[...byValue].map(([value, ref]) => ({ if: { properties: { [prop]: { const: value } }, required: [prop] }, then: { $ref: ref } })),
  ];
  refs.push(...byValue.values());
}

/** Every `$ref` and `$id` as an absolute URL, following `$id`s that move the base. */
export function absolutize(node: unknown, base: string): void {
  if (Array.isArray(node)) {
    for (const n of node) absolutize(n, base);
    return;
  }
  if (!isObj(node)) return;
  if (typeof node.$id === 'string') node.$id = base = new URL(node.$id, base).href;
  if (typeof node.$ref === 'string') node.$ref = new URL(node.$ref, base).href;
  for (const [k, v] of Object.entries(node)) if (!DATA.has(k)) absolutize(v, base);
}

function replaceContents(target: Obj, source: Obj): void {
  for (const k of Object.keys(target)) delete target[k];
  Object.assign(target, source);
}

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

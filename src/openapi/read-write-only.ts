/**
 * `readOnly` and `writeOnly` (OpenAPI 3.0 and 3.1): a property marked `readOnly` is the server's to
 * send — a request must not send it, and it is not required in one; `writeOnly` is the client's —
 * a response must not return it, and it is not required in one. JSON Schema only annotates them,
 * so ajv alone would let both through. Each side gets its own copy of the description's files:
 *
 * - its `required` lists drop the other side's properties (a required readOnly `id` is required of
 *   a response only), so one component schema serves both directions as the description means;
 * - its ajv gets a real `readOnly` (request) or `writeOnly` (response) keyword that fails wherever
 *   data meets a schema marked so, with an error ajv reports like any other (path included).
 */
import { _, type Ajv, type KeywordCxt } from 'ajv';
import type { FileSet } from './resolve.js';
import type { Side } from './operation.js';

type Obj = Record<string, any>;

/** Values that are data, never schemas. */
const DATA = new Set(['enum', 'const', 'example', 'examples', 'default', 'x-examples']);

const FORBIDDEN: Record<Side, { keyword: 'readOnly' | 'writeOnly'; message: string }> = {
  request: { keyword: 'readOnly', message: 'is readOnly: the description says a request must not send it' },
  response: { keyword: 'writeOnly', message: 'is writeOnly: the description says a response must not return it' },
};

/** Makes the side's forbidden annotation a failing keyword of `ajv`. */
export function forbidOnSide(ajv: Ajv, side: Side): void {
  const { keyword, message } = FORBIDDEN[side];
  ajv.removeKeyword(keyword);
  ajv.addKeyword({
    keyword,
    schemaType: 'boolean',
    error: { message },
    code(cxt: KeywordCxt) {
      if (cxt.schema === true) cxt.fail(_`true`);
    },
  });
}

/** The description's files as one side reads them: a copy whose `required` lists leave out the other side's properties. */
export function sideFiles(files: FileSet, side: Side): Array<[string, unknown]> {
  const { keyword } = FORBIDDEN[side];
  const marked = (schema: unknown, base: string): boolean => {
    const target = isObj(schema) && typeof schema.$ref === 'string' ? files.locate(schema.$ref, base)?.value : schema;
    return isObj(target) && target[keyword] === true;
  };
  const out: Array<[string, unknown]> = [];
  for (const [url, value] of files.entries()) {
    const copy = structuredClone(value);
    dropRequired(copy, (node, name) => markedProperty(node, name, url, marked, files));
    out.push([url, copy]);
  }
  return out;
}

/** Whether `name` is a property of `node` (or of an `allOf` branch of it) whose schema is marked. */
function markedProperty(node: Obj, name: string, url: string, marked: (s: unknown, base: string) => boolean, files: FileSet): boolean {
  if (isObj(node.properties) && name in node.properties) return marked(node.properties[name], url);
  if (!Array.isArray(node.allOf)) return false;
  return node.allOf.some((branch: unknown) => {
    const b = isObj(branch) && typeof branch.$ref === 'string' ? files.locate(branch.$ref, url)?.value : branch;
    return isObj(b) && isObj(b.properties) && name in b.properties && marked(b.properties[name], url);
  });
}

function dropRequired(node: unknown, isMarked: (node: Obj, name: string) => boolean): void {
  if (Array.isArray(node)) {
    for (const n of node) dropRequired(n, isMarked);
    return;
  }
  if (!isObj(node)) return;
  if (Array.isArray(node.required) && node.required.every((r: unknown) => typeof r === 'string')) {
    node.required = node.required.filter((name: string) => !isMarked(node, name));
  }
  for (const [k, v] of Object.entries(node)) if (!DATA.has(k)) dropRequired(v, isMarked);
}

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

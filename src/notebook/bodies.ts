/**
 * The loader's part of the request bodies that are not plain values: `multipart:`,
 * `body: { file }` and `graphql:`. Files are checked here, when the notebook is loaded, through
 * the one file rule (src/files/access.ts): a path outside the notebook's repository (unless
 * --allow-files names its folder) or a file that is not there is a located diagnostic, before
 * anything is sent. A path that holds `${…}` is known only when the request is rendered; the
 * same rule checks it then (src/run/request-bodies.ts).
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { checkFileAccess, FileAccessError, type FileRules } from '../files/access.js';
import type { Template } from '../expr/index.js';
import type { Diagnostic } from './diagnostic.js';
import type { Path, SourceMap } from './source.js';
import type { BodySpec, FileRef, MultipartPart, RequestSpec } from './types.js';

type Raw = Record<string, any>;

/** What the builder lends these functions. */
export interface BodyBuilder {
  readonly source: SourceMap;
  readonly rules: FileRules;
  template(v: unknown, at: Path): Template;
  report(d: Diagnostic): void;
}

const FILE_BODY_KEYS = new Set(['file', 'contentType']);

/**
 * `body: { file: payload.bin }` (optionally with `contentType`): a file as the raw body. Any other
 * object is a value encoded by defaults.encoding, as before.
 */
export function isFileBody(v: unknown): v is { file: string; contentType?: string } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as Raw).file === 'string' && Object.keys(v).every((k) => FILE_BODY_KEYS.has(k));
}

export function fileBody(b: BodyBuilder, raw: Raw, at: Path): BodySpec {
  return { kind: 'file', file: fileRef(b, raw.file, [...at, 'file']), contentType: raw.contentType !== undefined ? b.template(String(raw.contentType), [...at, 'contentType']) : undefined };
}

/** Each key is a part; a list gives several parts of one name (`files: [{ file: a }, { file: b }]`). */
export function multipartBody(b: BodyBuilder, raw: Raw, at: Path): BodySpec {
  const parts: MultipartPart[] = [];
  for (const [name, value] of Object.entries(raw)) {
    const items = Array.isArray(value) ? value.map((v, i) => ({ v, path: [...at, name, i] as Path })) : [{ v: value, path: [...at, name] as Path }];
    for (const { v, path } of items) parts.push(part(b, name, v, path));
  }
  return { kind: 'multipart', parts };
}

function part(b: BodyBuilder, name: string, v: unknown, at: Path): MultipartPart {
  const span = b.source.at(at);
  if (v !== null && typeof v === 'object' && 'file' in (v as Raw)) {
    const o = v as Raw;
    return {
      kind: 'file',
      name,
      file: fileRef(b, o.file, [...at, 'file']),
      contentType: o.contentType !== undefined ? b.template(String(o.contentType), [...at, 'contentType']) : undefined,
      filename: o.filename !== undefined ? b.template(String(o.filename), [...at, 'filename']) : undefined,
      span,
    };
  }
  if (v !== null && typeof v === 'object') {
    const o = v as Raw;
    return { kind: 'text', name, value: b.template(String(o.value ?? ''), [...at, 'value']), contentType: o.contentType, span };
  }
  return { kind: 'text', name, value: b.template(String(v ?? ''), at), span };
}

export function graphqlBody(b: BodyBuilder, raw: Raw, at: Path): BodySpec {
  return {
    kind: 'graphql',
    query: b.template(raw.query, [...at, 'query']),
    variables: raw.variables !== undefined ? b.template(raw.variables, [...at, 'variables']) : undefined,
    operationName: raw.operationName !== undefined ? b.template(raw.operationName, [...at, 'operationName']) : undefined,
  };
}

/** A file path: checked now unless it holds `${…}`. */
function fileRef(b: BodyBuilder, value: unknown, at: Path): FileRef {
  const text = String(value ?? '');
  const span = b.source.at(at);
  const path = b.template(text, at);
  if (!text.includes('${')) {
    const problem = fileProblem(text, dirname(resolve(b.source.file)), b.rules);
    if (problem) b.report({ ...problem, span });
  }
  return { path, span };
}

/** Why a file cannot be sent (outside the allowed folders, missing, a folder), or undefined. */
export function fileProblem(requested: string, fromDir: string, rules: FileRules): Omit<Diagnostic, 'span'> | undefined {
  let real: string;
  try {
    real = checkFileAccess(requested, fromDir, rules, 'file to send');
  } catch (err) {
    if (err instanceof FileAccessError) return { message: err.message, hint: err.hint };
    throw err;
  }
  try {
    if (statSync(real).isFile()) return undefined;
    return { message: `\`${requested}\` is a folder, not a file to send`, hint: 'name a file; the path is relative to the notebook' };
  } catch {
    return { message: `file to send not found: ${requested}`, hint: `looked for ${real}; the path is relative to the notebook` };
  }
}

/** `expect.graphqlErrors` checks a GraphQL response: on a request without `graphql:` it would check nothing. */
export function checkGraphqlExpect(b: BodyBuilder, step: Raw, request: RequestSpec, at: Path): void {
  if (step.expect?.graphqlErrors === undefined || request.body.kind === 'graphql') return;
  b.report({
    message: '`graphqlErrors` checks the errors of a GraphQL response, but this request has no `graphql:`',
    span: b.source.keyAt([...at, 'expect'], 'graphqlErrors'),
    hint: 'send the query with `graphql: { query: … }`, or remove `graphqlErrors`',
  });
}

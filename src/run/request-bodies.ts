/**
 * The request renderer's part for bodies read from files (`multipart:`, `body: { file }`) and for
 * GraphQL. A file's path is rendered and checked through the file rule again here (a path with
 * `${…}` is first known now); the file is stat'ed, never read: its bytes are streamed when the
 * request is sent (src/http/multipart.ts, src/http/body-file.ts).
 */
import { statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Scope } from '../expr/index.js';
import { checkFileAccess, FileAccessError, fileRulesFor } from '../files/access.js';
import { contentTypeFor, fileBody } from '../http/body-file.js';
import type { UploadBody } from '../http/client.js';
import { multipartBody, type Part, type PartRecord } from '../http/multipart.js';
import type { BodySpec, FileRef, Notebook } from '../notebook/types.js';

/** A file a request names cannot be sent (outside the allowed folders, missing): the step errors, nothing is sent. */
export class RequestFileError extends Error {
  readonly kind = 'file';
}

/** What the report records of a file sent as the body: never its bytes. */
export interface BodyFileRecord {
  file: string;
  contentType: string;
  size: number;
}

export interface RenderedUpload {
  upload: UploadBody;
  contentType: string;
  /** For the report. */
  multipart?: PartRecord[];
  bodyFile?: BodyFileRecord;
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The real path and size of a file the request names, through the file rule. */
function openFile(ref: FileRef, nb: Notebook, scope: Scope): { written: string; path: string; size: number } {
  const written = text(ref.path.render(scope));
  const fromDir = dirname(resolve(nb.file));
  let path: string;
  try {
    path = checkFileAccess(written, fromDir, nb.files ?? fileRulesFor(nb.file), 'file to send');
  } catch (err) {
    if (err instanceof FileAccessError) throw new RequestFileError(`${err.message}; ${err.hint}`);
    throw err;
  }
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new RequestFileError(`\`${written}\` is a folder, not a file to send`);
    size = st.size;
  } catch (err) {
    if (err instanceof RequestFileError) throw err;
    throw new RequestFileError(`file to send not found: ${written} (looked for ${path}; the path is relative to the notebook)`);
  }
  return { written, path, size };
}

export function renderUpload(body: Extract<BodySpec, { kind: 'file' | 'multipart' }>, nb: Notebook, scope: Scope): RenderedUpload {
  if (body.kind === 'file') {
    const f = openFile(body.file, nb, scope);
    const contentType = body.contentType ? text(body.contentType.render(scope)) : contentTypeFor(f.written);
    return { upload: fileBody(f.path, f.size), contentType, bodyFile: { file: f.written, contentType, size: f.size } };
  }
  const parts: Part[] = [];
  for (const p of body.parts) {
    if (p.kind === 'text') {
      // A null value (a capture that found nothing) leaves its part out, as a null leaves out a query parameter.
      const value = p.value.render(scope);
      if (value !== null && value !== undefined) parts.push({ name: p.name, value: text(value), contentType: p.contentType });
      continue;
    }
    const f = openFile(p.file, nb, scope);
    parts.push({
      name: p.name,
      path: f.path,
      size: f.size,
      filename: p.filename ? text(p.filename.render(scope)) : basename(f.written),
      contentType: p.contentType ? text(p.contentType.render(scope)) : contentTypeFor(f.written),
    });
  }
  const built = multipartBody(parts);
  return { upload: built.upload, contentType: built.contentType, multipart: built.records };
}

export const GRAPHQL_ACCEPT = 'application/graphql-response+json, application/json';

/**
 * GraphQL over HTTP: a POST of `{ query, variables, operationName }` as JSON; a GET puts the same
 * in the query string (`variables` as JSON text), as the GraphQL-over-HTTP spec describes.
 */
export function renderGraphql(body: Extract<BodySpec, { kind: 'graphql' }>, method: string, scope: Scope): { json?: string; query?: Record<string, string> } {
  const payload: Record<string, unknown> = { query: text(body.query.render(scope)) };
  if (body.variables) {
    const v = body.variables.render(scope);
    payload.variables = typeof v === 'string' ? safeParse(v) : v;
  }
  if (body.operationName) {
    const name = body.operationName.render(scope);
    if (name !== null && name !== undefined && name !== '') payload.operationName = text(name);
  }
  if (method === 'GET') {
    const query: Record<string, string> = { query: payload.query as string };
    if (payload.variables !== undefined) query.variables = JSON.stringify(payload.variables);
    if (payload.operationName !== undefined) query.operationName = payload.operationName as string;
    return { query };
  }
  return { json: JSON.stringify(payload) };
}

/** `variables: "${vars}"` renders to the value itself; a JSON text is taken as the object it spells. */
function safeParse(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

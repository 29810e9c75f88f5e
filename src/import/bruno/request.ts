/**
 * One Bruno request file (its method block, params, headers, auth, body, settings) → the
 * request of a notebook step. `{{var}}` becomes `${var}` through the Postman importer's
 * templating (the same placeholder syntax, the same dynamic `{{$…}}` variables).
 */
import { notebookFile } from '../http/body-file.js';
import { dict } from '../dict.js';
import type { DraftStep } from '../draft.js';
import { mapStrings, parseJsonWithVariables, templated, type RequestNames } from '../postman-request.js';
import { block, dictOf, type BruFile, type BruPair } from './parse.js';

export const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace', 'connect'];

export interface RequestContext {
  names: RequestNames;
  /** Folder of the .bru file, for `@file(…)` paths (relative to the collection root). */
  collectionRoot: string;
  /** Folder the notebook is written to: file paths are written relative to it. */
  notebookDir: string;
}

export function methodBlock(file: BruFile) {
  return file.find((b) => METHODS.includes(b.name));
}

export function requestOf(file: BruFile, step: DraftStep, ctx: RequestContext): Record<string, unknown> | undefined {
  const m = methodBlock(file);
  if (!m) return undefined;
  const t = (s: string) => templated(s, ctx.names);
  const settings = new Map(m.pairs.map((p) => [p.key, p]));
  const out: Record<string, unknown> = { method: m.name.toUpperCase() };
  const [base, ...rawQuery] = (settings.get('url')?.value ?? '').split('?');
  out.url = t(withPathParams(base!.trim(), dictOf(file, 'params:path')));
  const query = queryOf(file, rawQuery.join('?'), t);
  if (Object.keys(query).length) out.query = query;
  const headers: Record<string, string> = dict();
  for (const [name, p] of dictOf(file, 'headers')) headers[name] = t(p.value);
  const mode = settings.get('body')?.value ?? 'none';
  const body = bodyOf(file, mode, step, ctx, t);
  if (body) {
    Object.assign(out, body.request);
    if (body.contentType && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = body.contentType;
    if (!('body' in body.request)) for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-type' && !body.keepContentType) delete headers[k];
  }
  if (Object.keys(headers).length) out.headers = headers;
  return out;
}

/** `/users/:id` with `params:path { id: 7 }` → `/users/7`. */
function withPathParams(url: string, params: Map<string, BruPair>): string {
  return url.replace(/\/:([A-Za-z_][\w-]*)/g, (whole, name: string) => (params.has(name) ? `/${params.get(name)!.value}` : whole));
}

function queryOf(file: BruFile, rawQuery: string, t: (s: string) => string): Record<string, string> {
  const query: Record<string, string> = dict();
  const listed = block(file, 'params:query') ?? block(file, 'query');
  if (listed) {
    for (const p of listed.pairs) if (p.enabled) query[p.key] = t(p.value);
    return query;
  }
  for (const part of rawQuery.split('&').filter(Boolean)) {
    const eq = part.indexOf('=');
    query[safeDecode(eq < 0 ? part : part.slice(0, eq))] = t(eq < 0 ? '' : safeDecode(part.slice(eq + 1)));
  }
  return query;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

interface Body {
  request: Record<string, unknown>;
  contentType?: string;
  keepContentType?: boolean;
}

function bodyOf(file: BruFile, mode: string, step: DraftStep, ctx: RequestContext, t: (s: string) => string): Body | undefined {
  const text = (name: string) => block(file, name)?.text ?? '';
  switch (mode) {
    case 'none':
      return undefined;
    case 'json': {
      const raw = text('body:json');
      if (!raw.trim()) return undefined;
      const json = parseJsonWithVariables(raw);
      if (json !== undefined) return { request: { json: mapStrings(json, t) } };
      return { request: { body: t(raw) }, contentType: 'application/json' };
    }
    case 'text':
      return { request: { body: t(text('body:text')) }, contentType: 'text/plain' };
    case 'xml':
      return { request: { body: t(text('body:xml')) }, contentType: 'application/xml' };
    case 'sparql':
      return { request: { body: t(text('body:sparql')) }, contentType: 'application/sparql-query' };
    case 'formUrlEncoded':
      return formOf(file, step, t);
    case 'multipartForm':
      return multipartOf(file, step, ctx, t);
    case 'graphql': {
      const vars = text('body:graphql:vars');
      const variables = vars.trim() ? parseJsonWithVariables(vars) : undefined;
      if (vars.trim() && variables === undefined) step.kept.push({ line: block(file, 'body:graphql:vars')!.line, why: 'the GraphQL variables are not JSON; the query is sent without them', source: vars });
      return { request: { graphql: { query: text('body:graphql'), ...(variables !== undefined ? { variables: mapStrings(variables, t) } : {}) } } };
    }
  }
  const m = methodBlock(file)!;
  step.kept.push({ line: m.line, why: `a \`${mode}\` body is not translated`, source: `body: ${mode}` });
  return undefined;
}

function formOf(file: BruFile, step: DraftStep, t: (s: string) => string): Body | undefined {
  const b = block(file, 'body:form-urlencoded');
  const form: Record<string, string | string[]> = dict();
  for (const p of b?.pairs ?? []) {
    if (!p.enabled) continue;
    const prior = form[p.key];
    // The same name twice is sent twice, in order: a list (repeated `key=` pairs).
    form[p.key] = prior === undefined ? t(p.value) : [...(Array.isArray(prior) ? prior : [prior]), t(p.value)];
  }
  if (Object.values(form).some(Array.isArray)) {
    const repeated = b!.pairs.filter((p) => Array.isArray(form[p.key]));
    step.kept.push({ line: repeated[0]!.line, why: 'a form field given twice is sent as a list (`key[]=…` unless defaults.arrayFormat says `repeat`); Bruno sends `key=…` twice', source: repeated.map((p) => `${p.key}: ${p.value}`).join('\n') });
  }
  return Object.keys(form).length ? { request: { form } } : undefined;
}

function multipartOf(file: BruFile, step: DraftStep, ctx: RequestContext, t: (s: string) => string): Body | undefined {
  const parts: Record<string, unknown> = dict();
  for (const p of block(file, 'body:multipart-form')?.pairs ?? []) {
    if (!p.enabled) continue;
    const contentType = p.annotations.map((a) => /^@contentType\((.*)\)$/.exec(a)?.[1]).find(Boolean);
    const files = /^@file\((.*)\)$/.exec(p.value);
    let part: unknown;
    if (files) {
      const paths = files[1]!.split('|').filter(Boolean).flatMap((f) => {
        const sendable = notebookFile(f, ctx.collectionRoot, ctx.notebookDir);
        if ('path' in sendable) return [{ file: sendable.path, ...(contentType ? { contentType } : {}) }];
        step.kept.push({ line: p.line, why: `the part "${p.key}": ${sendable.why}`, source: `${p.key}: ${p.value}` });
        return [];
      });
      if (!paths.length) continue;
      part = paths.length === 1 ? paths[0] : paths;
    } else part = contentType ? { value: t(p.value), contentType } : t(p.value);
    const prior = parts[p.key];
    parts[p.key] = prior === undefined ? part : [...(Array.isArray(prior) ? prior : [prior]), part];
  }
  return Object.keys(parts).length ? { request: { multipart: parts } } : undefined;
}

/** `settings { followRedirects, maxRedirects, timeout }` → request keys; Bruno follows 5 redirects unless told. */
export function settingsInto(file: BruFile, request: Record<string, unknown>): void {
  const s = dictOf(file, 'settings');
  const follow = s.get('followRedirects')?.value;
  const max = s.get('maxRedirects')?.value;
  if (follow === 'false' || max === '0') request.followRedirects = false;
  else if (max !== undefined && /^\d+$/.test(max)) request.followRedirects = Number(max);
  const timeout = s.get('timeout')?.value;
  if (timeout && /^[1-9]\d*$/.test(timeout)) request.timeoutMs = Number(timeout);
}

/**
 * An OpenAPI 3.0/3.1 description → a skeleton notebook: one step per operation in the
 * description's order, example values where it has them, `expect.status` from the first 2xx
 * response, and `openapi:` set so every response is checked against the description.
 * Read with json-schema-ref-parser, the reader the contract checks use (src/openapi/load.ts).
 */
import { realpathSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import $RefParser from '@apidevtools/json-schema-ref-parser';
import { isInside, repositoryRoot } from '../files/access.js';
import { unquotedParseError } from '../files/parse-errors.js';
import { refParserOptions, type ReadPolicy } from '../openapi/read-policy.js';
import type { DraftInput, DraftStep, ImportResult, Warning } from './draft.js';
import { envName, identifier, ImportError, newDraft, newStep, uniqueName } from './draft.js';
import { dict } from './dict.js';
import { Positions } from './positions.js';
import { negativeSteps, type ImportedOperation } from './openapi-negative.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export function isOpenApi(data: unknown): boolean {
  const d = data as Obj;
  return !!d && typeof d === 'object' && typeof d.openapi === 'string' && /^3\.[01]/.test(d.openapi) && typeof d.paths === 'object';
}

/**
 * `policy` is THE file rule relative to the imported file (its repository, --allow-files) and
 * whether http(s) `$ref`s are fetched (--allow-fetch): an example `$ref`d from
 * `/home/me/.aws/credentials` would otherwise become a request body the skeleton then sends.
 */
export async function importOpenApi(file: string, raw: Obj, text: string, outFile: string | undefined, policy: ReadPolicy, negative = false): Promise<ImportResult> {
  let doc: Obj;
  const { options, refused } = refParserOptions(policy);
  try {
    doc = (await new $RefParser().dereference(resolve(file), options)) as Obj;
  } catch (err) {
    const why = refused();
    if (why?.kind === 'file') throw new ImportError(`${file}: a $ref names ${why.error.requested}, which is outside the imported file's repository (it resolves to ${why.error.resolved})`, 1, why.error.hint);
    if (why?.kind === 'fetch') throw new ImportError(`${file}: a $ref names ${why.url}, which import does not fetch`, 1, 'pass --allow-fetch to let import fetch the http(s) files a description refers to');
    const e = err as { code?: string; message?: string };
    const reason = e.code === 'EPARSER' || e.code === 'EUNMATCHEDPARSER' ? unquotedParseError(e.message ?? '') : String(e.message).split('\n')[0];
    throw new ImportError(`${file}: a $ref cannot be resolved (${reason})`, 1, 'every $ref must point at a JSON or YAML file and a path that exist');
  }
  const pos = new Positions(text);
  const warnings: Warning[] = [];
  const draft = newDraft(String(doc.info?.title ?? 'API'));
  draft.header.push(`A skeleton imported by api-notebook from the OpenAPI description ${file}: one step per operation.`, 'Replace the example values with real ones; each step goes on after a failure so the whole description is tried.');
  if (doc.info?.description) draft.description = String(doc.info.description);
  const server = doc.servers?.[0]?.url;
  if (typeof server === 'string' && /^https?:\/\//.test(server)) draft.baseUrl = server;
  draft.openapi = relative(outFile ? dirname(resolve(outFile)) : process.cwd(), resolve(file)) || file;
  // The notebook reads its description through the same rule: say so when it will need a flag.
  const outDir = outFile ? dirname(resolve(outFile)) : process.cwd();
  const outside = !isInside(realpathOr(resolve(file)), realpathOr(repositoryRoot(outDir)));
  if (outside) warnings.push({ line: 1, message: `the notebook's \`openapi: ${draft.openapi}\` is outside the repository the notebook is written to; run and validate it with --allow-files ${dirname(resolve(file))}, or copy the description into the repository` });
  const taken = new Set<string>();
  const imported: ImportedOperation[] = [];
  for (const [path, item] of Object.entries<Obj>(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item?.[method] as Obj | undefined;
      if (!op || typeof op !== 'object') continue;
      const step = operationStep(method, path, op, Array.isArray(item.parameters) ? item.parameters : [], doc, draft.vars, draft.inputs, taken);
      for (const k of step.kept) warnings.push({ line: pos.line(['paths', path, method]), message: `${step.name}: ${k.why}` });
      step.kept.forEach((k) => (k.line = pos.line(['paths', path, method])));
      draft.steps.push(step);
      imported.push({ method, path, op, params: parametersOf(op, Array.isArray(item.parameters) ? item.parameters : []), step });
    }
  }
  void raw;
  sharedAuth(draft);
  // After the shared auth is settled: each negative step sends what its operation's step sends, less one thing.
  if (negative) draft.steps = imported.flatMap((o) => [o.step, ...negativeSteps(o, doc).map((s) => ({ ...s, name: uniqueName(taken, s.name) }))]);
  if (draft.steps.length === 0) throw new ImportError(`${file} describes no operations`, pos.line(['paths']), 'an OpenAPI description lists its operations under `paths`');
  return { notebooks: [{ suggestedName: draft.title, draft }], warnings, format: `openapi ${doc.openapi}` };
}

function operationStep(method: string, path: string, op: Obj, shared: Obj[], doc: Obj, vars: Record<string, { value: unknown; comment?: string }>, inputs: Record<string, DraftInput>, taken: Set<string>): DraftStep {
  const step = newStep(uniqueName(taken, String(op.summary ?? humanize(op.operationId) ?? `${method.toUpperCase()} ${path}`).trim()));
  if (op.description && op.description !== op.summary) step.doc = String(op.description);
  const params = parametersOf(op, shared);
  const request: Record<string, unknown> = { method: method.toUpperCase() };
  let target = path;
  const query: Record<string, unknown> = dict();
  const headers: Record<string, string> = dict();
  for (const p of params) {
    const name = identifier(p.name);
    const example = exampleOf(p) ?? sample(p.schema);
    if (p.in === 'path') {
      if (!(name in vars)) vars[name] = { value: example ?? `${p.name}-example`, comment: `path parameter {${p.name}}${p.description ? `: ${p.description}` : ''}` };
      target = target.replace(`{${p.name}}`, `\${${name}}`);
    } else if (p.in === 'query' && p.required) query[p.name] = example ?? '';
    else if (p.in === 'header' && p.required) headers[p.name] = String(example ?? '');
  }
  request.path = target;
  if (Object.keys(query).length) request.query = query;
  const body = op.requestBody?.content as Obj | undefined;
  if (body) {
    const json = Object.keys(body).find((t) => /json/.test(t));
    const form = Object.keys(body).find((t) => /x-www-form-urlencoded/.test(t));
    const media = body[json ?? form ?? ''];
    if (media) request[json ? 'json' : 'form'] = exampleOf(media) ?? sample(media.schema) ?? {};
    else step.kept.push({ line: 0, why: `the request body (${Object.keys(body).join(', ')}) has no JSON or form media type to fill in`, source: `requestBody: ${Object.keys(body).join(', ')}` });
  }
  securityInto(op.security ?? doc.security ?? [], doc, step, headers, inputs);
  if (Object.keys(headers).length) request.headers = headers;
  step.request = request;
  const status = Object.keys(op.responses ?? {}).find((code) => /^2\d\d$/.test(code));
  if (status) step.expect = { status: Number(status) };
  step.continueOnFailure = true;
  return step;
}

/** The path item's parameters that the operation does not override, then the operation's. */
function parametersOf(op: Obj, shared: Obj[]): Obj[] {
  const isParam = (p: unknown): p is Obj => !!p && typeof p === 'object' && typeof (p as Obj).name === 'string';
  const own = Array.isArray(op.parameters) ? op.parameters : [];
  return [...shared.filter(isParam).filter((p) => !own.some((q: Obj) => q.name === p.name && q.in === p.in)), ...own.filter(isParam)];
}

function securityInto(requirements: Obj[], doc: Obj, step: DraftStep, headers: Record<string, string>, inputs: Record<string, DraftInput>): void {
  const first = requirements.find((r) => Object.keys(r).length > 0);
  if (!first) return;
  const [schemeName] = Object.keys(first);
  const scheme = doc.components?.securitySchemes?.[schemeName!] as Obj | undefined;
  if (!scheme) return;
  const input = identifier(schemeName!);
  const addInput = (name: string) => (inputs[name] ??= { env: envName(name), secret: true });
  if (scheme.type === 'http' && /^bearer$/i.test(scheme.scheme)) {
    addInput(input);
    step.auth = { bearer: `\${${input}}` };
  } else if (scheme.type === 'http' && /^basic$/i.test(scheme.scheme)) {
    inputs.username ??= { env: 'API_USERNAME' };
    addInput('password');
    step.auth = { basic: { username: '${username}', password: '${password}' } };
  } else if (scheme.type === 'apiKey' && scheme.in === 'header') {
    addInput(input);
    headers[scheme.name] = `\${${input}}`;
  } else if (scheme.type === 'oauth2' && scheme.flows?.clientCredentials) {
    inputs.clientId ??= { env: 'CLIENT_ID' };
    addInput('clientSecret');
    step.auth = { oauth2: { tokenUrl: scheme.flows.clientCredentials.tokenUrl, clientId: '${clientId}', clientSecret: '${clientSecret}' } };
  } else step.kept.push({ line: 0, why: `the security scheme "${schemeName}" (${scheme.type}${scheme.in ? ` in ${scheme.in}` : ''}) is not translated`, source: `security: ${schemeName}` });
}

function exampleOf(x: Obj | undefined): unknown {
  if (!x) return undefined;
  if (x.example !== undefined) return x.example;
  const first = x.examples && Object.values<Obj>(x.examples)[0];
  if (first && typeof first === 'object' && 'value' in first) return first.value;
  if (x.schema?.example !== undefined) return x.schema.example;
  if (Array.isArray(x.schema?.examples)) return x.schema.examples[0];
  return undefined;
}

/** A value that fits a schema: its example or default, else the required fields filled in. */
function sample(schema: Obj | undefined, depth = 0): unknown {
  if (!schema || depth > 6) return undefined;
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const sub = schema.allOf ?? schema.oneOf ?? schema.anyOf;
  if (Array.isArray(sub)) return sub.length === 1 || schema.allOf ? Object.assign({}, ...sub.map((s: Obj) => sample(s, depth + 1))) : sample(sub[0], depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type ?? (schema.properties ? 'object' : undefined)) {
    case 'object': {
      const out: Obj = dict();
      for (const key of schema.required ?? []) out[key] = sample(schema.properties?.[key], depth + 1) ?? null;
      return out;
    }
    case 'array':
      return [];
    case 'string':
      return schema.format === 'email' ? 'someone@example.com' : 'string';
    case 'integer':
    case 'number':
      return schema.minimum ?? 0;
    case 'boolean':
      return false;
    default:
      return undefined;
  }
}

/** `createNote` → `Create note`, `get_user` → `Get user`. */
function humanize(id: unknown): string | undefined {
  if (typeof id !== 'string' || !id) return undefined;
  const words = id.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words[0]!.toUpperCase() + words.slice(1);
}

/** The description's own security, on most operations, is the notebook's auth; `security: []` is `auth: none`. */
function sharedAuth(draft: { auth?: unknown; steps: DraftStep[] }): void {
  const withAuth = draft.steps.filter((s) => s.auth !== undefined);
  const first = JSON.stringify(withAuth[0]?.auth);
  if (withAuth.length === 0 || !withAuth.every((s) => JSON.stringify(s.auth) === first)) return;
  draft.auth = withAuth[0]!.auth;
  for (const s of draft.steps) {
    if (s.auth === undefined) s.auth = 'none';
    else delete s.auth;
  }
}

function realpathOr(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}

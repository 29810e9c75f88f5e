/**
 * The `openapi-request` check: the request a step is about to send, against the operation it
 * matches — its path, query, header and cookie parameters (required, and their schemas, read as
 * their `style`/`explode` say: params-style.ts) and its body against the operation's
 * `requestBody` for its content type (JSON; form and multipart fields read as text, as a server
 * would), readOnly properties refused (read-write-only.ts).
 *
 * It runs before the request is sent, so a request the contract refuses never reaches the server
 * (it may create something, or charge a card). A request that matches no operation is not judged
 * here: the response check after it says so, as it always has.
 */
import qs from 'qs';
import type { ErrorObject } from 'ajv';
import type { CheckResult } from '../checks/result.js';
import type { ContractOptions } from '../checks/openapi.js';
import type { PartRecord } from '../http/multipart.js';
import type { Span } from '../notebook/types.js';
import type { Description, Operation } from './description.js';
import { isJson, mediaType, pickMedia } from './media.js';
import { cookieValue, headerValue, pathValue, queryValue, shapeOf, type Read } from './params-style.js';
import { child, type Located } from './resolve.js';
import { waived } from './waivers.js';

/** The request as rendered, before sending: the notebook's headers (auth is added as it is sent). */
export interface OutgoingRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** A `multipart:` body's parts. */
  multipart?: readonly PartRecord[];
  /** A `body: { file }` body: its bytes are not read here. */
  bodyFile?: unknown;
  /** The cookies the jar will add for this URL. */
  jarCookies?: string;
}

/** Header parameters OpenAPI says to ignore: they are described elsewhere (content, security). */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

interface Problem {
  message: string;
  expected: unknown;
  actual: unknown;
  details?: Record<string, unknown>;
}

/** The check of one outgoing request, or undefined (no operation matches, or `ignore` names it). */
export function checkRequest(description: Description, x: OutgoingRequest, span: Span, options: ContractOptions): CheckResult | undefined {
  const match = description.match(x.method, x.url, options);
  if (match.kind !== 'operation') return undefined;
  const op = match.operation;
  // A request has no status: only `METHOD /path` and `/path` entries waive it.
  if (waived(options.ignore, op.method, [op.path, match.relative], 0)) return undefined;
  const label = `openapi request ${op.label}`;
  const problem = parameterProblem(description, op, x, match.params) ?? bodyProblem(description, op, x);
  const result: CheckResult = { kind: 'openapi-request', label, operation: op.label, passed: !problem, expected: problem?.expected ?? 'a request the description documents', actual: problem?.actual ?? 'valid', span };
  if (problem) {
    result.message = problem.message;
    result.details = { ...problem.details, operation: op.label };
  }
  return result;
}

function parameterProblem(description: Description, op: Operation, x: OutgoingRequest, pathParams: Record<string, string>): Problem | undefined {
  const url = new URL(x.url);
  const named = new Set(op.parameters.filter((p) => p.in === 'query').map((p) => p.name));
  for (const p of op.parameters) {
    if (p.in === 'header' && IGNORED_HEADERS.has(p.name.toLowerCase())) continue;
    const schemaValue = p.schema ? description.schemaValue(p.schema) : undefined;
    const shape = shapeOf(schemaValue);
    let read: Read;
    if (p.in === 'path') read = pathParams[p.name] === undefined ? undefined : pathValue(p, pathParams[p.name]!, shape);
    else if (p.in === 'query') read = queryValue(p, url.searchParams, shape, Object.keys(schemaValue?.properties ?? {}).filter((k) => !named.has(k)));
    else if (p.in === 'header') read = x.headers[p.name.toLowerCase()] === undefined ? undefined : headerValue(p, x.headers[p.name.toLowerCase()]!, shape);
    else read = cookieValue(p, [x.headers.cookie, x.jarCookies].filter(Boolean).join('; '), shape);
    const what = `${p.in === 'header' ? 'header' : `${p.in} parameter`} ${p.name}`;
    if (read === undefined) {
      if (p.required) return { message: `${op.label} requires the ${what}; the request has none`, expected: `${what} (required)`, actual: 'missing', details: { parameter: p.name, in: p.in } };
      continue;
    }
    if ('error' in read) return { message: `${what} ${read.error}`, expected: `${what} in style ${p.style}`, actual: 'unreadable', details: { parameter: p.name, in: p.in } };
    if (!p.schema) continue;
    const problem = schemaProblem(description, p.schema, read.value, !p.media);
    if (problem) {
      const shown = p.in === 'path' ? `${JSON.stringify(pathParams[p.name])}, decoded` : JSON.stringify(read.value);
      return {
        message: `${what} (${shown})${problem.path ? ` at ${problem.path.slice(1)}` : ''} ${problem.first}${problem.more} (the schema of ${op.label}'s ${what})`,
        expected: `${what} as its schema says`,
        actual: p.in === 'path' ? pathParams[p.name] : read.value,
        details: { errors: problem.errors, parameter: p.name, in: p.in, subject: `${p.in}.${p.name}` },
      };
    }
  }
  return undefined;
}

function bodyProblem(description: Description, op: Operation, x: OutgoingRequest): Problem | undefined {
  const hasBody = (x.body !== undefined && x.body !== '') || x.multipart !== undefined || x.bodyFile !== undefined;
  const rb = op.requestBody;
  const type = mediaType(x.headers['content-type']);
  // No requestBody: nothing said, so nothing judged. Many descriptions leave bodies out (the
  // Petstore example's POST /pets, our own docs' plans), and a server that takes none ignores one.
  if (!rb) return undefined;
  if (!hasBody) {
    if (rb.value.required !== true) return undefined;
    return { message: `${op.label} requires a request body; the request sends none`, expected: 'a body (required)', actual: 'none' };
  }
  const content = (rb.value.content ?? {}) as Record<string, { schema?: unknown }>;
  const key = pickMedia(Object.keys(content), type);
  if (!key) return { message: `content type ${type || '(none)'} is not documented for the request body of ${op.label} (documented: ${Object.keys(content).join(', ') || 'none'})`, expected: Object.keys(content), actual: type || '(no content type)' };
  if (content[key]?.schema === undefined || x.bodyFile !== undefined) return undefined;
  let data: unknown;
  let text = true;
  if (x.multipart) {
    // A file part is a string (`format: binary`) as far as the schema goes: its bytes are not read.
    data = Object.fromEntries(x.multipart.map((part) => [part.name, part.value ?? part.filename ?? '']));
  } else if (type === 'application/x-www-form-urlencoded') {
    data = qs.parse(x.body ?? '', { depth: 10, arrayLimit: 1000, parameterLimit: 10_000 });
  } else if (isJson(type)) {
    text = false;
    try {
      data = JSON.parse(x.body ?? '');
    } catch {
      return { message: `the request body of ${op.label} is sent as ${type} but is not JSON`, expected: `${key} as its schema says`, actual: 'not JSON' };
    }
  } else {
    return undefined;
  }
  const problem = schemaProblem(description, child(rb, 'content', key, 'schema'), data, text);
  if (!problem) return undefined;
  return {
    message: `request body${problem.path} ${problem.first}${problem.more} (the ${key} request body schema of ${op.label})`,
    expected: `${key} as its schema says`,
    actual: `${problem.errors.length} error${problem.errors.length === 1 ? '' : 's'}`,
    details: { errors: problem.errors, subject: 'body' },
  };
}

function schemaProblem(description: Description, schema: Located, data: unknown, text: boolean): { first: string; more: string; path: string; errors: ErrorObject[] } | undefined {
  const validate = description.validator(schema, 'request', text);
  if (validate instanceof Error) return { first: validate.message, more: '', path: '', errors: [] };
  // The text validator converts in place: a copy keeps what the request said.
  if (validate(text ? structuredClone(data) : data)) return undefined;
  const errors = [...(validate.errors ?? [])];
  const first = errors[0]!;
  return { first: first.message ?? 'is not valid', more: errors.length > 1 ? `; and ${errors.length - 1} more` : '', path: first.instancePath.replace(/\//g, '.'), errors };
}

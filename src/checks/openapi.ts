/**
 * The `openapi` check: the response must be one the description documents for the operation the
 * request answers — the operation exists, the status is documented (exact, `2XX`, `default`), the
 * content type is one of that response's, the body validates against its schema (no writeOnly
 * property in it), and the headers it declares are there and valid (response-headers.ts). The
 * answer is counted for coverage whatever the verdict. The request itself is checked before it
 * is sent (src/openapi/request-check.ts, kind `openapi-request`).
 */
import type { Span } from '../notebook/types.js';
import type { Description, Operation } from '../openapi/description.js';
import type { MatchOptions } from '../openapi/match.js';
import { child } from '../openapi/resolve.js';
import { responseHeaderProblem } from '../openapi/response-headers.js';
import { waived } from '../openapi/waivers.js';
import { mediaType, pickMedia } from '../openapi/media.js';
import type { CheckResult } from './result.js';

export interface Exchange {
  method: string;
  url: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface ContractOptions extends MatchOptions {
  /** The notebook's `openapi.ignore`: what is not checked (waivers.ts). */
  ignore?: readonly string[];
}

/** The check of one exchange. */
export function checkOpenApi(description: Description, x: Exchange, span: Span, options: MatchOptions = {}): CheckResult {
  return checkUnlessWaived(description, x, span, { ...options, ignore: undefined })!;
}

/** The check of one exchange, or undefined when the notebook's `openapi.ignore` waives it (a matched response still counts for coverage). */
export function checkUnlessWaived(description: Description, x: Exchange, span: Span, options: ContractOptions): CheckResult | undefined {
  const match = description.match(x.method, x.url, options);
  if (match.kind !== 'operation') {
    if (waived(options.ignore, x.method, match.kind === 'unknown-method' ? [match.template, match.path] : [match.path, ...match.relatives], x.status)) return undefined;
    const wanted = `${x.method} ${match.path}`;
    const message = match.kind === 'unknown-method'
      ? `${description.spec} has no ${x.method} operation on ${match.template} (it documents ${match.methods.join(', ')})`
      : `${description.spec} has no operation for ${wanted}${match.bases.length ? ` (server base paths: ${match.bases.join(', ')})` : ''}; tried ${match.tried.join(', ')}`;
    return fail(`openapi ${wanted}`, undefined, span, 'an operation of the description', 'no such operation', message, { spec: description.spec, ...(match.kind === 'unknown-path' ? { tried: match.tried } : {}) });
  }
  const op = match.operation;
  description.record(op, x.status);
  if (waived(options.ignore, op.method, [op.path, match.relative], x.status)) return undefined;
  const label = `openapi ${op.label}`;
  const found = description.response(op, x.status);
  if (found.kind === 'undocumented') {
    return fail(label, op, span, op.documented, x.status, `status ${x.status} is not documented for ${op.label} (documented: ${op.documented.join(', ') || 'none'})`);
  }
  const body = bodyCheck(description, op, found, x, span, label);
  if (!body.passed) return body;
  const header = responseHeaderProblem(description, found.response, x.headers, `${found.statusKey} of ${op.label}`);
  if (header) return fail(label, op, span, `header ${header.header} as the ${found.statusKey} response declares it`, x.headers[header.header.toLowerCase()] ?? 'missing', header.message, { header: header.header, subject: `header.${header.header}`, ...(header.errors ? { errors: header.errors } : {}) });
  return body;
}

/** The response's content type and body against the documented response. */
function bodyCheck(description: Description, op: Operation, found: Extract<ReturnType<Description['response']>, { kind: 'found' }>, x: Exchange, span: Span, label: string): CheckResult {
  const content = found.response.value.content as Record<string, { schema?: unknown }> | undefined;
  const type = mediaType(x.headers['content-type']);
  const hasBody = x.body !== null && x.body !== undefined && x.body !== '';
  const where = `${found.statusKey} of ${op.label}`;
  if (!content || Object.keys(content).length === 0) {
    if (!hasBody) return pass(label, op, span, `${found.statusKey} (no body)`);
    return fail(label, op, span, `${found.statusKey} with no body`, type || 'a body', `the description documents no body for ${where}, got ${type || 'one'}`);
  }
  const key = pickMedia(Object.keys(content), type);
  if (!key) {
    return fail(label, op, span, Object.keys(content), type || '(no content type)', `content type ${type || '(none)'} is not documented for ${where} (documented: ${Object.keys(content).join(', ')})`);
  }
  const expected = `${found.statusKey} ${key}`;
  if (content[key]?.schema === undefined) return pass(label, op, span, expected);
  // A body kept as bytes (an image, `format: binary`) has no JSON to validate: its type matched.
  if (x.body instanceof Uint8Array) return pass(label, op, span, expected);
  const validate = description.validator(child(found.response, 'content', key, 'schema'));
  if (validate instanceof Error) return fail(label, op, span, expected, 'a schema that compiles', validate.message);
  if (validate(x.body)) return pass(label, op, span, expected);
  const errors = [...(validate.errors ?? [])];
  const first = errors[0];
  const message = `body${first.instancePath.replace(/\//g, '.')} ${first.message} (the ${expected} schema of ${op.label}${errors.length > 1 ? `; and ${errors.length - 1} more` : ''})`;
  return fail(label, op, span, expected, `${errors.length} error${errors.length === 1 ? '' : 's'}`, message, { errors });
}

/**
 * Whether the description speaks for this request: every `path` step (it joins the base URL), and
 * a `url` step only on the base URL's origin — a `url` elsewhere (a token service, a webhook
 * receiver) is another API.
 */
export function describes(target: 'path' | 'url', url: string, baseUrl: string): boolean {
  if (target === 'path') return true;
  try {
    return new URL(url).origin === new URL(baseUrl).origin;
  } catch {
    return false;
  }
}

function pass(label: string, op: Operation, span: Span, expected: unknown): CheckResult {
  return { kind: 'openapi', label, operation: op.label, passed: true, expected, actual: 'valid', span };
}

function fail(label: string, op: Operation | undefined, span: Span, expected: unknown, actual: unknown, message: string, details: Record<string, unknown> = {}): CheckResult {
  return { kind: 'openapi', label, operation: op?.label, passed: false, expected, actual, span, message, details: { ...details, operation: op?.label } };
}

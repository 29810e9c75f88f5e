/**
 * `import --from openapi --negative`: for each operation, steps for the documented 4xx responses
 * that the description alone says how to provoke. Each is the operation's own step with one
 * thing broken:
 * - no credentials (401), when the operation has a security requirement that is not optional;
 * - an unknown id in the last path parameter (404);
 * - a missing required query parameter or body field (400, else 422, else the 4XX range);
 * - a wrong type for a typed query parameter or body field (the same status);
 * the last two only where every path parameter has an example (else the made-up id answers 404).
 * Each expects the documented status; the notebook's `openapi:` check validates the body against
 * that response's (error) schema. What the description does not say how to provoke (402, 409,
 * 413, 429…) gets no step: a step that guesses would test the guess, not the API.
 */
import { dict } from './dict.js';
import { newStep, type DraftStep } from './draft.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

/** One imported operation, as its positive step was built (after the notebook's shared auth was settled). */
export interface ImportedOperation {
  method: string;
  path: string;
  op: Obj;
  /** Path-item and operation parameters, the operation's winning by name. */
  params: Obj[];
  step: DraftStep;
}

/** The negative steps of one operation, in the order above; none when it documents no 4xx it can provoke. */
export function negativeSteps(o: ImportedOperation, doc: Obj): DraftStep[] {
  const documented = Object.keys(o.op.responses ?? {}).map((k) => k.toUpperCase());
  const steps: DraftStep[] = [];
  const unauthorized = statusFor(documented, ['401']);
  if (unauthorized && needsCredentials(o.op, doc)) steps.push(withoutCredentials(o, unauthorized, doc));
  const notFound = statusFor(documented, ['404']);
  const lastParam = [...o.path.matchAll(/\{([^}]+)\}/g)].pop()?.[1];
  if (notFound && lastParam) steps.push(unknownId(o, lastParam, notFound));
  const invalid = statusFor(documented, ['400', '422']);
  // A bad parameter sent to /customers/{customer}/cards with a made-up customer tests the id (a
  // 404), not the parameter: only where the description gives every path parameter an example.
  if (invalid && pathParamsKnown(o)) {
    const missing = missingRequired(o, invalid);
    if (missing) steps.push(missing);
    const wrong = wrongType(o, invalid);
    if (wrong) steps.push(wrong);
  }
  return steps;
}

function pathParamsKnown(o: ImportedOperation): boolean {
  return [...o.path.matchAll(/\{([^}]+)\}/g)].every(([, name]) => {
    const p = o.params.find((q) => q.in === 'path' && q.name === name);
    return p !== undefined && (p.example !== undefined || p.examples !== undefined || p.schema?.example !== undefined || p.schema?.examples !== undefined);
  });
}

/** The first of the wanted codes documented, else the 4XX range as the codes it stands for. */
function statusFor(documented: string[], wanted: string[]): number | number[] | undefined {
  const exact = wanted.find((code) => documented.includes(code));
  if (exact) return Number(exact);
  return documented.includes('4XX') ? wanted.map(Number) : undefined;
}

/** A copy of the operation's step: same request, auth and inputs, its own name and check. */
function variant(o: ImportedOperation, what: string, why: string, status: number | number[]): DraftStep {
  const base = o.step;
  const step = newStep(`${base.name}: ${what}`);
  step.doc = `A negative step: ${why}. The description documents ${Array.isArray(status) ? 'a 4XX' : `a ${status}`} response for it; \`openapi:\` checks its body against that response's schema.`;
  step.request = structuredClone(base.request);
  if (base.auth !== undefined) step.auth = structuredClone(base.auth);
  step.expect = { status: Array.isArray(status) ? [...status] : status };
  step.continueOnFailure = true;
  return step;
}

/** An operation needs credentials when its security (or the description's) has no empty, optional, requirement. */
function needsCredentials(op: Obj, doc: Obj): boolean {
  const requirements = (op.security ?? doc.security ?? []) as Obj[];
  return Array.isArray(requirements) && requirements.length > 0 && requirements.every((r) => r && Object.keys(r).length > 0);
}

function withoutCredentials(o: ImportedOperation, status: number | number[], doc: Obj): DraftStep {
  const step = variant(o, 'no credentials', 'the request is sent without credentials (no auth, no API key header or query parameter)', status);
  step.auth = 'none';
  // API keys are headers (or query parameters) the importer wrote itself: take them out too.
  const request = step.request as Obj;
  for (const r of (o.op.security ?? doc.security ?? []) as Obj[]) {
    for (const name of Object.keys(r ?? {})) {
      const scheme = doc.components?.securitySchemes?.[name] as Obj | undefined;
      if (scheme?.type !== 'apiKey' || typeof scheme.name !== 'string') continue;
      if (scheme.in === 'header') dropKey(request, 'headers', scheme.name);
      if (scheme.in === 'query') dropKey(request, 'query', scheme.name);
    }
  }
  return step;
}

function unknownId(o: ImportedOperation, param: string, status: number | number[]): DraftStep {
  const step = variant(o, `unknown ${param}`, `the last path parameter {${param}} names nothing that exists`, status);
  const schema = o.params.find((p) => p.in === 'path' && p.name === param)?.schema as Obj | undefined;
  const unknown = schema?.type === 'integer' || schema?.type === 'number' ? '987654321' : schema?.format === 'uuid' ? '00000000-0000-4000-8000-000000000000' : `no-such-${param.replace(/[^A-Za-z0-9_-]/g, '')}-404`;
  const request = step.request as Obj;
  // The imported path names the parameter `${name}` (or still `{name}` when it is not an identifier).
  request.path = String(request.path).replace(new RegExp(`\\$\\{[^}]+\\}(?!.*\\$\\{)|\\{${escapeRe(param)}\\}$`), unknown);
  return step;
}

/** The first required query parameter, else the first required field of a JSON or form body, left out. */
function missingRequired(o: ImportedOperation, status: number | number[]): DraftStep | undefined {
  const query = o.params.find((p) => p.in === 'query' && p.required === true);
  if (query) {
    const step = variant(o, `without ${query.name}`, `the required query parameter \`${query.name}\` is left out`, status);
    dropKey(step.request as Obj, 'query', query.name);
    return step;
  }
  const body = bodyOf(o);
  const field = body?.schema?.required?.find((k: unknown) => typeof k === 'string');
  if (!body || !field) return undefined;
  const step = variant(o, `without ${field}`, `the required body field \`${field}\` is left out`, status);
  const sent = (step.request as Obj)[body.key];
  if (sent && typeof sent === 'object') delete sent[field];
  return step;
}

/** A string where a query parameter or body field is typed integer, number or boolean (a query parameter first). */
function wrongType(o: ImportedOperation, status: number | number[]): DraftStep | undefined {
  const query = o.params.find((p) => p.in === 'query' && isTyped(p.schema));
  if (query) {
    const step = variant(o, `${query.name} of the wrong type`, `the query parameter \`${query.name}\` is a word where the description says ${typeOf(query.schema)}`, status);
    const request = step.request as Obj;
    request.query = { ...(request.query ?? dict()), [query.name]: notA(typeOf(query.schema)) };
    return step;
  }
  const body = bodyOf(o);
  const [field, schema] = Object.entries<Obj>(body?.schema?.properties ?? {}).find(([, s]) => isTyped(s)) ?? [];
  if (!body || !field || !schema) return undefined;
  const step = variant(o, `${field} of the wrong type`, `the body field \`${field}\` is a word where the description says ${typeOf(schema)}`, status);
  const request = step.request as Obj;
  request[body.key] = { ...(request[body.key] && typeof request[body.key] === 'object' ? request[body.key] : {}), [field]: notA(typeOf(schema)) };
  return step;
}

/** The body the positive step sends (`json` or `form`) and its schema. */
function bodyOf(o: ImportedOperation): { key: 'json' | 'form'; schema: Obj | undefined } | undefined {
  const request = o.step.request as Obj;
  const key = 'json' in request ? 'json' : 'form' in request ? 'form' : undefined;
  if (!key) return undefined;
  const content = (o.op.requestBody?.content ?? {}) as Obj;
  const media = Object.keys(content).find((t) => (key === 'json' ? /json/ : /x-www-form-urlencoded/).test(t));
  return { key, schema: media ? content[media]?.schema : undefined };
}

function isTyped(schema: Obj | undefined): boolean {
  return ['integer', 'number', 'boolean'].includes(typeOf(schema));
}

/** `not-an-integer`: a word no integer, number or boolean parser takes. */
function notA(type: string): string {
  return `not-${/^[aeiou]/.test(type) ? 'an' : 'a'}-${type}`;
}

function typeOf(schema: Obj | undefined): string {
  const t = Array.isArray(schema?.type) ? schema!.type.find((x: string) => x !== 'null') : schema?.type;
  return typeof t === 'string' ? t : '';
}

function dropKey(request: Obj, part: 'headers' | 'query', name: string): void {
  const values = request[part] as Obj | undefined;
  if (!values) return;
  for (const k of Object.keys(values)) if (k.toLowerCase() === name.toLowerCase()) delete values[k];
  if (!Object.keys(values).length) delete request[part];
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

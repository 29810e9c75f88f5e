/**
 * The path parameters of a matched request against their schemas. A path holds text, so each
 * value is percent-decoded first (`/items/a%2Fb` → `a/b`), then read as the type its schema
 * says (`/users/7` → 7 for `type: integer`) — as a server reading the path would — and
 * validated. `matrix` and `label` styles are not read (their prefix is part of the value).
 */
import type { ErrorObject } from 'ajv';
import type { Description, Operation } from './description.js';

export interface ParamProblem {
  name: string;
  value: string;
  errors: ErrorObject[];
}

/** The first path parameter whose decoded value its schema rejects, or undefined. */
export function pathParamProblem(description: Description, op: Operation, params: Record<string, string>): ParamProblem | undefined {
  for (const [name, schema] of op.pathParams) {
    const value = params[name];
    if (value === undefined) continue;
    const validate = description.validator(schema);
    if (validate instanceof Error) continue;
    if (!validate(typed(value, schema.value))) return { name, value, errors: [...(validate.errors ?? [])] };
  }
  return undefined;
}

/** The text as the schema's type reads it: a number for integer/number, a boolean for boolean; else the text. */
function typed(text: string, schema: unknown): unknown {
  const types = typesOf(schema);
  if ((types.has('integer') || types.has('number')) && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) return Number(text);
  if (types.has('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

function typesOf(schema: unknown): Set<string> {
  const t = (schema as { type?: unknown } | null)?.type;
  return new Set(Array.isArray(t) ? t.map(String) : t === undefined ? [] : [String(t)]);
}

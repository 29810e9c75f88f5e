import type { Located, SchemaRef } from '../notebook/types.js';
import type { CheckResult } from './result.js';

/** The body validates against the compiled schema; ajv's whole error list is kept in details. */
export function checkSchema(schema: Located<SchemaRef>, body: unknown): CheckResult {
  const passed = schema.value.validate(body) as boolean;
  const errors = passed ? [] : [...(schema.value.validate.errors ?? [])];
  const first = errors[0];
  return {
    kind: 'schema',
    label: `schema ${schema.value.label}`,
    passed,
    expected: schema.value.label,
    actual: passed ? 'valid' : `${errors.length} error${errors.length === 1 ? '' : 's'}`,
    span: schema.span,
    message: first ? `body${first.instancePath.replace(/\//g, '.')} ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}` : undefined,
    details: passed ? undefined : { errors },
  };
}

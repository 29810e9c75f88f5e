import type { Span } from '../notebook/types.js';

export type CheckKind = 'status' | 'header' | 'body' | 'text' | 'duration' | 'schema' | 'assert' | 'repeat' | 'openapi' | 'openapi-request' | 'cookie' | 'graphql';

/** What one check expected, what it got, and where in the notebook it was written. */
export interface CheckResult {
  kind: CheckKind;
  /** Short name for people: `status`, `header content-type`, `schema plan`, `body.amount == 1`. */
  label: string;
  passed: boolean;
  expected: unknown;
  actual: unknown;
  /** One line saying what went wrong (failed checks only). */
  message?: string;
  span: Span;
  /** `openapi` and `openapi-request` checks: the operation the response answers, `GET /articles/{slug}`. */
  operation?: string;
  /** Kind-specific detail: ajv's full error list, body mismatches, assert operands. */
  details?: unknown;
}

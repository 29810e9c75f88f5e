/**
 * A GraphQL server answers 200 with `errors` when a query fails (a field that does not exist, a
 * resolver that threw): a status check cannot see it. Every `graphql:` request gets this check:
 * a non-empty `errors` fails the step, with the errors' messages, unless the step says
 * `expect.graphqlErrors: true`, which expects errors (and fails when there are none).
 */
import type { CheckResult } from '../checks/result.js';
import type { Located, Span } from '../notebook/types.js';

function errorsOf(body: unknown): unknown[] | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const errors = (body as Record<string, unknown>).errors;
  return Array.isArray(errors) ? errors : undefined;
}

function messageOf(e: unknown): string {
  if (e !== null && typeof e === 'object' && typeof (e as Record<string, unknown>).message === 'string') {
    const err = e as { message: string; path?: unknown[] };
    return Array.isArray(err.path) && err.path.length ? `${err.message} (at ${err.path.join('.')})` : err.message;
  }
  return JSON.stringify(e);
}

export function checkGraphqlErrors(body: unknown, expectErrors: Located<boolean> | undefined, requestSpan: Span): CheckResult {
  const errors = errorsOf(body) ?? [];
  const messages = errors.map(messageOf);
  const wanted = expectErrors?.value === true;
  const passed = wanted ? errors.length > 0 : errors.length === 0;
  const count = `${errors.length} GraphQL error${errors.length === 1 ? '' : 's'}`;
  return {
    kind: 'graphql',
    label: wanted ? 'graphql errors (expected)' : 'graphql errors',
    passed,
    expected: wanted ? 'errors' : 'no errors',
    actual: messages,
    span: expectErrors?.span ?? requestSpan,
    message: passed ? undefined : wanted ? 'the response has no GraphQL `errors`, but `expect.graphqlErrors: true` expects some' : `the response has ${count}: ${messages.join('; ')}`,
    details: errors.length ? { errors } : undefined,
  };
}

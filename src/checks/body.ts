import { deepEqual } from '../expr/index.js';
import type { Span } from '../notebook/types.js';
import type { CheckResult } from './result.js';

export interface Mismatch {
  path: string;
  expected: unknown;
  actual: unknown;
  reason: 'missing' | 'different' | 'type';
}

/**
 * Partial deep match: every key the expectation names must match; other keys are ignored.
 * Arrays are compared by position (only the positions given). Every mismatch is listed.
 */
export function matchPartial(expected: unknown, actual: unknown, path = 'body', out: Mismatch[] = []): Mismatch[] {
  if (expected !== null && typeof expected === 'object') {
    const isArray = Array.isArray(expected);
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual) !== isArray) {
      out.push({ path, expected, actual: actual ?? null, reason: 'type' });
      return out;
    }
    for (const [key, value] of Object.entries(expected)) {
      const childPath = isArray ? `${path}[${key}]` : `${path}.${key}`;
      if (!Object.hasOwn(actual, key)) out.push({ path: childPath, expected: value, actual: null, reason: 'missing' });
      else matchPartial(value, (actual as Record<string, unknown>)[key], childPath, out);
    }
    return out;
  }
  if (!deepEqual(expected, actual)) out.push({ path, expected, actual: actual ?? null, reason: 'different' });
  return out;
}

export function checkBody(expected: unknown, actual: unknown, span: Span): CheckResult {
  const mismatches = matchPartial(expected, actual);
  const first = mismatches[0];
  return {
    kind: 'body',
    label: 'body',
    passed: mismatches.length === 0,
    expected,
    actual,
    span,
    message: first
      ? `${first.path} ${first.reason === 'missing' ? 'is missing' : `is ${JSON.stringify(first.actual)}, expected ${JSON.stringify(first.expected)}`}` + (mismatches.length > 1 ? ` (and ${mismatches.length - 1} more)` : '')
      : undefined,
    details: mismatches.length ? { mismatches } : undefined,
  };
}

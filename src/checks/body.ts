import { deepEqual } from '../expr/index.js';
import type { Span } from '../notebook/types.js';
import { expectedText, matchesExpected } from './pattern-check.js';
import type { CheckResult } from './result.js';

export interface Mismatch {
  path: string;
  expected: unknown;
  actual: unknown;
  reason: 'missing' | 'different' | 'type' | 'no-match';
}

/**
 * Partial deep match: every key the expectation names must match; other keys are ignored.
 * Arrays are compared by position (only the positions given). A text written `/…/flags` is a
 * pattern the actual text must match (as in expect.headers). Every mismatch is listed.
 */
export function matchPartial(expected: unknown, actual: unknown, path = 'body', out: Mismatch[] = []): Mismatch[] {
  if (typeof expected === 'string' && expected.length >= 2 && expected[0] === '/') {
    const want = expectedText(expected);
    if (want.kind !== 'exact') {
      if (typeof actual !== 'string' || !matchesExpected(want, actual)) out.push({ path, expected, actual: actual ?? null, reason: typeof actual === 'string' ? 'no-match' : 'type' });
      return out;
    }
  }
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

/**
 * `text`: the body as text. A whole expected body written `/…/flags` is matched against it, so a
 * pattern checks a text, HTML or XML body, and the raw text of a JSON one.
 */
export function checkBody(expected: unknown, actual: unknown, span: Span, text?: string): CheckResult {
  const whole = typeof expected === 'string' && text !== undefined ? expectedText(expected) : undefined;
  const mismatches = whole && whole.kind !== 'exact' ? matchPartial(expected, text) : matchPartial(expected, actual);
  // A bytes body was matched as UTF-8, but is never shown as that (mis-decoded) text: the
  // mismatch holds the bytes, which every report prints as their size and digest.
  if (actual instanceof Uint8Array) for (const m of mismatches) if (m.path === 'body') m.actual = actual;
  const first = mismatches[0];
  return {
    kind: 'body',
    label: 'body',
    passed: mismatches.length === 0,
    expected,
    actual,
    span,
    message: first
      ? `${first.path} ${describe(first)}` + (mismatches.length > 1 ? ` (and ${mismatches.length - 1} more)` : '')
      : undefined,
    details: mismatches.length ? { mismatches } : undefined,
  };
}

function describe(m: Mismatch): string {
  if (m.reason === 'missing') return 'is missing';
  if (typeof m.expected === 'string' && m.reason !== 'different') {
    const want = expectedText(m.expected);
    if (want.kind === 'broken') return `cannot be checked: ${want.message}`;
    // A whole text body is not quoted in the one-line message (the report shows it); a field is.
    if (want.kind === 'pattern' && m.path === 'body' && m.actual instanceof Uint8Array) return `(${m.actual.length.toLocaleString('en')} bytes) does not match ${m.expected}`;
    if (want.kind === 'pattern' && m.path === 'body' && typeof m.actual === 'string') return `(${m.actual.length.toLocaleString('en')} characters of text) does not match ${m.expected}`;
    if (want.kind === 'pattern') return `is ${JSON.stringify(m.actual)}, expected to match ${m.expected}`;
  }
  return `is ${JSON.stringify(m.actual)}, expected ${JSON.stringify(m.expected)}`;
}

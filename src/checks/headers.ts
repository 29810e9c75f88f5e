import type { Span } from '../notebook/types.js';
import { expectedText, matchesExpected } from './pattern-check.js';
import type { CheckResult } from './result.js';

/** A header equals the expected text, or matches it when written as `/regex/flags` (RE2). */
export function checkHeader(name: string, expected: unknown, headers: Record<string, string>, span: Span): CheckResult {
  const actual = headers[name] ?? null;
  const text = String(expected);
  const want = expectedText(text);
  const passed = actual !== null && matchesExpected(want, actual);
  return {
    kind: 'header',
    label: `header ${name}`,
    passed,
    expected: text,
    actual,
    span,
    message: passed ? undefined
      : want.kind === 'broken' ? want.message
      : actual === null ? `header ${name} is missing` : `header ${name} is ${JSON.stringify(actual)}, expected ${want.kind === 'pattern' ? 'to match ' : ''}${text}`,
  };
}

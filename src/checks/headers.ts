import type { Span } from '../notebook/types.js';
import type { CheckResult } from './result.js';

const REGEX = /^\/(.*)\/([gimsuy]*)$/s;

/** A header equals the expected text, or matches it when written as `/regex/flags`. */
export function checkHeader(name: string, expected: unknown, headers: Record<string, string>, span: Span): CheckResult {
  const actual = headers[name] ?? null;
  const text = String(expected);
  const re = REGEX.exec(text);
  let passed: boolean;
  if (re) passed = actual !== null && new RegExp(re[1], re[2]).test(actual);
  else passed = actual === text;
  return {
    kind: 'header',
    label: `header ${name}`,
    passed,
    expected: text,
    actual,
    span,
    message: passed ? undefined : actual === null ? `header ${name} is missing` : `header ${name} is ${JSON.stringify(actual)}, expected ${re ? 'to match ' : ''}${text}`,
  };
}

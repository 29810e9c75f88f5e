/**
 * The `/…/flags` rule every expect value shares (headers, body, text; cookies call testPattern
 * from src/expr/pattern.ts): a value written between slashes is a pattern, run on RE2 (linear
 * time: a server cannot hang the run with the text it sends), anything else is exact text.
 */
import { compilePattern, PatternError, slashPattern, type Pattern } from '../expr/index.js';

export type Expected = { kind: 'exact'; text: string } | { kind: 'pattern'; pattern: Pattern } | { kind: 'broken'; message: string };

/** What an expected value asks for. A pattern that comes from `${…}` may only fail now, as a failed check. */
export function expectedText(value: unknown): Expected {
  const text = String(value);
  const slashed = slashPattern(text);
  if (!slashed) return { kind: 'exact', text };
  try {
    return { kind: 'pattern', pattern: compilePattern(slashed.source, slashed.flags) };
  } catch (err) {
    if (err instanceof PatternError) return { kind: 'broken', message: `${err.message} (${err.hint})` };
    throw err;
  }
}

export function matchesExpected(expected: Expected, actual: string): boolean {
  if (expected.kind === 'exact') return actual === expected.text;
  if (expected.kind === 'pattern') return expected.pattern.test(actual);
  return false;
}

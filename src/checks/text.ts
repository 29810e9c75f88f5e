import type { Span } from '../notebook/types.js';
import { expectedText, matchesExpected } from './pattern-check.js';
import type { CheckResult } from './result.js';

/**
 * `expect.text`: the response body, as text, matches `/…/flags` (RE2) or equals the text given.
 * Any body has a text (a JSON body's is its raw JSON), so this reads NDJSON, HTML, CSV or a
 * plain-text error page the same way.
 */
export function checkText(expected: unknown, text: string, span: Span, bytes?: Uint8Array): CheckResult {
  const wanted = String(expected);
  const want = expectedText(wanted);
  const passed = matchesExpected(want, text);
  // A bytes body is matched as UTF-8 but shown only as bytes (size and digest), never as text.
  if (bytes) {
    return {
      kind: 'text', label: 'text', passed, expected: wanted, actual: bytes, span,
      message: passed ? undefined
        : want.kind === 'broken' ? want.message
        : `the body (${bytes.length.toLocaleString('en')} bytes) ${want.kind === 'pattern' ? `does not match ${wanted}` : 'is not the text expected'}`,
    };
  }
  return {
    kind: 'text',
    label: 'text',
    passed,
    expected: wanted,
    // The body is in the report already: a long one is not copied into the check.
    actual: text.length <= 1000 ? text : `(${text.length.toLocaleString('en')} characters)`,
    span,
    message: passed ? undefined
      : want.kind === 'broken' ? want.message
      : `the body (${text.length.toLocaleString('en')} characters of text) ${want.kind === 'pattern' ? `does not match ${wanted}` : `is not the text expected${text.length <= 200 && wanted.length <= 200 ? `: ${JSON.stringify(text)}, expected ${JSON.stringify(wanted)}` : ''}`}`,
  };
}

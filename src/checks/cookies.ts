import { parseSetCookie, type SetCookie } from '../http/cookies.js';
import type { Span } from '../notebook/types.js';
import type { CheckResult } from './result.js';

/** The same `/regex/flags` form as expect.headers (src/checks/headers.ts). */
const REGEX = /^\/(.*)\/([gimsuy]*)$/s;

/** The cookies a chain of responses set, by name; a later Set-Cookie of a name replaces an earlier one. */
export function cookiesSet(setCookies: readonly string[]): Map<string, SetCookie> {
  const out = new Map<string, SetCookie>();
  for (const header of setCookies) {
    const c = parseSetCookie(header);
    if (c) out.set(c.name, c);
  }
  return out;
}

/**
 * `expect.cookies`: the response set cookie `name` to the expected text, or to a value matching it
 * when written `/regex/flags`; `null` expects the response not to set it. A cookie the response
 * deleted (Max-Age=0, or an Expires in the past) was set, to its (usually empty) value.
 */
export function checkCookie(name: string, expected: unknown, set: Map<string, SetCookie>, span: Span): CheckResult {
  const cookie = set.get(name);
  const actual = cookie ? cookie.value : null;
  const label = `cookie ${name}`;
  if (expected === null || expected === undefined) {
    const passed = cookie === undefined;
    return { kind: 'cookie', label, passed, expected: null, actual, span, message: passed ? undefined : `cookie ${name} was set to ${JSON.stringify(actual)}, expected it not to be set` };
  }
  const text = String(expected);
  const re = REGEX.exec(text);
  const passed = actual !== null && (re ? new RegExp(re[1], re[2]).test(actual) : actual === text);
  const message = passed
    ? undefined
    : actual === null
      ? `the response did not set cookie ${name}${set.size ? ` (it set ${[...set.keys()].join(', ')})` : ' (it set no cookie)'}`
      : `cookie ${name} is ${JSON.stringify(actual)}, expected ${re ? 'to match ' : ''}${text}`;
  return { kind: 'cookie', label, passed, expected: text, actual, span, message, details: cookie ? attributes(cookie) : undefined };
}

/** The attributes the report shows beside the value. */
function attributes(c: SetCookie): Record<string, unknown> {
  const { name: _n, value: _v, ...rest } = c;
  return rest;
}

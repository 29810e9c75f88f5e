import { assert, AssertionError } from 'chai';
import type { Located } from '../notebook/types.js';
import type { CheckResult } from './result.js';

/** The response status is one of the expected codes (chai does the comparison and says why not). */
export function checkStatus(expected: Located<number[]>, actual: number): CheckResult {
  const result: CheckResult = { kind: 'status', label: 'status', passed: true, expected: expected.value.length === 1 ? expected.value[0] : expected.value, actual, span: expected.span };
  try {
    assert.oneOf(actual, expected.value, `${actual} is not ${expected.value.join(" or ")}`);
  } catch (err) {
    if (!(err instanceof AssertionError)) throw err;
    result.passed = false;
    result.message = err.message.split(':')[0];
  }
  return result;
}

import { assert, AssertionError } from 'chai';
import type { Located } from '../notebook/types.js';
import type { CheckResult } from './result.js';

/**
 * The response status is one of the expected codes. chai is consulted only when the plain
 * membership test fails, to word the failure: building a chai assertion for every passing step
 * cost ~0.05 ms a step (its proxies), a tenth of the per-step budget.
 */
export function checkStatus(expected: Located<number[]>, actual: number): CheckResult {
  const result: CheckResult = { kind: 'status', label: 'status', passed: true, expected: expected.value.length === 1 ? expected.value[0] : expected.value, actual, span: expected.span };
  if (expected.value.includes(actual)) return result;
  try {
    assert.oneOf(actual, expected.value, `${actual} is not ${expected.value.join(' or ')}`);
    return result;
  } catch (err) {
    if (!(err instanceof AssertionError)) throw err;
    result.passed = false;
    result.message = err.message.split(':')[0];
    return result;
  }
}

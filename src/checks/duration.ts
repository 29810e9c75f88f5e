import type { Located } from '../notebook/types.js';
import type { CheckResult } from './result.js';

/**
 * `expect.maxDurationMs`: the exchange, from sending the request to the last byte of the body,
 * took at most this long. A slow answer is a failed check with the time measured (the response
 * arrived and is checked as usual); only `timeoutMs` ends the wait with an error.
 */
export function checkDuration(max: Located<number>, durationMs: number): CheckResult {
  const measured = Math.round(durationMs * 1000) / 1000;
  const passed = measured <= max.value;
  return {
    kind: 'duration',
    label: `duration <= ${max.value} ms`,
    passed,
    expected: max.value,
    actual: measured,
    span: max.span,
    message: passed ? undefined : `the response took ${measured} ms, more than expect.maxDurationMs: ${max.value}`,
  };
}

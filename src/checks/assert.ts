import { ExprRuntimeError, truthy, type Scope } from '../expr/index.js';
import type { Assertion } from '../notebook/types.js';
import type { CheckResult } from './result.js';

/**
 * An `assert:` entry must be true; when it is not, the values of its operands are kept. An
 * assert that cannot be evaluated over this response (`length(body.missing)`: a function given
 * null) is that check failing, at its line, not the step breaking: the response is what is wrong.
 */
export function checkAssert(assertion: Assertion, scope: Scope): CheckResult {
  let value: unknown;
  try {
    value = assertion.expr.evaluate(scope);
  } catch (err) {
    // A value past VALUE_LIMITS is not a wrong response but a run to stop: a step error.
    if (!(err instanceof ExprRuntimeError)) throw err;
    return {
      kind: 'assert',
      label: assertion.expr.source,
      passed: false,
      expected: true,
      actual: null,
      span: assertion.span,
      message: `${assertion.expr.source} cannot be evaluated: ${err.message}`,
      details: assertion.expr.explain(scope),
    };
  }
  const passed = truthy(value);
  const operands = passed ? undefined : assertion.expr.explain(scope);
  return {
    kind: 'assert',
    label: assertion.expr.source,
    passed,
    expected: true,
    actual: value ?? null,
    span: assertion.span,
    message: passed ? undefined : `${assertion.expr.source} is ${JSON.stringify(value ?? null)}` + (operands && 'left' in operands ? ` (left: ${JSON.stringify(operands.left)}, right: ${JSON.stringify(operands.right)})` : ''),
    details: operands,
  };
}

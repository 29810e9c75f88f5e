import { truthy, type Scope } from '../expr/index.js';
import type { Assertion } from '../notebook/types.js';
import type { CheckResult } from './result.js';

/** An `assert:` entry must be true; when it is not, the values of its operands are kept. */
export function checkAssert(assertion: Assertion, scope: Scope): CheckResult {
  const value = assertion.expr.evaluate(scope);
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

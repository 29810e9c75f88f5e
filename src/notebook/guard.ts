/**
 * The shape guard between the YAML readers and everything after them. YAML aliases turn a small
 * file into shared, even circular, data (js-yaml shares references, the yaml library can build
 * cycles): the schema check, the expression compiler and JSON.stringify would then walk it
 * exponentially or forever. This walk is iterative (no recursion to overflow), counts every value
 * as the later stages would see it, and stops at the first limit passed, with the path to it.
 */
import { LIMITS } from './limits.js';
import type { Path } from './source.js';

export type GuardProblem =
  | { kind: 'cycle'; path: Path }
  | { kind: 'depth'; path: Path }
  | { kind: 'values'; path: Path };

export function guardData(data: unknown): GuardProblem | undefined {
  let values = 0;
  // Each frame: the value, its path, and the containers above it (for cycles).
  const ancestors: object[] = [];
  const stack: Array<{ value: unknown; path: Path; depth: number } | 'leave'> = [{ value: data, path: [], depth: 0 }];
  while (stack.length) {
    const frame = stack.pop()!;
    if (frame === 'leave') {
      ancestors.pop();
      continue;
    }
    const { value, path, depth } = frame;
    if (++values > LIMITS.values) return { kind: 'values', path };
    if (value === null || typeof value !== 'object') continue;
    if (ancestors.includes(value)) return { kind: 'cycle', path };
    if (depth >= LIMITS.depth) return { kind: 'depth', path };
    ancestors.push(value);
    stack.push('leave');
    const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i][1], path: [...path, entries[i][0]], depth: depth + 1 });
  }
  return undefined;
}

export function guardMessage(p: GuardProblem): { message: string; hint: string } {
  switch (p.kind) {
    case 'cycle':
      return { message: 'this value contains itself (an alias inside the anchor it names)', hint: 'a YAML alias `*name` may only repeat a value defined before it, not one it is part of' };
    case 'depth':
      return { message: `values nest more than ${LIMITS.depth} levels deep`, hint: 'flatten the structure; a notebook never needs this depth' };
    case 'values':
      return { message: `the notebook holds more than ${LIMITS.values.toLocaleString('en')} values once its aliases are expanded`, hint: 'split the notebook, or repeat less through aliases' };
  }
}

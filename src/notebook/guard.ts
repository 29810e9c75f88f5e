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
  | { kind: 'values'; path: Path; limit: number }
  | { kind: 'aliases'; path: Path };

/** `maxValues`: valuesLimit of the file's size (limits.ts); LIMITS.values when not given. */
export function guardData(data: unknown, maxValues: number = LIMITS.values): GuardProblem | undefined {
  let values = 0;
  // Values reached a second time through a shared object: what aliases add once expanded.
  let repeatedValues = 0;
  const seen = new Set<object>();
  // Each frame: the value, its path, whether it lies under a shared object; `leave` closes a container.
  const ancestors: object[] = [];
  const stack: Array<{ value: unknown; path: Path; depth: number; repeated: boolean } | 'leave'> = [{ value: data, path: [], depth: 0, repeated: false }];
  while (stack.length) {
    const frame = stack.pop()!;
    if (frame === 'leave') {
      ancestors.pop();
      continue;
    }
    const { value, path, depth } = frame;
    if (++values > maxValues) return { kind: 'values', path, limit: maxValues };
    if (value === null || typeof value !== 'object') {
      if (frame.repeated && ++repeatedValues > LIMITS.aliasValues) return { kind: 'aliases', path };
      continue;
    }
    if (ancestors.includes(value)) return { kind: 'cycle', path };
    if (depth >= LIMITS.depth) return { kind: 'depth', path };
    const repeated = frame.repeated || seen.has(value);
    if (repeated && ++repeatedValues > LIMITS.aliasValues) return { kind: 'aliases', path };
    seen.add(value);
    ancestors.push(value);
    stack.push('leave');
    const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i][1], path: [...path, entries[i][0]], depth: depth + 1, repeated });
  }
  return undefined;
}

export function guardMessage(p: GuardProblem): { message: string; hint: string } {
  switch (p.kind) {
    case 'cycle':
      return { message: 'this value contains itself (an alias inside the anchor it names)', hint: 'a YAML alias `*name` may only repeat a value defined before it, not one it is part of' };
    case 'depth':
      return { message: `values nest more than ${LIMITS.depth} levels deep`, hint: 'flatten the structure; a notebook never needs this depth' };
    case 'aliases':
      return { message: `aliases expand to more than ${LIMITS.aliasValues.toLocaleString('en')} values`, hint: 'a notebook may repeat values through aliases, not multiply them (this looks like a "billion laughs" file)' };
    case 'values':
      return { message: `the notebook holds more than ${p.limit.toLocaleString('en')} values once its aliases are expanded`, hint: 'split the notebook, or repeat less through aliases' };
  }
}

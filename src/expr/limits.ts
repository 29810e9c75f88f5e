/**
 * Bounds on the values an expression builds. A capture such as `all: concat(all, all)` under
 * `repeat` doubles a list at every run, and `[x, x]` doubles what a report must write while
 * sharing memory: a few lines reached 2–4 GB. Every value an expression makes (a function's
 * result, `a + b` on text, a `[…]` literal) is measured before it is kept, and one that passes a
 * bound is a step error naming the bound. Values read from a response are not limited here
 * (`--max-body` bounds them); only what expressions make from them.
 */

export const VALUE_LIMITS = Object.freeze({
  /** Characters of one string (16 Mi: above the default --max-body of 10 MiB). */
  stringChars: 16 * 1024 * 1024,
  /** Items of one list. */
  listItems: 1_000_000,
  /** Levels of lists and objects inside one another. */
  depth: 128,
  /** Size in all: every string's characters, every item and key counted once per place it appears. */
  size: 16 * 1024 * 1024,
});

/** A value an expression built passed one of VALUE_LIMITS. */
export class ValueLimitError extends Error {
  constructor(readonly limit: keyof typeof VALUE_LIMITS, message: string) {
    super(`${message}; the limit is ${VALUE_LIMITS[limit].toLocaleString('en')} (see Limits in docs/notebook-format.md)`);
  }
}

interface Measure {
  depth: number;
  size: number;
}

/**
 * Measures of lists and objects already seen. A built list is measured once, from its items'
 * measures: `[x, x]` repeated does not walk `x` again each time (that walk would be the blow-up).
 */
const measured = new WeakMap<object, Measure>();

function measure(value: unknown, depth: number): Measure {
  if (typeof value === 'string') return { depth: 0, size: value.length + 1 };
  if (value === null || typeof value !== 'object') return { depth: 0, size: 1 };
  const known = measured.get(value);
  if (known) return known;
  if (depth > VALUE_LIMITS.depth) throw new ValueLimitError('depth', `the value nests more than ${VALUE_LIMITS.depth} levels deep`);
  if (ArrayBuffer.isView(value)) return { depth: 0, size: value.byteLength + 1 };
  let inner = 0;
  let size = 1;
  const add = (item: unknown, keyLength = 0) => {
    const m = measure(item, depth + 1);
    if (m.depth > inner) inner = m.depth;
    size += m.size + keyLength;
    if (size > VALUE_LIMITS.size) throw new ValueLimitError('size', `the value is larger than ${VALUE_LIMITS.size.toLocaleString('en')} in all (characters, items and keys)`);
  };
  if (Array.isArray(value)) for (const item of value) add(item);
  else for (const key of Object.keys(value)) add((value as Record<string, unknown>)[key], key.length);
  const result = { depth: inner + 1, size };
  if (result.depth > VALUE_LIMITS.depth) throw new ValueLimitError('depth', `the value nests more than ${VALUE_LIMITS.depth} levels deep`);
  measured.set(value, result);
  return result;
}

/** Throws ValueLimitError when `value` (made by `what`) passes a bound; returns it otherwise. */
export function bounded<T>(value: T, what: string): T {
  if (typeof value === 'string') {
    if (value.length > VALUE_LIMITS.stringChars) throw new ValueLimitError('stringChars', `${what} would make a string of ${value.length.toLocaleString('en')} characters`);
    return value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value) && value.length > VALUE_LIMITS.listItems) throw new ValueLimitError('listItems', `${what} would make a list of ${value.length.toLocaleString('en')} items`);
  try {
    measure(value, 0);
  } catch (err) {
    if (err instanceof ValueLimitError) throw new ValueLimitError(err.limit, `${what}: ${err.message.replace(/; the limit is .*$/, '')}`);
    throw err;
  }
  return value;
}

/** For builders that can tell the size before building (concat, `+`): refuse before allocating. */
export function checkPlannedLength(kind: 'string' | 'list', length: number, what: string): void {
  if (kind === 'string' && length > VALUE_LIMITS.stringChars) throw new ValueLimitError('stringChars', `${what} would make a string of ${length.toLocaleString('en')} characters`);
  if (kind === 'list' && length > VALUE_LIMITS.listItems) throw new ValueLimitError('listItems', `${what} would make a list of ${length.toLocaleString('en')} items`);
}

/**
 * The functions an expression may call. This table is the whole surface an expression can reach:
 * no globals, no process, no files. Each takes plain JSON-like values and returns one.
 */
type Fn = (...args: unknown[]) => unknown;

function asList(value: unknown, fn: string): unknown[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new TypeError(`${fn}() expects a list, got ${describeType(value)}`);
  return value;
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  return typeof value;
}

function field(item: unknown, name: unknown): unknown {
  if (item === null || typeof item !== 'object') return undefined;
  return Object.hasOwn(item, String(name)) ? (item as Record<string, unknown>)[String(name)] : undefined;
}

export const FUNCTIONS: Readonly<Record<string, Fn>> = Object.freeze({
  /** Length of a string, list, or number of keys of an object. */
  length: (v) => {
    if (typeof v === 'string' || Array.isArray(v)) return v.length;
    // A body kept as bytes (an image, an octet stream): how many bytes.
    if (v instanceof Uint8Array) return v.byteLength;
    if (v !== null && typeof v === 'object') return Object.keys(v).length;
    throw new TypeError(`length() expects a string, list or object, got ${describeType(v)}`);
  },
  /** Milliseconds since the Unix epoch. */
  now: () => Date.now(),
  /** Seconds since the Unix epoch (Stripe's timestamps). */
  unixtime: () => Math.floor(Date.now() / 1000),
  /** The current year (UTC), e.g. for a card expiry next year: year() + 1. */
  year: () => new Date().getUTCFullYear(),
  keys: (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : []),
  contains: (hay, needle) => {
    if (typeof hay === 'string') return hay.includes(String(needle));
    if (Array.isArray(hay)) return hay.some((x) => deepEqual(x, needle));
    if (hay !== null && typeof hay === 'object') return Object.hasOwn(hay, String(needle));
    return false;
  },
  startsWith: (s, p) => typeof s === 'string' && s.startsWith(String(p)),
  endsWith: (s, p) => typeof s === 'string' && s.endsWith(String(p)),
  matches: (s, re) => typeof s === 'string' && new RegExp(String(re)).test(s),
  lower: (s) => String(s).toLowerCase(),
  upper: (s) => String(s).toUpperCase(),
  string: (v) => (typeof v === 'string' ? v : JSON.stringify(v)),
  number: (v) => Number(v),
  first: (l) => asList(l, 'first')[0] ?? null,
  last: (l) => {
    const list = asList(l, 'last');
    return list.length ? list[list.length - 1] : null;
  },
  /** Items of a list whose `name` field equals `value`: where(body.data, 'email', email). */
  where: (l, name, value) => asList(l, 'where').filter((item) => deepEqual(field(item, name), value)),
  /** The `name` field of every item: map(body.data, 'id'). */
  map: (l, name) => asList(l, 'map').map((item) => field(item, name) ?? null),
  concat: (...lists) => lists.flatMap((l) => asList(l, 'concat')),
  /** 0, 1, … n-1: forEach: "${range(3)}" */
  range: (n) => Array.from({ length: Math.max(0, Math.min(Number(n) || 0, 100_000)) }, (_, i) => i),
  /** A random hex id, for names that must not collide between runs. */
  uuid: () => crypto.randomUUID(),
});

/** How many arguments each function takes (min, max), checked when the notebook is loaded. */
export const ARITY: Readonly<Record<string, readonly [number, number]>> = Object.freeze({
  length: [1, 1], now: [0, 0], unixtime: [0, 0], year: [0, 0], keys: [1, 1], contains: [2, 2],
  startsWith: [2, 2], endsWith: [2, 2], matches: [2, 2], lower: [1, 1], upper: [1, 1],
  string: [1, 1], number: [1, 1], first: [1, 1], last: [1, 1], where: [3, 3], map: [2, 2],
  concat: [1, Infinity], range: [1, 1], uuid: [0, 0],
});

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    // undefined and null mean the same thing to a notebook author: "nothing there"
    return (a === undefined && b === null) || (a === null && b === undefined);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  // Bytes equal bytes of the same content (a body kept as bytes, compared with a capture of it).
  if (a instanceof Uint8Array || b instanceof Uint8Array) return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.compare(a, b) === 0;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as any)[k], (b as any)[k]));
}

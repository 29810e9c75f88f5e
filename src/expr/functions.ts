/**
 * The functions an expression may call. This table is the whole surface an expression can reach:
 * no globals, no process, no files. Each takes plain JSON-like values and returns one.
 */
import { base64, parseJson, sha256, unbase64 } from './encodings.js';
import { bounded, checkPlannedLength } from './limits.js';
import { xpathAll, xpathFirst } from './markup.js';
import { compilePattern } from './pattern.js';

/** `this` is the expression's scope (see compile.ts), for the few functions that read the step's response. */
type Fn = (this: ((name: string) => { found: boolean; value: unknown }) | undefined, ...args: unknown[]) => unknown;

/** Where the step's response keeps each header's values apart (src/run/http-state.ts); no expression can name it. */
export const HEADER_LISTS = '#headerLists';

/** Where a notebook run keeps its data files' contents, by name as written (src/data/); no expression can name it. */
export const DATA_FILES = '#dataFiles';

/** Text for a text function; `null` (a missing header or field) stays null. */
function textArg(value: unknown, fn: string, what = 'text'): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TypeError(`${fn}() expects ${what}, got ${describeType(value)}`);
}

function patternArg(value: unknown, fn: string) {
  if (typeof value !== 'string') throw new TypeError(`${fn}() expects its pattern as text, got ${describeType(value)}`);
  return compilePattern(value);
}

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
  /** Length of a string, list, bytes (a binary body), or number of keys of an object. */
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
  /** Patterns run on RE2 (./pattern.ts): linear time, whatever the pattern and the text. */
  matches: (s, re) => typeof s === 'string' && patternArg(re, 'matches').test(s),
  /** The first capture group of the first match, else the whole match; null when nothing matches. */
  regex: (s, re) => {
    const text = textArg(s, 'regex');
    const pattern = patternArg(re, 'regex');
    return text === null ? null : pattern.first(text);
  },
  /** Every match replaced; `$1`, `$<name>`, `$&` and `$$` in `with` as in JavaScript. */
  replace: (s, re, by) => {
    const text = textArg(s, 'replace');
    const pattern = patternArg(re, 'replace');
    const replacement = textArg(by, 'replace', 'its replacement as text') ?? '';
    return text === null ? null : pattern.replaceAll(text, replacement);
  },
  /** Text cut at each occurrence of `sep` (plain text, not a pattern); null gives []. */
  split: (s, sep) => {
    const text = textArg(s, 'split');
    const by = textArg(sep, 'split', 'its separator as text');
    if (text === null) return [];
    if (by === null) throw new TypeError('split() needs a separator, got null');
    return text.split(by);
  },
  /** XPath 1.0 over an XML or HTML body: the first match's text (null when none), or what the path computes. */
  xpath: (body, path) => xpathFirst(body, String(path)),
  /** The text of every node the path selects. */
  xpathAll: (body, path) => xpathAll(body, String(path)),
  /** Hex SHA-256 of text (UTF-8) or bytes. */
  sha256: (v) => sha256(v),
  base64: (v) => base64(v),
  unbase64: (v) => unbase64(v),
  /** Parses JSON text: a JSON body served as text, or JSON inside a string field. */
  json: (v) => parseJson(v),
  lower: (s) => String(s).toLowerCase(),
  upper: (s) => String(s).toUpperCase(),
  // Measured first: a list that shares one big value many times is small in memory and huge as text.
  string: (v) => (typeof v === 'string' ? v : JSON.stringify(bounded(v, 'string()') ?? null)),
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
  concat: (...lists) => {
    const parts = lists.map((l) => asList(l, 'concat'));
    // Refused before it is built: a list doubled at every run of a repeat is the usual blow-up.
    checkPlannedLength('list', parts.reduce((n, p) => n + p.length, 0), 'concat()');
    return parts.flat(1);
  },
  /** 0, 1, … n-1: forEach: "${range(3)}" */
  range: (n) => Array.from({ length: Math.max(0, Math.min(Number(n) || 0, 100_000)) }, (_, i) => i),
  /** A random hex id, for names that must not collide between runs. */
  uuid: () => crypto.randomUUID(),
  /** Every value the response gave a header, apart: headerValues('set-cookie') (`headers[…]` joins them with ", "). */
  headerValues: function (name) {
    if (typeof name !== 'string') throw new TypeError(`headerValues() expects a header name, got ${describeType(name)}`);
    const lists = this?.(HEADER_LISTS).value as Record<string, string[]> | null | undefined;
    const list = lists ? lists[name.toLowerCase()] : undefined;
    return list ? [...list] : [];
  },
  /**
   * A data file's rows (CSV) or value (JSON, YAML), relative to the notebook: forEach: ${data('cases.csv')}.
   * The loader read it (src/data/files.ts); here it is only looked up.
   */
  data: function (name) {
    const files = this?.(DATA_FILES).value as ReadonlyMap<string, unknown> | null | undefined;
    if (!files || !files.has(String(name))) throw new TypeError(`data(): \`${String(name)}\` was not read when the notebook loaded`);
    return files.get(String(name));
  },
});

/** How many arguments each function takes (min, max), checked when the notebook is loaded. */
export const ARITY: Readonly<Record<string, readonly [number, number]>> = Object.freeze({
  length: [1, 1], now: [0, 0], unixtime: [0, 0], year: [0, 0], keys: [1, 1], contains: [2, 2],
  startsWith: [2, 2], endsWith: [2, 2], matches: [2, 2], lower: [1, 1], upper: [1, 1],
  string: [1, 1], number: [1, 1], first: [1, 1], last: [1, 1], where: [3, 3], map: [2, 2],
  concat: [1, Infinity], range: [1, 1], uuid: [0, 0],
  regex: [2, 2], replace: [3, 3], split: [2, 2], xpath: [2, 2], xpathAll: [2, 2],
  sha256: [1, 1], base64: [1, 1], unbase64: [1, 1], json: [1, 1],
  headerValues: [1, 1], data: [1, 1],
});

/** Functions whose second argument is a pattern, checked when the notebook is loaded if written as text. */
export const PATTERN_ARGUMENT: Readonly<Record<string, number>> = Object.freeze({ matches: 1, regex: 1, replace: 1 });

/** Functions whose second argument is an XPath, checked likewise. */
export const XPATH_ARGUMENT: Readonly<Record<string, number>> = Object.freeze({ xpath: 1, xpathAll: 1 });

/**
 * Functions that make new values (lists, text) rather than return a part of one: their results
 * are measured against VALUE_LIMITS (./limits.ts). `first`, `last` and the like hand back what
 * already exists.
 */
export const BUILDERS: ReadonlySet<string> = new Set(['concat', 'map', 'where', 'keys', 'split', 'replace', 'string', 'lower', 'upper', 'base64', 'unbase64', 'json', 'xpathAll', 'range']);

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

/**
 * The subset reader's scalars (see subset-reader.ts): how a plain value is typed (js-yaml's own
 * core-schema resolvers, so both readers agree), which keys it leaves to js-yaml, the escapes of
 * a double-quoted string, the folding of a `>` block.
 */
import yaml from 'js-yaml';

/** Thrown to give up; one instance, so giving up captures no stack. */
export const OUTSIDE = new Error('outside the notebook subset of YAML');

/** js-yaml's core-schema (= JSON schema) implicit types, in its order of trial. */
const IMPLICIT = ((yaml as unknown as { types: Record<string, { resolve(s: string): boolean; construct(s: string): unknown }> }).types);
const IMPLICIT_TYPES = [IMPLICIT.null, IMPLICIT.bool, IMPLICIT.int, IMPLICIT.float];

/** Plain keys that read as null or a boolean; any other typed key starts with a digit or `+-.~`. */
const TYPED_WORDS = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE']);

/** Whether a plain key reads as something other than a string (checked cheaply: this runs for every key). */
export function typedKey(key: string): boolean {
  const c = key.charCodeAt(0);
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) return key.length <= 5 && TYPED_WORDS.has(key);
  return typeof resolvePlain(key) !== 'string';
}

/** Not `__proto__` (special to objects), not integer-like (JavaScript orders those keys first). */
export function ordinaryKey(key: string): boolean {
  const c = key.charCodeAt(0);
  if (c >= 48 && c <= 57) return !/^(?:0|[1-9]\d*)$/.test(key);
  return key !== '__proto__';
}

/** A plain scalar's value: null, a boolean, a number, or the text, as js-yaml's core schema reads it. */
export function resolvePlain(raw: string): unknown {
  const c = raw.charCodeAt(0);
  // Only these first characters can start a null, boolean, integer or float: skip the trials otherwise.
  const maybeTyped = c === 126 /* ~ */ || (c >= 48 && c <= 57) || c === 43 /* + */ || c === 45 /* - */ || c === 46 /* . */ || c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70;
  if (!maybeTyped) return raw;
  for (const type of IMPLICIT_TYPES) if (type.resolve(raw)) return type.construct(raw);
  return raw;
}

/** A double-quoted scalar's escapes, when they are the ones JSON shares with YAML; else gives up. */
export function unescapeDouble(raw: string): string {
  if (!/^(?:[^\\]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*$/.test(raw)) throw OUTSIDE;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    throw OUTSIDE; // a raw control character, which JSON refuses
  }
}

/** Folding of a `>` scalar: a line break between lines of text becomes a space; blank lines stay breaks. */
export function fold(lines: string[]): string {
  let out = lines[0];
  let breaks = 0;
  for (let k = 1; k < lines.length; k++) {
    if (lines[k] === '') breaks++;
    else {
      out += breaks ? '\n'.repeat(breaks) : ' ';
      out += lines[k];
      breaks = 0;
    }
  }
  return out;
}

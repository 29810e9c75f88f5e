/**
 * Maps whose keys come from the imported file: header, query and form names, body fields, var
 * names. A plain `{}` treats `__proto__` as its prototype (a `json.__proto__.x` check or a
 * `__proto__[x]` form key once wrote to Object.prototype, and every later object in the process
 * had the key) and reads `constructor` or `toString` as inherited; an object without a
 * prototype holds every key as data, so `__proto__` in a body is written out as a key like any
 * other (the notebook sends it as written). Every map built from input keys is one of these.
 */
export type Dict<T> = Record<string, T>;

export function dict<T = unknown>(): Dict<T> {
  return Object.create(null) as Dict<T>;
}

/** The names a notebook cannot give a var, input or capture: JavaScript's prototype keys. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

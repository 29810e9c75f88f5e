/**
 * A memo of compiled text, bounded: cleared once it holds `limit` entries, so a process that
 * loads many notebooks (a watch mode, a test suite) does not keep every text it ever saw.
 * What `compile` throws is not kept: it is thrown anew, located, every time.
 */
export function memoByText<T>(compile: (text: string) => T, limit = 10_000): (text: string) => T {
  const memo = new Map<string, T>();
  return (text) => {
    let value = memo.get(text);
    if (value === undefined) {
      const own = ownCopy(text);
      value = compile(own);
      if (memo.size >= limit) memo.clear();
      memo.set(own, value);
    }
    return value;
  };
}

/**
 * The text in memory of its own. A template read from a notebook is a slice of the notebook's
 * whole text, and V8 keeps the whole text alive as long as the slice: a memo entry (or what was
 * compiled from it, which slices it again) kept the first of nine 4.5 MB notebooks through the
 * run. A round trip through JSON makes a fresh string (V8 copies substrings shorter than 13
 * characters anyway).
 */
export function ownCopy(text: string): string {
  // Through JSON, not bytes: a lone surrogate comes back as itself, not as U+FFFD.
  return text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string);
}

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
      value = compile(text);
      if (memo.size >= limit) memo.clear();
      memo.set(text, value);
    }
    return value;
  };
}

/**
 * Where, inside an expression's source, a diagnostic belongs: at the offending token, not at the
 * expression's start. jsep keeps no positions, so this reads the source's tokens itself: string
 * literals are skipped (a word inside quotes is text, not a name), a word after `.` is a property,
 * any other word is a name. Offsets are within the expression's source; -1 when not found.
 */

interface Word {
  text: string;
  index: number;
  /** Written after `.` (`body.constructor`): a property, not a name. */
  property: boolean;
}

const WORD_START = /[A-Za-z_$]/;
const WORD_CHAR = /[\w$]/;
const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const CLOSERS = new Set([')', ']', '}']);

/** The words of `source`, with where they are; strings and numbers are skipped. */
function words(source: string): Word[] {
  const out: Word[] = [];
  let afterDot = false;
  for (let i = 0; i < source.length; ) {
    const ch = source[i];
    if (ch === '"' || ch === "'" || ch === '`') {
      i = skipString(source, i);
      afterDot = false;
    } else if (/\d/.test(ch)) {
      // 1e5, 0x1f, 1.5: one number, whatever letters it holds.
      while (i < source.length && /[\w.]/.test(source[i])) i++;
      afterDot = false;
    } else if (WORD_START.test(ch)) {
      const start = i;
      while (i < source.length && WORD_CHAR.test(source[i])) i++;
      out.push({ text: source.slice(start, i), index: start, property: afterDot });
      afterDot = false;
    } else {
      if (ch === '.') afterDot = true;
      else if (!/\s/.test(ch)) afterDot = false;
      i++;
    }
  }
  return out;
}

/** Index just past the string literal that starts at `i`. */
function skipString(source: string, i: number): number {
  const quote = source[i];
  for (let j = i + 1; j < source.length; j++) {
    if (source[j] === '\\') j++;
    else if (source[j] === quote) return j + 1;
  }
  return source.length;
}

/** Where `name` is first used as a name (not a property, not inside a string). */
export function nameOffset(source: string, name: string): number {
  return words(source).find((w) => !w.property && w.text === name)?.index ?? -1;
}

/** Where `.name` is first read as a property. */
export function propertyOffset(source: string, name: string): number {
  return words(source).find((w) => w.property && w.text === name)?.index ?? -1;
}

/**
 * The innermost bracket that is opened and never closed, when every closer matches its opener:
 * `length(body.data == 1` → the `(`. Undefined when the brackets balance or cross (`(]`), where
 * the parser's own message is the better one.
 */
export function unclosedBracket(source: string): { index: number; open: string; close: string } | undefined {
  const stack: number[] = [];
  for (let i = 0; i < source.length; ) {
    const ch = source[i];
    if (ch === '"' || ch === "'" || ch === '`') {
      i = skipString(source, i);
      continue;
    }
    if (ch in OPENERS) stack.push(i);
    else if (CLOSERS.has(ch)) {
      const open = stack.pop();
      if (open === undefined || OPENERS[source[open]] !== ch) return undefined;
    }
    i++;
  }
  const index = stack.at(-1);
  return index === undefined ? undefined : { index, open: source[index], close: OPENERS[source[index]] };
}

/** The first character at or after `from` that is not a space or a separator jsep skips (`,` `;`). */
export function nextTokenOffset(source: string, from: number): number {
  let i = from;
  while (i < source.length && /[\s,;]/.test(source[i])) i++;
  return i;
}

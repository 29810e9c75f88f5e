/**
 * Where an unclosed quote or bracket was opened. The yaml library notices the missing `"` or `]`
 * where the file (or the collection) ends, which can be many lines later; the person needs the
 * place they opened it. A small forward scan of YAML's lexical rules (quoted scalars with their
 * escapes, comments, block scalars, flow brackets) up to the error finds the opener still open.
 */

/** Offset of the opener of `kind` still open at `until`, or undefined when the scan cannot tell. */
export function unclosedOpener(text: string, until: number, kind: '"' | "'" | ']' | '}'): number | undefined {
  const brackets: number[] = [];
  const end = Math.min(until, text.length);
  const lineEndFrom = (k: number) => (text.indexOf('\n', k) === -1 ? text.length : text.indexOf('\n', k));
  let blockIndent = -1; // inside a block scalar (`|`, `>`): the indentation of the line that opened it
  let lineIndent = 0;
  let prev = ''; // the last non-space character on this line outside a scalar's text
  let atLineStart = true;
  let i = 0;
  while (i < end) {
    if (atLineStart) {
      let j = i;
      while (text[j] === ' ') j++;
      const lineEnd = lineEndFrom(i);
      // A block scalar's more-indented and blank lines are text, quotes and all.
      if (blockIndent >= 0 && (j === lineEnd || j - i > blockIndent)) {
        i = lineEnd + 1;
        continue;
      }
      blockIndent = -1;
      lineIndent = j - i;
      prev = '';
      atLineStart = false;
      i = j;
      continue;
    }
    const ch = text[i];
    const atStart = prev === '' || ':-[{,?'.includes(prev);
    if (ch === '\n') {
      atLineStart = true;
      i++;
    } else if (ch === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      i = lineEndFrom(i);
    } else if ((ch === '"' || ch === "'") && atStart) {
      const close = closingQuote(text, i);
      if (close === -1 || close >= end) return kind === ch ? i : undefined;
      prev = ch;
      i = close + 1;
    } else if ((ch === '|' || ch === '>') && (prev === '' || prev === ':' || prev === '-') && /^[|>][-+0-9]*[ \t]*(#.*)?$/.test(text.slice(i, lineEndFrom(i)))) {
      blockIndent = lineIndent;
      i = lineEndFrom(i);
    } else {
      if ((ch === '[' || ch === '{') && (atStart || brackets.length)) brackets.push(i);
      else if ((ch === ']' || ch === '}') && brackets.length && text[brackets[brackets.length - 1]] === (ch === ']' ? '[' : '{')) brackets.pop();
      if (!/\s/.test(ch)) prev = ch;
      i++;
    }
  }
  const opener = kind === ']' ? '[' : kind === '}' ? '{' : undefined;
  return [...brackets].reverse().find((b) => text[b] === opener);
}

/** Offset of the quote closing the one at `open`, or -1. */
function closingQuote(text: string, open: number): number {
  const q = text[open];
  for (let j = open + 1; j < text.length; j++) {
    if (q === '"' && text[j] === '\\') j++;
    else if (text[j] === q) {
      if (q === "'" && text[j + 1] === "'") j++;
      else return j;
    }
  }
  return -1;
}

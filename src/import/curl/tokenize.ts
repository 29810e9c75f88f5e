/**
 * Shell text → curl command lines, each a list of words, as bash (or Windows cmd) would hand them
 * to curl. Pasted command lines come in two dialects: POSIX shells (`'…'`, `"…"`, `$'…'`, `\`
 * line continuations: docs, DevTools' "Copy as cURL (bash)") and cmd.exe (`^"…^"`, `^` escapes and
 * `^` continuations: DevTools' "Copy as cURL (cmd)"). A `$NAME` or `${NAME}` outside single quotes
 * is an environment variable the shell would have filled in: it is kept as a reference (ENV_REF)
 * so the importer can make it an input instead of a literal.
 */

/** Marks `$NAME` in a word: ENV_OPEN + NAME + ENV_CLOSE (characters no shell text holds). */
export const ENV_OPEN = '\u0001';
export const ENV_CLOSE = '\u0002';
export const ENV_REF = /\u0001([A-Za-z_][A-Za-z0-9_]*)\u0002/g;

export interface Word {
  text: string;
  line: number;
}

export interface Command {
  words: Word[];
  /** 1-based line where the command starts. */
  line: number;
  /** The command's own source text (for comments beside its step). */
  source: string;
  dialect: 'bash' | 'cmd';
}

export class ShellSyntaxError extends Error {
  constructor(message: string, readonly line: number, readonly hint: string) {
    super(message);
  }
}

/** Every command in `text`; lines that are comments (`#`, `REM`, `::`) or blank are skipped. */
export function splitCommands(text: string): Command[] {
  const commands: Command[] = [];
  const src = text.replace(/\r\n?/g, '\n');
  let at = 0;
  let line = 1;
  while (at < src.length) {
    const comment = /^[ \t]*(?:REM\b|::|#)[^\n]*(?:\n|$)/i.exec(src.slice(at));
    if (comment) {
      at += comment[0].length;
      line++;
      continue;
    }
    const start = at;
    const startLine = line;
    const dialect = looksLikeCmd(src, at) ? 'cmd' : 'bash';
    const read = dialect === 'cmd' ? readCmd(src, at, line) : readBash(src, at, line);
    at = read.end;
    line = read.line;
    if (read.words.length) commands.push({ words: read.words, line: startLine + leadingBlankLines(src.slice(start, at)), source: src.slice(start, at).trim(), dialect });
  }
  return commands;
}

function leadingBlankLines(text: string): number {
  return /^\s*/.exec(text)![0].split('\n').length - 1;
}

/** cmd's quoting is `^"…^"` and its continuation a line ending in ` ^`: DevTools writes both. */
function looksLikeCmd(src: string, at: number): boolean {
  const end = commandEnd(src, at);
  const chunk = src.slice(at, end);
  return /\^"/.test(chunk) || /[ \t]\^\n/.test(chunk);
}

/** A rough end of the command starting at `at` (for dialect detection only): a newline not continued. */
function commandEnd(src: string, at: number): number {
  for (let i = at; i < src.length; i++) {
    if (src[i] === '\n' && src[i - 1] !== '\\' && src[i - 1] !== '^' && /\S/.test(src.slice(at, i))) return i;
  }
  return src.length;
}

interface Read {
  words: Word[];
  end: number;
  line: number;
}

function readBash(src: string, at: number, line: number): Read {
  const words: Word[] = [];
  let word: string | undefined;
  let wordLine = line;
  const push = () => {
    if (word !== undefined) words.push({ text: word, line: wordLine });
    word = undefined;
  };
  const add = (s: string) => {
    if (word === undefined) {
      word = '';
      wordLine = line;
    }
    word += s;
  };
  let i = at;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') {
      push();
      line++;
      i++;
      if (words.length) return { words, end: i, line };
      continue;
    }
    if (c === ' ' || c === '\t') {
      push();
      i++;
    } else if (c === '#' && word === undefined) {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '\\') {
      if (src[i + 1] === '\n') line++;
      else if (i + 1 < src.length) add(src[i + 1]!);
      i += 2;
    } else if (c === "'") {
      const close = src.indexOf("'", i + 1);
      if (close < 0) throw unclosed("'", line);
      const body = src.slice(i + 1, close);
      add(body);
      line += count(body, '\n');
      i = close + 1;
    } else if (c === '$' && src[i + 1] === "'") {
      const r = ansiC(src, i + 2, line);
      add(r.text);
      line = r.line;
      i = r.end;
    } else if (c === '"') {
      const r = doubleQuoted(src, i + 1, line);
      add(r.text);
      line = r.line;
      i = r.end;
    } else if (c === '$' && /[A-Za-z_{]/.test(src[i + 1] ?? '')) {
      const r = envRef(src, i + 1);
      add(r.text);
      i = r.end;
    } else if (c === ';' || c === '|' || c === '&') {
      // `curl … ; curl …`, `curl … | jq`, `curl … && …`: what follows is another command (or not curl's).
      push();
      while (src[i] === ';' || src[i] === '|' || src[i] === '&') i++;
      if (words.length) return { words, end: i, line };
    } else {
      add(c);
      i++;
    }
  }
  push();
  return { words, end: i, line };
}

function unclosed(quote: string, line: number): ShellSyntaxError {
  return new ShellSyntaxError(`a ${quote} quote opened on this line is never closed`, line, `close the quote, or copy the command line again`);
}

function count(text: string, c: string): number {
  return text.split(c).length - 1;
}

/** `"…"`: `\` escapes only `"`, `\`, `$`, `` ` `` and a newline; `$NAME` is a reference. */
function doubleQuoted(src: string, i: number, line: number): { text: string; end: number; line: number } {
  const startLine = line;
  let text = '';
  while (i < src.length) {
    const c = src[i]!;
    if (c === '"') return { text, end: i + 1, line };
    if (c === '\\' && '"\\$`\n'.includes(src[i + 1] ?? '')) {
      if (src[i + 1] === '\n') line++;
      else text += src[i + 1];
      i += 2;
      continue;
    }
    if (c === '$' && /[A-Za-z_{]/.test(src[i + 1] ?? '')) {
      const r = envRef(src, i + 1);
      text += r.text;
      i = r.end;
      continue;
    }
    if (c === '\n') line++;
    text += c;
    i++;
  }
  throw unclosed('"', startLine);
}

function envRef(src: string, i: number): { text: string; end: number } {
  const m = src[i] === '{' ? /^\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(src.slice(i)) : /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
  if (!m) return { text: '$', end: i };
  const name = m[1] ?? m[0];
  return { text: `${ENV_OPEN}${name}${ENV_CLOSE}`, end: i + m[0].length };
}

const C_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

/** `$'…'` (ANSI-C quoting, what Chrome writes when a value holds a quote or a newline). */
function ansiC(src: string, i: number, line: number): { text: string; end: number; line: number } {
  const startLine = line;
  let text = '';
  while (i < src.length) {
    const c = src[i]!;
    if (c === "'") return { text, end: i + 1, line };
    if (c !== '\\') {
      if (c === '\n') line++;
      text += c;
      i++;
      continue;
    }
    const n = src[i + 1] ?? '';
    const hex = /^(?:x([0-9A-Fa-f]{1,2})|u([0-9A-Fa-f]{1,4})|U([0-9A-Fa-f]{1,8})|([0-7]{1,3}))/.exec(src.slice(i + 1));
    if (C_ESCAPES[n] !== undefined) {
      text += C_ESCAPES[n];
      i += 2;
    } else if (hex) {
      const code = parseInt(hex[1] ?? hex[2] ?? hex[3] ?? hex[4]!, hex[4] ? 8 : 16);
      text += String.fromCodePoint(Math.min(code, 0x10ffff));
      i += 1 + hex[0].length;
    } else {
      text += '\\' + n;
      i += 2;
    }
  }
  throw unclosed("$'", startLine);
}

/**
 * cmd.exe: first `^` escapes the next character (at a line end, the line continues and the first
 * character of the next one is taken as is), then curl's C runtime splits the arguments: `"`
 * toggles quoting, `\"` is a quote, backslashes before a quote halve.
 */
function readCmd(src: string, at: number, line: number): Read {
  let plain = '';
  let i = at;
  const lineOfChar: number[] = [];
  const emit = (c: string) => {
    plain += c;
    lineOfChar.push(line);
  };
  for (; i < src.length; i++) {
    const c = src[i]!;
    if (c === '^') {
      const next = src[i + 1];
      if (next === '\n') {
        line++;
        i++;
        // The first character of the continued line is escaped too: `^\n\n` is a newline in a value.
        if (src[i + 1] === '\n') {
          line++;
          emit('\n');
          i++;
        }
      } else if (next !== undefined) {
        emit(next);
        i++;
      }
      continue;
    }
    if (c === '\n') {
      line++;
      if (/\S/.test(plain)) {
        i++;
        break;
      }
      plain = '';
      lineOfChar.length = 0;
      continue;
    }
    emit(c);
  }
  return { words: msvcArgs(plain, lineOfChar), end: i, line };
}

function msvcArgs(text: string, lines: number[]): Word[] {
  const words: Word[] = [];
  let word: string | undefined;
  let wordLine = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (!quoted && (c === ' ' || c === '\t' || c === '\n')) {
      if (word !== undefined) words.push({ text: word, line: wordLine });
      word = undefined;
      continue;
    }
    if (word === undefined) {
      word = '';
      wordLine = lines[i] ?? 1;
    }
    if (c === '\\') {
      let n = 0;
      while (text[i + n] === '\\') n++;
      if (text[i + n] === '"') {
        word += '\\'.repeat(Math.floor(n / 2));
        if (n % 2 === 1) word += '"';
        else quoted = !quoted;
        i += n;
      } else {
        word += '\\'.repeat(n);
        i += n - 1;
      }
    } else if (c === '"') quoted = !quoted;
    else word += c;
  }
  if (word !== undefined) words.push({ text: word, line: wordLine });
  return words;
}

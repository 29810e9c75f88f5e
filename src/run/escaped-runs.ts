/**
 * Texts in which every character of a secret is encoded the same way: each byte `%XX` (even
 * letters and digits, as "escape everything" encoders write), each character `&#NN;` / `&#xHH;`
 * or `\uXXXX`, base64 broken into lines (MIME 76, PEM 64; the break raw or JSON-escaped), UTF-16
 * bytes read back one per character (`s\0k\0…`, raw or `\u0000`). A regex per secret for these
 * would grow with the secret (a 1,000-character JWT made ~250 KB of regex, 10 s to compile);
 * instead each such run is found with one fixed regex, decoded, and searched with the secret's
 * literal forms (`redactPlain`). A run that held a secret is replaced by its decoded text with the
 * secret masked; any other run is left as it was.
 */

/** Units of a run; 4 or more in a row (a secret is at least 4 characters). */
const PERCENT = '(?:%(?:25)?[0-9A-Fa-f]{2})';
const ENTITY = '(?:&(?:amp;)?#(?:[0-9]{1,7}|[xX][0-9A-Fa-f]{1,6});)';
const JSON_UNIT = '(?:\\\\{1,8}[uU][0-9A-Fa-f]{4})';
const B64 = '[A-Za-z0-9+/_=-]';
/** A line break, raw or JSON-escaped (once or more: a JSON dump of a JSON text). */
const LINE_BREAK = '(?:\\r?\\n|(?:\\\\{1,8}r)?\\\\{1,8}n)';

const RUNS = new RegExp(
  [
    `(?<percent>${PERCENT}{4,})`,
    `(?<entity>${ENTITY}{4,})`,
    `(?<json>${JSON_UNIT}{4,})`,
    // From the start of a base64 word only (the lookbehind): else a long word would be tried from each of its characters.
    `(?<base64>(?<!${B64})${B64}+(?:${LINE_BREAK}${B64}+)+)`,
  ].join('|'),
  'g',
);

/**
 * Text that may be UTF-16 bytes read one per character: characters up to U+00FF, raw or
 * JSON-escaped. Looked for only in a string with a NUL (raw or `\u0000`): every UTF-16 text of
 * a secret with a character below U+0100 has one.
 */
const BYTE_TEXT = /(?:\\+u00[0-9A-Fa-f]{2}|\\+[^u\\]|[\x00-\xff])+/g;
const HAS_NUL = /\0|\\u0000/;

/**
 * `s` with every run that decodes to a text holding a secret replaced by that text, redacted.
 * Decoding a run may bring out another escaped form inside it (a JSON dump of a JSON text): it is
 * read again, a few times at most, until nothing changes.
 */
export function redactEscapedRuns(s: string, redactPlain: (text: string) => string): string {
  for (let pass = 0; pass < 4; pass++) {
    const next = redactRunsOnce(s, redactPlain);
    if (next === s) break;
    s = redactPlain(next);
  }
  return s;
}

function redactRunsOnce(s: string, redactPlain: (text: string) => string): string {
  RUNS.lastIndex = 0;
  if (RUNS.test(s)) {
    s = s.replace(RUNS, (run: string, ...rest: unknown[]) => {
      const groups = rest[rest.length - 1] as Record<string, string | undefined>;
      const decoded = decode(run, groups);
      const safe = redactPlain(decoded);
      return safe === decoded ? run : safe;
    });
  }
  if (HAS_NUL.test(s)) s = s.replace(BYTE_TEXT, (run) => redactUtf16(run, redactPlain));
  return s;
}

function decode(run: string, groups: Record<string, string | undefined>): string {
  if (groups.percent) {
    // %25XX is XX encoded twice; %25 before anything else is a `%`.
    return Buffer.from(run.replace(/%(?:25(?=[0-9A-Fa-f]{2}))?([0-9A-Fa-f]{2})/g, '$1'), 'hex').toString('utf8');
  }
  if (groups.entity) {
    return run.replace(/&(?:amp;)?#(?:([0-9]+)|[xX]([0-9A-Fa-f]+));/g, (_, dec: string | undefined, hex: string | undefined) => codePoint(dec ? Number(dec) : parseInt(hex!, 16)));
  }
  // Nothing but \uXXXX units: JSON.parse decodes them natively, once the backslashes are one each.
  if (groups.json) return JSON.parse(`"${run.replace(/\\+[uU]/g, '\\u')}"`) as string;
  return run.replace(/\r?\n|(?:\\+r)?\\+n/g, '');
}

const JSON_SHORT: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };

/** The run with one level of JSON escapes undone (`\u0000`, `\"`, `\\`, `\n`), pairing backslashes from the left. */
function jsonUnescaped(run: string): string {
  if (!run.includes('\\')) return run;
  return run.replace(/\\(?:u([0-9A-Fa-f]{4})|(.))/gs, (_, h: string | undefined, c: string) => (h ? String.fromCharCode(parseInt(h, 16)) : JSON_SHORT[c] ?? c));
}

/** JSON-escaped text of characters up to U+00FF (what UTF-16 bytes read one per character are), JSON-escaped once. */
const ESCAPED_UTF16 = /(?:\\u00[0-9A-Fa-f]{2}|\\["\\/bfnrt]|[^\\\0\n\r\u0100-\uffff])+/g;

/** The run's bytes read as UTF-16: raw NULs as they are (a text body), then any JSON-escaped stretch of them (a JSON dump). */
function redactUtf16(run: string, redactPlain: (text: string) => string): string {
  let out = run.includes('\0') ? redactBytes(run, redactPlain) : run;
  if (out.includes('u0000')) {
    out = out.replace(ESCAPED_UTF16, (stretch) => {
      if ((stretch.match(/\\u0000/g)?.length ?? 0) < 2) return stretch;
      const bytes = jsonUnescaped(stretch);
      const safe = redactBytes(bytes, redactPlain);
      return safe === bytes ? stretch : safe;
    });
  }
  return out;
}

/**
 * Each of the four readings (LE, BE, from the first or the second byte) in turn: a text body may
 * hold several UTF-16 texts, each at its own alignment. Only the part of a reading that changed
 * is shown decoded; the text around it stays as the bytes it was.
 */
function redactBytes(latin1: string, redactPlain: (text: string) => string): string {
  let current = latin1;
  // A replacement changes the length before what follows, and so its alignment: read again until nothing changes.
  for (let pass = 0, changed = true; changed && pass < 8; pass++) {
    changed = false;
    for (const [start, big] of [[0, false], [0, true], [1, false], [1, true]] as const) {
      const bytes = Buffer.from(current, 'latin1');
      const even = bytes.subarray(start, start + ((bytes.length - start) & ~1));
      const text = (big ? Buffer.from(even).swap16() : even).toString('utf16le');
      const safe = redactPlain(text);
      if (safe === text) continue;
      let head = 0;
      while (head < text.length && text[head] === safe[head]) head++;
      let tail = 0;
      while (tail < text.length - head && text[text.length - 1 - tail] === safe[safe.length - 1 - tail]) tail++;
      const end = start + even.length;
      current = current.slice(0, start + 2 * head) + safe.slice(head, safe.length - tail) + current.slice(end - 2 * tail);
      changed = true;
    }
  }
  return current;
}

function codePoint(n: number): string {
  return n <= 0x10ffff ? String.fromCodePoint(n) : '\ufffd';
}

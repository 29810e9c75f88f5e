/**
 * The regexes that find one secret in the forms it can take on its way to an output: raw, in any
 * letter case (upper, lower or mixed: a server that normalises case) and in each Unicode normal
 * form (NFC, NFD, NFKC, NFKD); percent-encoded (upper or lower hex, any encode set: WHATWG
 * path/query/userinfo, RFC 3986, forms with `+` for spaces, encoded again) or `\xNN`-escaped;
 * JSON-escaped (`\"`, `\\`, `\n`, `\u00e9`, escaped again); HTML/XML-escaped (`&quot;`, `&#39;`,
 * `&#x27;`, `&amp;lt;`); base64 (the secret alone, `secret:`, and at any offset inside a longer
 * base64 text such as a basic-auth `user:secret`); hex of its UTF-8 bytes, either case. The
 * punctuation of a secret may each take a different form; a text mixing them is still one match.
 * Letters and digits stay literal (most of a token), which keeps the regexes small: their size is
 * what compiling and scanning cost. The forms where letters are escaped too (every character
 * `%XX`, `&#NN;`, `\uXXXX`), wrapped base64 and UTF-16 text are found by escaped-runs.ts instead.
 *
 * Two sets, so the common string costs little: every escaped form holds a `%XX`, an entity or a
 * `\`. A string with none of those, no NUL and no line break (most header values, ids, plain
 * JSON strings) can only hold the literal forms, and is scanned with `fast`, a short regex of
 * literals; any other string with `full`, which has every form.
 */

export interface Source {
  source: string;
  /** What it matches is at least this long: longer forms are tried first. */
  length: number;
}

/**
 * What every escaped, UTF-16 or wrapped form holds: a `%XX`, an entity, a backslash, a NUL, a line
 * break. A string with one of them is scanned with `full`; any other (`?a=1&b=2` included) with `fast`.
 */
export const NEEDS_FULL = /%[0-9A-Fa-f]{2}|&(?:#|[A-Za-z]+;)|[\\\0\n\r]/;

/**
 * Regex sources for the forms of `secret`: `fast` for strings without NEEDS_FULL, `full` for the
 * rest. The uniform escapes (every character `%XX`, `&#NN;`, `\uXXXX`), wrapped base64 and UTF-16
 * text are not here: escaped-runs.ts decodes such runs and looks for the secret in what they say,
 * at a cost that does not grow with the secret's length.
 */
export function secretPatternSources(secret: string): { fast: Source[]; full: Source[] } {
  const fast: Source[] = [];
  const full: Source[] = [];
  // Letters match in either case, so the upper- and lower-cased secrets need no source of their own.
  for (const variant of textVariants(secret)) {
    fast.push({ source: literalForms(variant), length: variant.length });
    full.push({ source: anyEncoding(variant), length: variant.length });
  }
  for (const f of [...base64Forms(secret), ...hexForms(secret)]) {
    const source = { source: escapeRegExp(f), length: f.length };
    fast.push(source);
    full.push(source);
  }
  return { fast: dedupe(fast), full: dedupe(full) };
}

function dedupe(sources: Source[]): Source[] {
  const seen = new Set<string>();
  return sources.filter((s) => !seen.has(s.source) && seen.add(s.source));
}

/**
 * The secret and the texts a server may turn it into before escaping it: its Unicode normal
 * forms (a server that stores NFD, a macOS file name), and each of them upper- and lower-cased
 * whole (a server that normalises a header or an id; `ß` becomes `SS`).
 */
function textVariants(secret: string): string[] {
  const variants = new Set([secret]);
  for (const form of ['NFC', 'NFD', 'NFKC', 'NFKD'] as const) variants.add(secret.normalize(form));
  const codePoints = (t: string) => [...t].length;
  for (const v of [...variants]) {
    // Only the case changes that are not one character for another: the sources match letters in either case.
    for (const c of [v.toUpperCase(), v.toLowerCase()]) if (codePoints(c) !== codePoints(v)) variants.add(c);
  }
  return [...variants];
}

/** The forms without escapes: each character raw, in either case, a space also `+`. */
function literalForms(text: string): string {
  let source = '';
  for (const c of text) source += c === ' ' ? '[ +]' : eitherCase(c, escapeRegExp(c));
  return source;
}

/** `c` in lower or upper case (when each is one character), `as` otherwise. */
function eitherCase(c: string, as: string): string {
  const [lower, upper] = [c.toLowerCase(), c.toUpperCase()];
  if (lower === upper || [...lower].length !== 1 || [...upper].length !== 1) return as;
  return `[${lower}${upper}]`;
}

/**
 * A regex source matching `text` with each character but letters and digits in any of the forms
 * it can take, and letters in either case (a secret upper- or lower-cased, then escaped).
 */
function anyEncoding(text: string): string {
  let source = '';
  for (const c of text) {
    if (/[0-9]/.test(c)) source += c;
    else if (/[A-Za-z]/.test(c)) source += `[${c.toLowerCase()}${c.toUpperCase()}]`;
    else {
      const [lower, upper] = [c.toLowerCase(), c.toUpperCase()];
      // A letter beyond ASCII (ü, Ж) in both cases, each in all its forms.
      source += lower !== upper && [...lower].length === 1 && [...upper].length === 1 ? `(?:${charForms(lower)}|${charForms(upper)})` : charForms(c);
    }
  }
  return source;
}


const NAMED_ENTITIES: Record<string, string[]> = { '"': ['quot'], "'": ['apos'], '&': ['amp'], '<': ['lt'], '>': ['gt'] };
const JSON_SHORT: Record<string, string> = { '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't' };

/**
 * How many times a form may be escaped again (backslashes double, `%` becomes `%25`, `&` becomes
 * `&amp;`). Bounded, never `*`, and a run of backslashes is taken from its start only (the
 * lookbehind): otherwise a body of 100,000 backslashes would be scanned again from each of them,
 * in quadratic time. 31 backslashes is a quote JSON-escaped five times.
 */
const REPEAT = { backslashes: 31, percent: 4, amp: 4, zeros: 8 };
/** Any backslashes (none included) before a raw character or an entity. */
const BACKSLASHES = `(?:(?<!\\\\)\\\\{1,${REPEAT.backslashes}})?`;
/** The backslashes of a JSON escape: a whole run, or the last one of a longer run. */
const SOME_BACKSLASHES = `(?:(?<!\\\\)\\\\{1,${REPEAT.backslashes}}|\\\\)`;

/** Hex digits of `n`, as a source matching them in upper or lower case. */
const hex = (n: number, width: number) => anyCaseHex(n.toString(16).padStart(width, '0'));

function anyCaseHex(digits: string): string {
  return digits.replace(/[a-f]/gi, (d) => `[${d.toLowerCase()}${d.toUpperCase()}]`);
}

function charForms(c: string): string {
  const cp = c.codePointAt(0)!;
  // Longer forms first: at the end of a secret, a raw `%` must not win over `%25` and leave `25`.
  // Each UTF-8 byte percent-encoded (possibly again: %2521) or as \xNN.
  let bytes = '';
  for (const b of Buffer.from(c, 'utf8')) bytes += `(?:%(?:25){0,${REPEAT.percent}}|\\\\x)${hex(b, 2)}`;
  const alternatives = [bytes];
  // JSON: \uXXXX (a surrogate pair beyond the BMP), or \n and friends; backslashes doubled when escaped again.
  let units = '';
  for (let i = 0; i < c.length; i++) units += `${SOME_BACKSLASHES}u${hex(c.charCodeAt(i), 4)}`;
  alternatives.push(units);
  if (JSON_SHORT[c]) alternatives.push(`${SOME_BACKSLASHES}${JSON_SHORT[c]}`);
  // As an HTML entity (escaped again or not) or raw, after any backslashes a JSON or Markdown
  // escape put before it.
  const zeros = `0{0,${REPEAT.zeros}}`;
  const entities = [...(NAMED_ENTITIES[c] ?? []), `#${zeros}${cp}`, `#[xX]${zeros}${hex(cp, 1)}`];
  alternatives.push(`${BACKSLASHES}(?:&(?:amp;){0,${REPEAT.amp}}(?:${entities.join('|')});|${escapeRegExp(c)})`);
  if (c === ' ') alternatives.push('\\+');
  return `(?:${alternatives.join('|')})`;
}


/**
 * The secret in base64 (and base64url): alone, as a basic-auth username with an empty password
 * (`secret:`), and the part of its encoding that is the same at any offset in a longer text
 * (`user:secret`, a token inside a JWT-like blob), when that part is long enough to be unique.
 */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = [bytes.toString('base64'), Buffer.from(`${secret}:`, 'utf8').toString('base64'), ...base64Cores(secret)];
  const withUrl = forms.flatMap((f) => [f, f.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')]);
  return [...new Set(withUrl)];
}

/** The characters of the secret's base64 that do not depend on what comes before it, at each of the 3 offsets. */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const core = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
    if (core.length >= 8) cores.push(core);
  }
  return cores;
}


/** Hex of the secret's UTF-8 bytes, lower and upper case (a digest-like dump, `xxd -p`, a hex-encoded header). */
function hexForms(secret: string): string[] {
  const hex = Buffer.from(secret, 'utf8').toString('hex');
  return [hex, hex.toUpperCase()];
}


function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

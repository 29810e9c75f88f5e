/**
 * The regex that finds one secret in any form it can take on its way to an output: raw;
 * percent-encoded (upper or lower hex, any encode set: WHATWG path/query/userinfo, RFC 3986, forms
 * with `+` for spaces, encoded again); JSON-escaped (`\"`, `\\`, `\n`, `\u00e9`, escaped again);
 * HTML/XML-escaped (`&quot;`, `&#39;`, `&#x27;`, `&amp;lt;`); and base64 (the secret alone,
 * `secret:`, and at any offset inside a longer base64 text such as a basic-auth `user:secret`).
 * Each character may take a different form; a text mixing them is still one match.
 */

/** Regex sources for every form of `secret`, each with the length of what it matches at least. */
export function secretPatternSources(secret: string): Array<{ source: string; length: number }> {
  return [{ source: anyEncoding(secret), length: secret.length }, ...base64Forms(secret).map((f) => ({ source: escapeRegExp(f), length: f.length }))];
}

/** A regex source matching `secret` with each character in any of the forms it can take. */
function anyEncoding(secret: string): string {
  let source = '';
  for (const c of secret) source += /[A-Za-z0-9]/.test(c) ? c : charForms(c);
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

function charForms(c: string): string {
  const cp = c.codePointAt(0)!;
  // Longer forms first: at the end of a secret, a raw `%` must not win over `%25` and leave `25`.
  // Percent-encoded UTF-8, upper or lower hex, possibly encoded again (%2521).
  let bytes = '';
  for (const b of Buffer.from(c, 'utf8')) bytes += `%(?:25){0,${REPEAT.percent}}${anyCaseHex(b.toString(16).padStart(2, '0'))}`;
  const alternatives = [bytes];
  // JSON: \uXXXX (a surrogate pair beyond the BMP), or \n and friends; backslashes doubled when escaped again.
  let units = '';
  for (let i = 0; i < c.length; i++) units += `${SOME_BACKSLASHES}u${anyCaseHex(c.charCodeAt(i).toString(16).padStart(4, '0'))}`;
  alternatives.push(units);
  if (JSON_SHORT[c]) alternatives.push(`${SOME_BACKSLASHES}${JSON_SHORT[c]}`);
  // As an HTML entity (escaped again or not) or raw, after any backslashes a JSON or Markdown
  // escape put before it.
  const zeros = `0{0,${REPEAT.zeros}}`;
  const entities = [...(NAMED_ENTITIES[c] ?? []), `#${zeros}${cp}`, `#[xX]${zeros}${anyCaseHex(cp.toString(16))}`];
  alternatives.push(`${BACKSLASHES}(?:&(?:amp;){0,${REPEAT.amp}}(?:${entities.join('|')});|${escapeRegExp(c)})`);
  if (c === ' ') alternatives.push('\\+');
  return `(?:${alternatives.join('|')})`;
}

function anyCaseHex(hex: string): string {
  return hex.replace(/[a-f]/gi, (d) => `[${d.toLowerCase()}${d.toUpperCase()}]`);
}

/**
 * The secret in base64 (and base64url): alone, as a basic-auth username with an empty password
 * (`secret:`), and the part of its encoding that is the same at any offset in a longer text
 * (`user:secret`, a token inside a JWT-like blob), when that part is long enough to be unique.
 */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = [bytes.toString('base64'), Buffer.from(`${secret}:`, 'utf8').toString('base64')];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const core = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
    if (core.length >= 8) forms.push(core);
  }
  const withUrl = forms.flatMap((f) => [f, f.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')]);
  return [...new Set(withUrl)];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

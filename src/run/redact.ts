/**
 * Secrets (secret inputs, credentials, tokens) are replaced with [REDACTED] in every result and
 * log line before any reporter or logger sees them, so no output path can leak them. Each secret
 * is matched in every form it can take (raw in any case, percent-encoded, JSON- and HTML-escaped,
 * base64, hex, UTF-16, Unicode normal forms: see secret-patterns.ts); all of them share one regex
 * in an ordinary run, so a string is scanned once however many secrets there are, and a string
 * with no `%`, `&`, `\`, NUL or line break (most of them) with a much shorter regex of the literal
 * forms only. Secrets under 4 characters are refused, never printed.
 */
import { redactEscapedRuns } from './escaped-runs.js';
import { NEEDS_FULL, secretPatternSources, type Source } from './secret-patterns.js';

export const REDACTED = '[REDACTED]';
/** A secret shorter than this would blank ordinary text ("id", "ok") everywhere: it is refused. */
export const MIN_SECRET_LENGTH = 4;
const SENSITIVE_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);

/** Length in characters as a person counts them (an emoji is one). */
export function secretLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/** Non-empty and under MIN_SECRET_LENGTH: cannot be redacted safely, so it must not be used. */
export function tooShortToRedact(value: string): boolean {
  return value.length > 0 && secretLength(value) < MIN_SECRET_LENGTH;
}

/** Why a short secret is refused; `what` names it ("secret input `pin`", "the bearer token"). */
export function shortSecretMessage(what: string, value: string): string {
  const n = secretLength(value);
  return `${what} is ${n} character${n === 1 ? '' : 's'} long; secrets under ${MIN_SECRET_LENGTH} characters are refused, because redacting them would blank ordinary text in every report and printing them would leak them`;
}

export class SecretTooShortError extends Error {}

/**
 * V8 compiles a regex to machine code only up to a size: past ~15 KiB of alternatives it falls back
 * to a bytecode interpreter about 500 times slower (measured: 32 random tokens 1 µs per string, 48
 * tokens 600 µs). Secrets are therefore split over as few regexes as keep under these bounds:
 * one for every ordinary run, a few more for a run with dozens of credentials.
 */
const MAX_SECRETS_PER_REGEX = 16;
const MAX_SOURCE_PER_REGEX = 8 * 1024;

interface SecretPattern {
  /** The raw secret's length: longer secrets are tried first. */
  length: number;
  /** Regex sources for its forms, each with the length of what it matches at least (secret-patterns.ts). */
  fast: Source[];
  full: Source[];
}

/**
 * Every redactor this process made, held weakly: an internal error's report (exit 70) may quote
 * a request, a header or a value in its message or stack, and must hide their secrets as well.
 */
const liveRedactors = new Set<WeakRef<Redactor>>();

/** `text` with the secrets of every redactor still alive in this process hidden. */
export function redactWithEvery(text: string): string {
  let out = text;
  for (const ref of liveRedactors) {
    const redactor = ref.deref();
    if (redactor) out = redactor.text(out);
    else liveRedactors.delete(ref);
  }
  return out;
}

export class Redactor {
  private readonly known = new Set<string>();
  private readonly secrets: SecretPattern[] = [];
  /** For strings without `%`, `&`, `\`, NUL or line breaks: the literal forms only. */
  private fast: RegExp[] = [];
  /** For every other string: every form. */
  private full: RegExp[] = [];
  /** Some secret looks like a number (a PIN): numbers in bodies are then checked too. */
  private numeric = false;

  constructor() {
    liveRedactors.add(new WeakRef(this));
  }

  /**
   * Adds a secret in all its forms. An empty value has nothing to hide; a value under
   * MIN_SECRET_LENGTH throws: callers refuse it with a message that names it, before it is used.
   */
  add(value: unknown): void {
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const text = String(value);
    if (!text || this.known.has(text)) return;
    if (tooShortToRedact(text)) throw new SecretTooShortError(shortSecretMessage('a secret', text));
    this.known.add(text);
    if (/^[-+0-9.eE]+$/.test(text)) this.numeric = true;
    this.secrets.push({ length: text.length, ...secretPatternSources(text) });
    this.compile();
  }

  /**
   * Longest secret first, in every regex and across them: a secret that contains another must be
   * replaced whole before the shorter one could cut it in two.
   */
  private compile(): void {
    this.secrets.sort((a, b) => b.length - a.length);
    this.fast = compileGroups(this.secrets.map((s) => s.fast));
    this.full = compileGroups(this.secrets.map((s) => s.full));
  }

  /** The regexes for `s`: a string that cannot hold an escaped form is scanned for the literal ones only. */
  private patternsFor(s: string): RegExp[] {
    return NEEDS_FULL.test(s) ? this.full : this.fast;
  }

  /** Whether some secret is in `s`. */
  private found(s: string): boolean {
    return this.text(s) !== s;
  }

  /** How many secrets are known (0: nothing to redact but the sensitive headers). */
  get size(): number {
    return this.known.size;
  }

  text(s: string): string {
    if (!NEEDS_FULL.test(s)) {
      for (const p of this.fast) s = s.replace(p, REDACTED);
      return s;
    }
    for (const p of this.full) s = s.replace(p, REDACTED);
    // Every character escaped alike, wrapped base64, UTF-16 text: decoded, then searched (escaped-runs.ts).
    return this.secrets.length ? redactEscapedRuns(s, (decoded) => this.plain(decoded)) : s;
  }

  /** A decoded run: its secrets in any form but another run (each run is decoded once). */
  private plain(s: string): string {
    for (const p of this.patternsFor(s)) s = s.replace(p, REDACTED);
    return s;
  }

  /**
   * A body the client stopped reading (too large, a timeout, an interrupt) may end in the first
   * part of a secret, which no pattern matches. Redacts, then drops as many final characters as
   * the longest form of the longest secret can take (at most 80 per character: a character
   * JSON-escaped five times as a surrogate pair).
   */
  trimCutEnd(s: string): string {
    if (!this.secrets.length) return s;
    const safe = this.text(s);
    const longest = Math.max(...[...this.known].map(secretLength));
    return safe.slice(0, Math.max(0, safe.length - 80 * longest));
  }

  /** Redacts, then cuts: a cut made first could split a secret and leave its prefix unmatched. */
  excerpt(s: string, max: number): string {
    const safe = this.text(s);
    return safe.length > max ? `${safe.slice(0, max)}…` : safe;
  }

  /**
   * The credentials in the sensitive headers of a request (a literal `Authorization`, a `Cookie`)
   * are secrets too, wherever else they show up: an echo, a later URL. Parts too short to redact
   * are left out (the header itself is always masked whole). Not called with responses: a server
   * that sets a new tracking cookie on every response would add a secret per step.
   */
  addFromHeaders(h: Record<string, string>): void {
    for (const [name, value] of Object.entries(h)) {
      const key = name.toLowerCase();
      if (!SENSITIVE_HEADERS.has(key)) continue;
      for (const part of credentialsIn(key, value)) if (!tooShortToRedact(part)) this.add(part);
    }
  }

  headers(h: Record<string, string>): Record<string, string> {
    // fromEntries defines each key as its own property: a header named `__proto__` stays a header.
    return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, SENSITIVE_HEADERS.has(k.toLowerCase()) ? REDACTED : this.text(v)]));
  }

  /**
   * Any JSON-like value with every secret replaced (keys too). Copy-on-write: only the objects
   * on the way to a replaced string are copied (most step results hold no secret at all, or only
   * in one header), and the top level always is, so callers may set its fields.
   */
  value<T>(v: T): T {
    const out = this.fast.length ? this.walk(v) : v;
    return (out === v ? shallowCopy(v) : out) as T;
  }

  private walk(v: unknown): unknown {
    if (typeof v === 'string') return this.text(v);
    // Bytes (a binary body) are never shown, only their size and digest: not walked byte by byte.
    if (ArrayBuffer.isView(v)) return v;
    if (Array.isArray(v)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const x = this.walk(v[i]);
        if (x !== v[i]) (copy ??= v.slice())[i] = x;
      }
      return copy ?? v;
    }
    // A secret that is all digits comes back from a server as a JSON number, not a string.
    if (typeof v === 'number' && this.numeric) {
      return this.found(String(v)) ? REDACTED : v;
    }
    // An Error's message and stack are not enumerable: copied by hand, or a log would lose them.
    if (v instanceof Error) return { type: v.name, message: this.text(v.message), stack: v.stack && this.text(v.stack) };
    if (v !== null && typeof v === 'object') {
      let changed = false;
      const entries: Array<[string, unknown]> = [];
      for (const k in v) {
        if (!Object.hasOwn(v, k)) continue;
        const x = (v as Record<string, unknown>)[k];
        const safeKey = this.walk(k) as string;
        const safe = this.walk(x);
        if (safeKey !== k || safe !== x) changed = true;
        entries.push([safeKey, safe]);
      }
      return changed ? Object.fromEntries(entries) : v;
    }
    return v;
  }
}

/** `Bearer x` → x; `Basic b64` → b64 and the password in it; `a=x; b=y` → x, y; else the value. */
function credentialsIn(header: string, value: string): string[] {
  if (header === 'cookie' || header === 'set-cookie') {
    // set-cookie: only the first pair is the cookie; the rest are its attributes.
    const pairs = header === 'set-cookie' ? value.split(/,(?=\s*[^;,=\s]+=)/).map((c) => c.split(';')[0]) : value.split(';');
    return pairs.map((p) => p.slice(p.indexOf('=') + 1).trim()).filter(Boolean);
  }
  const space = value.indexOf(' ');
  if (space < 0 || !/^(?:authorization|proxy-authorization)$/.test(header)) return [value.trim()];
  const scheme = value.slice(0, space).toLowerCase();
  const credentials = value.slice(space + 1).trim();
  if (scheme !== 'basic') return [credentials];
  const pair = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = pair.indexOf(':');
  return colon < 0 ? [credentials] : [credentials, pair.slice(colon + 1)];
}

/**
 * The sources of each secret (longest secret first) in as few regexes as keep under the bounds
 * above; within a regex, longer forms first. A secret whose forms are too large for one regex
 * (a long token) has them spread over several.
 */
function compileGroups(perSecret: Source[][]): RegExp[] {
  const sizeOf = (sources: Source[]) => sources.reduce((total, x) => total + x.source.length + 1, 0);
  // A secret's sources, in pieces each small enough for one regex (most secrets: one piece).
  const pieces: Source[][] = [];
  for (const sources of perSecret) {
    let piece: Source[] = [];
    for (const source of [...sources].sort((a, b) => b.length - a.length)) {
      if (piece.length && sizeOf(piece) + source.source.length + 1 > MAX_SOURCE_PER_REGEX) {
        pieces.push(piece);
        piece = [];
      }
      piece.push(source);
    }
    if (piece.length) pieces.push(piece);
  }
  const groups: Source[][][] = [];
  let size = Infinity;
  for (const piece of pieces) {
    const n = sizeOf(piece);
    const last = groups[groups.length - 1];
    if (!last || last.length >= MAX_SECRETS_PER_REGEX || size + n > MAX_SOURCE_PER_REGEX) {
      groups.push([piece]);
      size = n;
    } else {
      last.push(piece);
      size += n;
    }
  }
  return groups.map((group) => {
    const sources = group.flat().sort((a, b) => b.length - a.length);
    return new RegExp(sources.map((x) => x.source).join('|'), 'g');
  });
}

function shallowCopy<T>(v: T): T {
  if (Array.isArray(v)) return [...v] as T;
  if (v !== null && typeof v === 'object') return { ...v };
  return v;
}

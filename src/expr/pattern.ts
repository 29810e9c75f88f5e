/**
 * Every regular expression a notebook writes — `matches()`, `regex()`, `replace()`, and the
 * `/…/flags` values of `expect.headers`, `expect.body`, `expect.text` and `expect.cookies` — runs
 * here, on RE2 (the `re2js` port: pure JavaScript, no native build). RE2 matches in time linear in
 * the text, whatever the pattern: `^(a+)+$` against a server's `aaaa…!` is microseconds, where
 * JavaScript's backtracking engine blocked the event loop for minutes (so neither the deadline nor
 * SIGTERM nor Ctrl-C could act). The price is RE2's syntax: no backreferences, no lookaround.
 * A pattern RE2 cannot take is refused when the notebook is loaded, saying why and what to write.
 */
import { createRequire } from 'node:module';
import type { RE2JS as RE2JSType } from 're2js';
import { memoByText } from './memo.js';

/**
 * Loaded with the first pattern (its CommonJS build, synchronously): a notebook with no pattern
 * does not pay for the engine at start-up.
 */
let engine: typeof RE2JSType | undefined;
function re2(): typeof RE2JSType {
  engine ??= (createRequire(import.meta.url)('re2js') as { RE2JS: typeof RE2JSType }).RE2JS;
  return engine;
}

/** A compiled pattern. Stateless (no `lastIndex`): one is shared by every use of its text. */
export interface Pattern {
  readonly source: string;
  readonly flags: string;
  /** Is there a match anywhere in `text` (as JavaScript's `RegExp.prototype.test`)? */
  test(text: string): boolean;
  /** The first match's first capture group, else the whole match; `null` when nothing matches. */
  first(text: string): string | null;
  /** Every match replaced: `$1`, `$<name>`, `$&` and `$$` mean what they mean in JavaScript. */
  replaceAll(text: string, replacement: string): string;
}

/** Why a pattern cannot be used, and what to write instead. */
export class PatternError extends Error {
  constructor(message: string, readonly hint: string) {
    super(message);
  }
}

/** Longest pattern accepted: the same bound as one expression. */
export const PATTERN_MAX_CHARS = 4_000;

/**
 * `/…/flags` as written in expect values. The flags JavaScript has: `i`, `m`, `s` change the match;
 * `g`, `u` and `y` are accepted and change nothing (every test searches the whole text, and RE2
 * is always Unicode-aware).
 */
const SLASHED = /^\/(.*)\/([gimsuy]*)$/s;

/** The pattern in a `/…/flags` value, or undefined when the value is plain text. */
export function slashPattern(text: string): { source: string; flags: string } | undefined {
  const m = SLASHED.exec(text);
  return m ? { source: m[1], flags: m[2] } : undefined;
}

const compileKeyed = memoByText((key: string) => {
  const cut = key.indexOf('\0');
  return compileUncached(key.slice(cut + 1), key.slice(0, cut));
}, 2_000);

/** Compiles (once per text and flags) or throws PatternError. */
export function compilePattern(source: string, flags = ''): Pattern {
  return compileKeyed(`${flags}\0${source}`);
}

/**
 * For other checks (`expect.cookies`): does `text` match `pattern`? A string is a `/…/flags`
 * value, or else the bare pattern. Throws PatternError on a pattern RE2 cannot take.
 */
export function testPattern(pattern: string | Pattern, text: string): boolean {
  if (typeof pattern !== 'string') return pattern.test(text);
  const slashed = slashPattern(pattern);
  return (slashed ? compilePattern(slashed.source, slashed.flags) : compilePattern(pattern)).test(text);
}

/** What is wrong with a pattern (message and hint), or undefined when RE2 takes it. */
export function patternProblem(source: string, flags = ''): { message: string; hint: string } | undefined {
  try {
    compilePattern(source, flags);
    return undefined;
  } catch (err) {
    if (err instanceof PatternError) return { message: err.message, hint: err.hint };
    throw err;
  }
}

function compileUncached(source: string, flags: string): Pattern {
  const quoted = source.length > 80 ? `${JSON.stringify(source.slice(0, 80))}…` : JSON.stringify(source);
  if (source.length > PATTERN_MAX_CHARS) {
    throw new PatternError(`the regular expression is ${source.length.toLocaleString('en')} characters long; the limit is ${PATTERN_MAX_CHARS.toLocaleString('en')}`, 'match a shorter pattern, or test parts of the text separately');
  }
  const unsupported = unsupportedSyntax(source);
  if (unsupported) throw new PatternError(`invalid regular expression ${quoted}: ${unsupported.message}`, unsupported.hint);
  const bad = [...flags].find((f) => !'gimsuy'.includes(f));
  if (bad) throw new PatternError(`invalid regular expression flag \`${bad}\``, 'the flags are i (ignore case), m (^ and $ at each line), s (. matches a newline)');
  let re: RE2JSType;
  try {
    re = re2().compile(re2().translateRegExp(source), flagBits(flags));
  } catch (err) {
    const reason = jsWording((err as Error).message.replace(/^error parsing regexp: /, ''));
    throw new PatternError(`invalid regular expression ${quoted}: ${reason}`, 'patterns are RE2 syntax (as JavaScript, without backreferences or lookaround); escape special characters with \\');
  }
  const groups = re.groupCount();
  return Object.freeze({
    source,
    flags,
    test: (text: string) => re.test(text),
    first(text: string) {
      const m = re.matcher(text);
      if (!m.find()) return null;
      return (groups > 0 ? m.group(1) : m.group(0)) ?? null;
    },
    replaceAll: (text: string, replacement: string) => re.matcher(text).replaceAll(replacement),
  });
}

function flagBits(flags: string): number {
  let bits = 0;
  if (flags.includes('i')) bits |= re2().CASE_INSENSITIVE;
  if (flags.includes('m')) bits |= re2().MULTILINE;
  if (flags.includes('s')) bits |= re2().DOTALL;
  return bits;
}

/**
 * The JavaScript constructs RE2 leaves out, each with the reason and what to write: RE2's own
 * message (`invalid escape sequence: \1`) says what, not why.
 */
function unsupportedSyntax(source: string): { message: string; hint: string } | undefined {
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<')) {
        return {
          message: `backreferences (\`\\${next === 'k' ? 'k<…>' : next}\`) are not supported: patterns run on a linear-time engine (RE2), which cannot require the same text twice`,
          hint: 'capture the part with regex(text, "(…)") and compare it in an assert, e.g. regex(s, "^(\\\\w+)-") == regex(s, "-(\\\\w+)$")',
        };
      }
      i++;
      continue;
    }
    if (c === '[') {
      // Inside a class `(?=` is plain text: skip to the class's end.
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
      continue;
    }
    if (c === '(' && source[i + 1] === '?') {
      const kind = source.slice(i + 2, i + 4);
      if (kind[0] === '=' || kind[0] === '!' || kind === '<=' || kind === '<!') {
        const what = kind[0] === '=' || kind[0] === '!' ? 'lookahead' : 'lookbehind';
        return {
          message: `${what} (\`(?${kind[0] === '<' ? kind : kind[0]}…)\`) is not supported: patterns run on a linear-time engine (RE2), which has no lookaround`,
          hint: 'match the text and test the other condition separately, e.g. matches(s, "^a") && !matches(s, "^ab"), or capture the part you need with regex()',
        };
      }
      if (kind[0] === '>') {
        return { message: 'atomic groups (`(?>…)`) are not supported (RE2)', hint: 'write the group without `?>`: RE2 never backtracks, so an atomic group is not needed' };
      }
    }
  }
  return undefined;
}

/**
 * RE2's wording of the common mistakes, as JavaScript words them (what most authors have seen);
 * the others keep RE2's words.
 */
const JS_WORDING: Array<[RegExp, string]> = [
  [/^missing closing \)/, 'Unterminated group'],
  [/^missing closing \]/, 'Unterminated character class'],
  [/^unexpected \)/, "Unmatched ')'"],
  [/^(missing argument to repetition operator|invalid nested repetition operator)/, 'Nothing to repeat'],
  [/^invalid character class range/, 'Range out of order in character class'],
  [/^invalid repeat count/, 'invalid repeat count (RE2 counts at most 1000)'],
];

function jsWording(reason: string): string {
  for (const [re, words] of JS_WORDING) if (re.test(reason)) return words;
  return reason;
}

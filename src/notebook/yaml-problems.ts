/**
 * What the yaml library says of a text, worded as diagnostics: its syntax errors, and warnings
 * that would silently change the data (an unknown `!tag`). Shared by the loader, which gives it a
 * whole file, and by the big-file path, which gives it a window of one (load-big.ts).
 */
import { Composer, LineCounter, Parser, YAMLParseError, type CST, type Document } from 'yaml';
import type { Diagnostic } from './diagnostic.js';
import { LIMITS } from './limits.js';
import { unclosedOpener } from './openings.js';
import { YamlSourceMap } from './source.js';

export function tooDeep(span: Diagnostic['span']): Diagnostic {
  return { message: `values nest more than ${LIMITS.depth} levels deep`, span, hint: 'flatten the structure; a notebook never needs this depth' };
}

/** Errors and warnings the yaml library builds, each; past them it only counts (see parseYaml). */
const KEPT_ERRORS = LIMITS.diagnostics * 2;

/**
 * parseDocument with the loader's options. resolveKnownTags off: `!!binary`, `!!timestamp`,
 * `!!set`… would become a Buffer, a Date, a Set, which no notebook value is (and the fast reader
 * refuses them): they are reported as unknown. logLevel error: the library must never print its
 * own warnings on our stderr. uniqueKeys off: its check is quadratic in a mapping's size (26,000
 * keys: 7 s); document.ts does it in O(n). No stack traces for its errors, and past KEPT_ERRORS of
 * them no error objects at all, only a count (`errorsDropped`): a file of 260,000 errors spent a
 * second building and collecting objects nobody reads, since only the first ones are shown.
 * It is parseDocument's own loop (yaml's public-api.js), with the composer's errors capped: the
 * first KEPT_ERRORS of each kind in the library's order are kept, so the first ones are the same.
 */
export function parseYaml(text: string, displayPath: string): { doc: Document; source: YamlSourceMap; errorsDropped: number } {
  const lineCounter = new LineCounter();
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const options = { prettyErrors: false, uniqueKeys: false, resolveKnownTags: false, logLevel: 'error' } as const;
  const composer = new Composer(options);
  const counted = countingSink(composer);
  let doc: Document | undefined;
  try {
    const tokens = keptErrorTokens(new Parser(lineCounter.addNewLine).parse(text), counted);
    for (const next of composer.compose(tokens, true, text.length)) {
      if (!doc) doc = next;
      else {
        doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents'));
        break;
      }
    }
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  // compose(…, true) always yields a document, at the latest at its end.
  return { doc: doc!, source: new YamlSourceMap(displayPath, text, doc!, lineCounter), errorsDropped: counted.dropped };
}

/**
 * The parser's tokens, but the stream-level `error` tokens past the first KEPT_ERRORS only
 * counted: the composer makes an error object of each and nothing else (260,000 stray `]`).
 */
function* keptErrorTokens(tokens: Iterable<CST.Token>, counted: { dropped: number }): Generator<CST.Token> {
  let errors = 0;
  for (const token of tokens) {
    if (token.type === 'error' && ++errors > KEPT_ERRORS) counted.dropped++;
    else yield token;
  }
}

type ErrorSink = (source: unknown, code: string, message: string, warning?: boolean) => void;

/**
 * Wraps the composer's error sink (a field every part of it calls through `this.onError`) to
 * keep the first KEPT_ERRORS errors and the first KEPT_ERRORS warnings, and count the rest. Were
 * the field ever gone, nothing is wrapped: every error is then kept, as parseDocument does.
 */
function countingSink(composer: Composer): { dropped: number } {
  const counted = { dropped: 0 };
  const holder = composer as unknown as { onError?: ErrorSink };
  const keep = holder.onError;
  if (typeof keep !== 'function') return counted;
  let errors = 0;
  let warnings = 0;
  holder.onError = (source, code, message, warning) => {
    const kept = warning ? ++warnings : ++errors;
    if (kept <= KEPT_ERRORS) keep(source, code, message, warning);
    else counted.dropped++;
  };
  return counted;
}

/** Syntax errors, and warnings that would silently change the data (an unknown `!tag`). */
export function yamlProblems(doc: Document, source: YamlSourceMap, text: string): Diagnostic[] {
  // Only the first ones are shown (LIMITS.diagnostics); the rest are counted, not rendered.
  const all = [...doc.errors, ...doc.warnings].slice(0, KEPT_ERRORS).map((e) => {
    const span = source.spanOfOffsets(e.pos[0], e.pos[1]);
    if (/call stack/i.test(e.message)) return tooDeep(span);
    const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    if (e.code === 'MULTIPLE_DOCS') return { message: 'a notebook is one YAML document; a second one starts here', span, hint: 'remove this `---` and what follows, or make it a notebook file of its own' };
    if (e.code === 'TAG_RESOLVE_FAILED') {
      const tag = /tag: ?(\S+)/.exec(first)?.[1] ?? '';
      return { message: `YAML: unknown tag ${tag.replace(/^tag:yaml\.org,2002:/, '!!')}`, span, hint: 'notebooks are plain YAML: strings, numbers, booleans, null, lists and mappings; remove the tag' };
    }
    return unclosed(first, e.pos[0], source, text) ?? { message: `YAML: ${first}`, span, hint: yamlHint(e.code) };
  }).sort((a, b) => a.span.line - b.span.line || a.span.col - b.span.col);
  // An unclosed quote or bracket swallows what follows it: later complaints are its echoes.
  const opener = all.find((d) => d.message.includes('is never closed'));
  return opener ? all.filter((d) => d === opener || d.span.line < opener.span.line) : all;
}

/** A missing closing quote or bracket, reported where it was opened. */
function unclosed(message: string, at: number, source: YamlSourceMap, text: string): Diagnostic | undefined {
  const quote = /Missing closing ("|')quote/.exec(message);
  const bracket = /end with an? ([\]}])/.exec(message);
  if (!quote && !bracket) return undefined;
  const open = unclosedOpener(text, Math.min(text.length, at + 1), (quote?.[1] ?? bracket![1]) as '"' | "'" | ']' | '}');
  if (open === undefined) return undefined;
  const ch = text[open];
  const closer = ch === '[' ? ']' : ch === '{' ? '}' : ch;
  return {
    message: `YAML: this \`${ch}\` is never closed`,
    span: source.spanOfOffsets(open, open + 1),
    hint: ch === '"' || ch === "'" ? `end the string with \`${closer}\`${ch === "'" ? " (a ' inside is written '')" : ' (a " inside is written \\")'}` : `close it with \`${closer}\``,
  };
}

function yamlHint(code: string): string | undefined {
  if (code === 'DUPLICATE_KEY') return 'each key may appear once in a mapping';
  if (code === 'BAD_INDENT') return 'check the indentation of this line against the lines above';
  return undefined;
}

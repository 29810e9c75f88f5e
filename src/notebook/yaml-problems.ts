/**
 * What the yaml library says of a text, worded as diagnostics: its syntax errors, and warnings
 * that would silently change the data (an unknown `!tag`). Shared by the loader, which gives it a
 * whole file, and by the big-file path, which gives it a window of one (load-big.ts).
 */
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { Diagnostic } from './diagnostic.js';
import { LIMITS } from './limits.js';
import { unclosedOpener } from './openings.js';
import { YamlSourceMap } from './source.js';

export function tooDeep(span: Diagnostic['span']): Diagnostic {
  return { message: `values nest more than ${LIMITS.depth} levels deep`, span, hint: 'flatten the structure; a notebook never needs this depth' };
}

/**
 * parseDocument with the loader's options. resolveKnownTags off: `!!binary`, `!!timestamp`,
 * `!!set`… would become a Buffer, a Date, a Set, which no notebook value is (and the fast reader
 * refuses them): they are reported as unknown. logLevel error: the library must never print its
 * own warnings on our stderr. uniqueKeys off: its check is quadratic in a mapping's size (26,000
 * keys: 7 s); document.ts does it in O(n). No stack traces for its errors: a file of 200,000
 * errors would spend seconds capturing them.
 */
export function parseYaml(text: string, displayPath: string): { doc: Document; source: YamlSourceMap } {
  const lineCounter = new LineCounter();
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, resolveKnownTags: false, logLevel: 'error' });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  return { doc, source: new YamlSourceMap(displayPath, text, doc, lineCounter) };
}

/** Syntax errors, and warnings that would silently change the data (an unknown `!tag`). */
export function yamlProblems(doc: Document, source: YamlSourceMap, text: string): Diagnostic[] {
  // Only the first ones are shown (LIMITS.diagnostics); the rest are counted, not rendered.
  const all = [...doc.errors, ...doc.warnings].slice(0, LIMITS.diagnostics * 2).map((e) => {
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

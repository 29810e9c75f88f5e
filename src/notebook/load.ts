/**
 * loadNotebook: file → typed Notebook, or every problem found in it (never a throw for bad input).
 * Stages: bytes (size, UTF-8, control characters) → YAML syntax, tags, aliases → the shape guard
 * (cycles, depth, expanded size) → structure (notebook.schema.json) → build (expressions, names,
 * schemas). Every stage is bounded (see limits.ts), so any file is answered quickly.
 */
import { relative } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { SchemaRegistry } from '../checks/schemas.js';
import { readCapped } from '../files/read-capped.js';
import { checkDocument } from './document.js';
import { buildNotebook, type BuildOptions } from './build.js';
import type { Diagnostic } from './diagnostic.js';
import { parseFast } from './fast-source.js';
import { readSubset } from './subset-reader.js';
import { guardData, guardMessage } from './guard.js';
import { capDiagnostics, checkText, decodeUtf8, fileTooLarge, LIMITS } from './limits.js';
import { unclosedOpener } from './openings.js';
import { YamlSourceMap } from './source.js';
import { checkStructure } from './structure.js';
import type { Notebook } from './types.js';
import { usedLoader, type UseLink } from './used-file.js';

export interface LoadResult {
  /** Present only when there are no diagnostics. */
  notebook?: Notebook;
  diagnostics: Diagnostic[];
  /** The file's text, for rendering diagnostics. */
  text?: string;
  /** The path as shown to people (relative to the working directory). */
  displayPath: string;
  /** Which reader produced the result: `subset` or `fast` (js-yaml) for a clean notebook, else `yaml`. */
  reader?: 'subset' | 'fast' | 'yaml';
  /** How many problems the file has, when more than the diagnostics listed (see LIMITS). */
  problems?: number;
}

export interface LoadOptions {
  registry: SchemaRegistry;
  extraNames?: string[];
  /** --allow-files DIR: folders outside the notebook's repository that uploads may come from. */
  allowFiles?: string[];
  /** --openapi FILE was given: the notebooks' own `openapi:` is not read (build.ts). */
  openapiOverridden?: boolean;
  /** `js-yaml` skips the subset reader, `yaml` both fast readers (tests compare them). */
  reader?: 'auto' | 'js-yaml' | 'yaml';
  /** The uses that led to this file (a used notebook being loaded), to refuse a cycle. */
  useChain?: UseLink[];
}

export async function loadNotebook(file: string, options: LoadOptions): Promise<LoadResult> {
  const displayPath = relative(process.cwd(), file) || file;
  const fail = (d: Diagnostic, text?: string): LoadResult => ({ displayPath, text, diagnostics: [d] });
  let read: Awaited<ReturnType<typeof readCapped>>;
  try {
    read = await readCapped(file, LIMITS.fileBytes);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return fail({ message: code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'this is a folder, not a notebook file' : `cannot read file (${code ?? (err as Error).message})`, span: { file: displayPath, line: 1, col: 1, length: 1 } });
  }
  if ('tooLarge' in read) return fail(fileTooLarge(displayPath, read.tooLarge), firstLine(read.head));
  const bytes = read.bytes;
  const decoded = decodeUtf8(displayPath, bytes);
  if ('diagnostic' in decoded) return fail(decoded.diagnostic, new TextDecoder().decode(bytes));
  return loadNotebookText(decoded.text, displayPath, options);
}

function firstLine(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes.subarray(0, 200)).split('\n')[0];
}

export function loadNotebookText(text: string, displayPath: string, loadOptions: LoadOptions): LoadResult {
  // `use:` reads the files it names as it is built, by this same function (src/notebook/used-file.ts).
  const options = { ...loadOptions, loadUsed: usedLoader(displayPath, loadOptions, loadNotebookText, LIMITS.fileBytes) };
  const textProblems = checkText(displayPath, text);
  if (textProblems.length) return { displayPath, text: text.length > LIMITS.fileBytes ? text.slice(0, 200) : text, diagnostics: textProblems };
  // The fast readers serve clean notebooks: the subset reader the YAML notebooks are written in,
  // js-yaml the rest. Any problem at all is re-read with the yaml library, whose document model
  // gives the diagnostics their exact positions and wording.
  if (options.reader !== 'yaml') {
    const subset = options.reader === 'js-yaml' ? undefined : readSubset(text, displayPath);
    // The subset reader's data needs no guard: it has no aliases and stays within LIMITS.
    const fast = subset ?? parseFast(text, displayPath);
    if (fast && 'tooDeep' in fast) return { displayPath, text, diagnostics: [tooDeep(fast.tooDeep)] };
    if (fast && fast.data !== null && typeof fast.data === 'object' && !Array.isArray(fast.data) && (subset || !guardData(fast.data)) && checkStructure(fast.data, fast.source).length === 0) {
      const { notebook, diagnostics } = buildNotebook(fast.data as Record<string, unknown>, fast.source, options);
      if (diagnostics.length === 0) return { displayPath, text, notebook, diagnostics: [], reader: subset ? 'subset' : 'fast' };
    }
  }
  try {
    const result = loadWithYaml(text, displayPath, options);
    const total = Math.max(result.problems ?? 0, result.diagnostics.length);
    const shown = capDiagnostics(displayPath, result.diagnostics, total);
    return total === result.diagnostics.length && shown === result.diagnostics ? result : { ...result, diagnostics: shown, problems: total };
  } catch (err) {
    // The yaml library recurses per level of nesting; the fast reader refuses deep files first,
    // but a file it cannot read for another reason still reaches here.
    if (err instanceof RangeError) return { displayPath, text, diagnostics: [tooDeep({ file: displayPath, line: 1, col: 1, length: 1 })] };
    throw err;
  }
}

function tooDeep(span: Diagnostic['span']): Diagnostic {
  return { message: `values nest more than ${LIMITS.depth} levels deep`, span, hint: 'flatten the structure; a notebook never needs this depth' };
}

function loadWithYaml(text: string, displayPath: string, options: LoadOptions & BuildOptions): LoadResult {
  const lineCounter = new LineCounter();
  // resolveKnownTags off: `!!binary`, `!!timestamp`, `!!set`… would become a Buffer, a Date, a Set,
  // which no notebook value is (and the fast reader refuses them): they are reported as unknown.
  // logLevel error: the library must never print its own warnings on our stderr. uniqueKeys off:
  // its check is quadratic in a mapping's size (26,000 keys: 7 s); document.ts does it in O(n).
  // No stack traces for its errors: a file of 200,000 errors would spend seconds capturing them.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, resolveKnownTags: false, logLevel: 'error' });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  const source = new YamlSourceMap(displayPath, text, doc, lineCounter);
  const fail = (diagnostics: Diagnostic[]): LoadResult => ({ displayPath, text, diagnostics });
  const syntax = yamlProblems(doc, source, text);
  const reported = doc.errors.length + doc.warnings.length;
  // Past the ones worded, every error the library found counts (before, its echoes were dropped).
  if (syntax.length) return { ...fail(syntax), problems: reported > LIMITS.diagnostics * 2 ? reported : syntax.length };
  const tally = { total: 0 };
  const nodes = checkDocument(doc, source, tally);
  if (nodes.length) return { ...fail(nodes), problems: Math.max(nodes.length, tally.total) };
  // Aliases are already counted and located above, more strictly than the library's own count.
  const data = doc.toJS({ maxAliasCount: -1 });
  const guard = guardData(data);
  if (guard) return fail([{ ...guardMessage(guard), span: source.at(guard.path) }]);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return fail([{ message: 'a notebook is a YAML mapping with `title` and `steps`', span: source.at([]), hint: 'start the file with `title: …`' }]);
  }
  const structural = checkStructure(data, source, tally);
  if (structural.length) {
    // Report every problem at once: the semantic pass usually still works on a notebook with a
    // misspelt key, and when the shape is too broken for it, the structural errors say why.
    let semantic: Diagnostic[] = [];
    try {
      semantic = buildNotebook(data, source, options).diagnostics;
    } catch {
      semantic = [];
    }
    const all = [...structural, ...semantic.filter((d) => !structural.some((s) => s.span.line === d.span.line))];
    return { ...fail(all.sort((a, b) => a.span.line - b.span.line || a.span.col - b.span.col)), problems: Math.max(all.length, tally.total) };
  }
  const { notebook, diagnostics } = buildNotebook(data, source, options);
  return diagnostics.length ? { displayPath, text, diagnostics, reader: 'yaml' } : { displayPath, text, notebook, diagnostics: [], reader: 'yaml' };
}

/** Syntax errors, and warnings that would silently change the data (an unknown `!tag`). */
function yamlProblems(doc: Document, source: YamlSourceMap, text: string): Diagnostic[] {
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

/**
 * loadNotebook: file → typed Notebook, or every problem found in it (never a throw for bad input).
 * Stages: bytes (size, UTF-8, control characters) → YAML syntax, tags, aliases → the shape guard
 * (cycles, depth, expanded size) → structure (notebook.schema.json) → build (expressions, names,
 * schemas). Every stage is bounded (see limits.ts), so any file is answered quickly.
 */
import { relative } from 'node:path';
import type { SchemaRegistry } from '../checks/schemas.js';
import { readCapped } from '../files/read-capped.js';
import { checkDocument, duplicateKey } from './document.js';
import { buildNotebook, type BuildOptions } from './build.js';
import type { Diagnostic } from './diagnostic.js';
import { parseFast, spanAt } from './fast-source.js';
import { readSubsetAt } from './subset-reader.js';
import { guardData, guardMessage } from './guard.js';
import { capDiagnostics, checkText, decodeUtf8, fileTooLarge, LIMITS, valuesLimit } from './limits.js';
import { syntaxInWindow, tooManyValues, tooWide, wideMapping } from './load-big.js';
import type { SourceMap } from './source.js';
import { checkStructure } from './structure.js';
import { parseYaml, tooDeep, yamlProblems } from './yaml-problems.js';
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

export function loadNotebookText(given: string, displayPath: string, loadOptions: LoadOptions): LoadResult {
  // A big file's CRLF line breaks become LF for the subset reader (which does not read CR):
  // lines and columns stay the same. Small files keep them, as the goldens were written.
  const text = given.length > LIMITS.yamlBytes && given.includes('\r\n') ? given.replaceAll('\r\n', '\n') : given;
  // `use:` reads the files it names as it is built, by this same function (src/notebook/used-file.ts).
  const options = { ...loadOptions, loadUsed: usedLoader(displayPath, loadOptions, loadNotebookText, LIMITS.fileBytes) };
  const textProblems = checkText(displayPath, text);
  if (textProblems.length) return { displayPath, text: text.length > LIMITS.fileBytes ? text.slice(0, 200) : text, diagnostics: textProblems };
  // The fast readers serve clean notebooks: the subset reader the YAML notebooks are written in,
  // js-yaml the rest. Any problem at all is re-read with the yaml library, whose document model
  // gives the diagnostics their exact positions and wording: the whole file up to
  // LIMITS.yamlBytes; of a bigger one, the part around the first problem (load-big.ts), or the
  // fast readers' own positions when the problem is in the data, not the syntax.
  const big = text.length > LIMITS.yamlBytes;
  const finish = (diagnostics: Diagnostic[]): LoadResult => {
    const shown = capDiagnostics(displayPath, diagnostics);
    return { displayPath, text, diagnostics: shown, ...(shown !== diagnostics ? { problems: diagnostics.length } : {}) };
  };
  if (options.reader !== 'yaml') {
    const read = options.reader === 'js-yaml' ? {} : readSubsetAt(text, displayPath);
    const subset = 'data' in read ? read : undefined;
    if ('duplicates' in read) {
      const { duplicates, duplicateCount, source } = read;
      return capped({ displayPath, text, diagnostics: duplicates.map((d) => duplicateKey(d.key, source.spanOfOffsets(d.keyStart, d.keyEnd))), problems: duplicateCount });
    }
    if (big && 'tooManyAt' in read && read.tooManyAt !== undefined) return { displayPath, text, diagnostics: [tooManyValues(spanAt(displayPath, text, read.tooManyAt), valuesLimit(text.length))] };
    if (big && 'tooWideAt' in read && read.tooWideAt !== undefined) return { displayPath, text, diagnostics: [tooWide(spanAt(displayPath, text, read.tooWideAt))] };
    if (big && !subset && 'outsideAt' in read && read.outsideAt !== undefined) {
      // Where the subset reader gave up is most often the first problem: the yaml library reads
      // that part first, and js-yaml the whole file only when it finds nothing there.
      const early = syntaxInWindow(text, read.outsideAt, displayPath);
      if (early?.length) return finish(early);
    }
    // The subset reader's data needs no guard: it has no aliases and stays within LIMITS.
    const fast = subset ?? parseFast(text, displayPath);
    if (fast && 'tooDeep' in fast) return { displayPath, text, diagnostics: [tooDeep(fast.tooDeep)] };
    if (fast && 'tooMany' in fast) return { displayPath, text, diagnostics: [tooManyValues(fast.tooMany, fast.limit)] };
    if (fast && 'syntaxAt' in fast) {
      if (big) return finish(syntaxInWindow(text, fast.syntaxAt, displayPath) ?? [{ message: `YAML: ${fast.message}`, span: fast.span }]);
    } else if (fast) {
      const data = fast.data;
      const guard = subset ? undefined : guardData(data, valuesLimit(text.length));
      const wide = big && !guard ? wideMapping(data) : undefined;
      if (wide) return { displayPath, text, diagnostics: [tooWide(fast.source.at(wide))] };
      if (data !== null && typeof data === 'object' && !Array.isArray(data) && !guard && checkStructure(data, fast.source).length === 0) {
        const { notebook, diagnostics } = buildNotebook(data as Record<string, unknown>, fast.source, options);
        if (diagnostics.length === 0) return { displayPath, text, notebook, diagnostics: [], reader: subset ? 'subset' : 'fast' };
        if (big) return finish(diagnostics);
      } else if (big || subset) {
        // The subset reader's spans are the yaml library's (fast-reader.test.ts), so its data is
        // worded here as well: re-reading tens of thousands of misspelt keys costs a second.
        const problems = dataProblems(data, fast.source, guard, options, undefined, !big);
        return big ? finish(problems.diagnostics) : capped({ displayPath, text, diagnostics: problems.diagnostics, ...(problems.total === undefined ? {} : { problems: problems.total }) });
      }
    }
  }
  try {
    return capped(loadWithYaml(text, displayPath, options));
  } catch (err) {
    // The yaml library recurses per level of nesting; the fast reader refuses deep files first,
    // but a file it cannot read for another reason still reaches here.
    if (err instanceof RangeError) return { displayPath, text, diagnostics: [tooDeep({ file: displayPath, line: 1, col: 1, length: 1 })] };
    throw err;
  }
}

/** At most LIMITS.diagnostics problems listed, and `problems` saying how many there are. */
function capped(result: LoadResult): LoadResult {
  const total = Math.max(result.problems ?? 0, result.diagnostics.length);
  const shown = capDiagnostics(result.displayPath, result.diagnostics, total);
  if (total === result.diagnostics.length && shown === result.diagnostics) return result;
  return { ...result, diagnostics: shown, problems: total };
}

function loadWithYaml(text: string, displayPath: string, options: LoadOptions & BuildOptions): LoadResult {
  const { doc, source, errorsDropped } = parseYaml(text, displayPath);
  const fail = (diagnostics: Diagnostic[]): LoadResult => ({ displayPath, text, diagnostics });
  const syntax = yamlProblems(doc, source, text);
  const reported = doc.errors.length + doc.warnings.length + errorsDropped;
  // Past the ones worded, every error the library found counts (before, its echoes were dropped).
  if (syntax.length) return { ...fail(syntax), problems: reported > LIMITS.diagnostics * 2 ? reported : syntax.length };
  const tally = { total: 0 };
  const nodes = checkDocument(doc, source, tally);
  if (nodes.length) return { ...fail(nodes), problems: Math.max(nodes.length, tally.total) };
  // Aliases are already counted and located above, more strictly than the library's own count.
  const data = doc.toJS({ maxAliasCount: -1 });
  const problems = dataProblems(data, source, guardData(data, valuesLimit(text.length)), options, tally);
  if (problems.notebook && problems.diagnostics.length === 0) return { displayPath, text, notebook: problems.notebook, diagnostics: [], reader: 'yaml' };
  if (problems.built) return { ...fail(problems.diagnostics), reader: 'yaml' };
  return problems.total === undefined ? fail(problems.diagnostics) : { ...fail(problems.diagnostics), problems: problems.total };
}

/**
 * The problems of data read without syntax errors, by any reader (its source map locates them):
 * the shape guard's, not a mapping, the structure's and the build's. `total` is set when the
 * structure check counted more than it listed.
 */
function dataProblems(data: unknown, source: SourceMap, guard: ReturnType<typeof guardData>, options: LoadOptions & BuildOptions, tally = { total: 0 }, semanticToo = true): { notebook?: Notebook; diagnostics: Diagnostic[]; total?: number; built?: true } {
  if (guard) return { diagnostics: [{ ...guardMessage(guard), span: source.at(guard.path) }] };
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { diagnostics: [{ message: 'a notebook is a YAML mapping with `title` and `steps`', span: source.at([]), hint: 'start the file with `title: …`' }] };
  }
  const record = data as Record<string, unknown>;
  const structural = checkStructure(record, source, tally);
  if (structural.length) {
    // Report every problem at once: the semantic pass usually still works on a notebook with a
    // misspelt key, and when the shape is too broken for it, the structural errors say why. Not
    // for a big file: it would compile every schema of thousands of steps to add a few lines.
    let semantic: Diagnostic[] = [];
    try {
      if (semanticToo) semantic = buildNotebook(record, source, options).diagnostics;
    } catch {
      semantic = [];
    }
    const lines = new Set(structural.map((s) => s.span.line));
    const all = [...structural, ...semantic.filter((d) => !lines.has(d.span.line))];
    return { diagnostics: all.sort((a, b) => a.span.line - b.span.line || a.span.col - b.span.col), total: Math.max(all.length, tally.total) };
  }
  return { ...buildNotebook(record, source, options), built: true };
}

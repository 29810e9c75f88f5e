/**
 * loadNotebook: file → typed Notebook, or every problem found in it (never a throw for bad input).
 * Stages: YAML syntax → structure (notebook.schema.json) → build (expressions, names, schemas).
 */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { SchemaRegistry } from '../checks/schemas.js';
import { buildNotebook } from './build.js';
import type { Diagnostic } from './diagnostic.js';
import { parseFast } from './fast-source.js';
import { YamlSourceMap } from './source.js';
import { checkStructure } from './structure.js';
import type { Notebook } from './types.js';

export interface LoadResult {
  /** Present only when there are no diagnostics. */
  notebook?: Notebook;
  diagnostics: Diagnostic[];
  /** The file's text, for rendering diagnostics. */
  text?: string;
  /** The path as shown to people (relative to the working directory). */
  displayPath: string;
  /** Which reader produced the result: `fast` (js-yaml) for a clean notebook, else `yaml`. */
  reader?: 'fast' | 'yaml';
}

export interface LoadOptions {
  registry: SchemaRegistry;
  extraNames?: string[];
  /** `yaml` skips the fast reader (tests compare the two). */
  reader?: 'auto' | 'yaml';
}

export async function loadNotebook(file: string, options: LoadOptions): Promise<LoadResult> {
  const displayPath = relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      displayPath,
      diagnostics: [{ message: code === 'ENOENT' ? 'file not found' : `cannot read file (${code})`, span: { file: displayPath, line: 1, col: 1, length: 1 } }],
    };
  }
  return loadNotebookText(text, displayPath, options);
}

export function loadNotebookText(text: string, displayPath: string, options: LoadOptions): LoadResult {
  // The fast reader serves clean notebooks; any problem at all is re-read with the yaml library,
  // whose document model gives the diagnostics their exact positions and wording.
  if (options.reader !== 'yaml') {
    const fast = parseFast(text, displayPath);
    if (fast && fast.data !== null && typeof fast.data === 'object' && !Array.isArray(fast.data) && checkStructure(fast.data, fast.source).length === 0) {
      const { notebook, diagnostics } = buildNotebook(fast.data as Record<string, unknown>, fast.source, options);
      if (diagnostics.length === 0) return { displayPath, text, notebook, diagnostics: [], reader: 'fast' };
    }
  }
  return loadWithYaml(text, displayPath, options);
}

function loadWithYaml(text: string, displayPath: string, options: LoadOptions): LoadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const source = new YamlSourceMap(displayPath, text, doc, lineCounter);
  if (doc.errors.length) {
    const diagnostics = doc.errors.map((e) => ({
      message: `YAML: ${e.message.split('\n')[0]}`,
      span: source.spanOfOffsets(e.pos[0], e.pos[1]),
      hint: e.code === 'DUPLICATE_KEY' ? 'each key may appear once in a mapping' : e.code === 'BAD_INDENT' ? 'check the indentation of this line against the lines above' : undefined,
    }));
    return { displayPath, text, diagnostics };
  }
  const data = doc.toJS({ maxAliasCount: 100 });
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { displayPath, text, diagnostics: [{ message: 'a notebook is a YAML mapping with `title` and `steps`', span: source.at([]), hint: 'start the file with `title: …`' }] };
  }
  const structural = checkStructure(data, source);
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
    return { displayPath, text, diagnostics: all.sort((a, b) => a.span.line - b.span.line || a.span.col - b.span.col) };
  }
  const { notebook, diagnostics } = buildNotebook(data, source, options);
  return diagnostics.length ? { displayPath, text, diagnostics, reader: 'yaml' } : { displayPath, text, notebook, diagnostics: [], reader: 'yaml' };
}

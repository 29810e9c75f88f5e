/**
 * The notebook file behind the page: loaded with the same loader (and so the same diagnostics)
 * as `validate`, edits of one cell checked and saved back, and changes on disk noticed
 * (fs.watch on the folder, which sees editors that save by rename, plus a poll as a fallback
 * for file systems where watching does not work).
 */
import { watch, watchFile, unwatchFile, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, relative } from 'node:path';
import { SchemaRegistry } from '../checks/schemas.js';
import { renderDiagnostic, type Diagnostic } from '../notebook/diagnostic.js';
import { loadNotebookText } from '../notebook/load.js';
import type { Notebook } from '../notebook/types.js';
import { PRIVATE, writeFileAtomic } from '../files/atomic-write.js';
import { cellSources, spliceCell, type CellSource } from './source.js';

/** A diagnostic as the page shows it: where, what, and the `validate` rendering of it. */
export interface PageDiagnostic {
  message: string;
  hint?: string;
  /** In the file, or in the cell when checking an edit of one cell. */
  line: number;
  col: number;
  length: number;
  /** The same text `validate` prints (file:line:col, the line, a caret, the hint). */
  text: string;
}

export interface FileVersion {
  text: string;
  notebook?: Notebook;
  diagnostics: PageDiagnostic[];
  cells: CellSource[];
}

export interface EditCheck {
  ok: boolean;
  /** Problems inside the edited cell, at lines of the cell. */
  cell: PageDiagnostic[];
  /** Problems the edit causes elsewhere in the file (a name no longer defined, say). */
  file: PageDiagnostic[];
  text: string;
}

const POLL_MS = 500;

export class NotebookFile {
  readonly displayPath: string;
  /** One for the session: a reload compiles only schemas it has not seen (a changed schema file needs a restart). */
  private readonly registry = new SchemaRegistry();

  /** `allowFiles`: --allow-files DIR, folders outside the notebook's repository that its uploads may come from. */
  constructor(readonly path: string, private readonly extraNames: string[], private readonly allowFiles: string[] = []) {
    this.displayPath = relative(process.cwd(), path) || path;
  }

  async read(): Promise<FileVersion> {
    const text = await readFile(this.path, 'utf8');
    return this.parse(text);
  }

  parse(text: string): FileVersion {
    const result = loadNotebookText(text, this.displayPath, { registry: this.registry, extraNames: this.extraNames, allowFiles: this.allowFiles });
    return { text, notebook: result.notebook, diagnostics: result.diagnostics.map((d) => toPage(d, text)), cells: cellSources(text) };
  }

  /** Splices `yaml` in place of the cell and loads the result as `validate` would. */
  check(current: FileVersion, cellId: string, yaml: string): EditCheck {
    const cell = findCell(current.cells, cellId);
    const text = spliceCell(current.text, cell, yaml);
    const lines = yaml.replace(/\s+$/, '').split('\n').length;
    const loaded = this.parse(text);
    const inCell = (d: PageDiagnostic) => d.line >= cell.line && d.line < cell.line + lines;
    return {
      ok: loaded.diagnostics.length === 0,
      cell: loaded.diagnostics.filter(inCell).map((d) => ({ ...d, line: d.line - cell.line + 1, col: Math.max(1, d.col - cell.indent) })),
      file: loaded.diagnostics.filter((d) => !inCell(d)),
      text,
    };
  }

  /**
   * Writes the whole text at once (a temp file, then a rename), so a watcher never reads half.
   * The temp file is private and made exclusively under a random name (write.ts: a symlink
   * planted in the notebook's folder is never followed); the file keeps the mode it had.
   */
  async write(text: string): Promise<void> {
    let finalMode: number | undefined;
    try {
      finalMode = (await stat(this.path)).mode & 0o7777;
    } catch {
      finalMode = undefined; // gone meanwhile: a new file, with the temp file's own mode
    }
    writeFileAtomic(this.path, text, { mode: PRIVATE, finalMode });
  }

  /** Calls `changed` (debounced) when the file may have changed; returns a stop function. */
  watch(changed: () => void): () => void {
    let timer: NodeJS.Timeout | undefined;
    const poke = () => {
      clearTimeout(timer);
      timer = setTimeout(changed, 60);
    };
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(dirname(this.path), (_event, name) => {
        if (!name || name.toString() === basename(this.path)) poke();
      });
      watcher.on('error', () => watcher?.close());
    } catch {
      watcher = undefined;
    }
    watchFile(this.path, { interval: POLL_MS }, poke);
    return () => {
      clearTimeout(timer);
      watcher?.close();
      unwatchFile(this.path);
    };
  }
}

export function findCell(cells: CellSource[], cellId: string): CellSource {
  const [phase, index] = cellId.startsWith('teardown-') ? ['teardown', Number(cellId.slice(9))] : ['steps', Number(cellId)];
  const cell = cells.find((c) => c.phase === phase && c.index === index);
  if (!cell) throw new Error(`no cell \`${cellId}\` in the file`);
  return cell;
}

function toPage(d: Diagnostic, text: string): PageDiagnostic {
  return { message: d.message, hint: d.hint, line: d.span.line, col: d.span.col, length: d.span.length, text: renderDiagnostic(d, text, false) };
}

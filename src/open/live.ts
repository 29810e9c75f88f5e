/**
 * The page as a reporter: it takes the session's events (the runner's StepResults, already
 * redacted) and keeps each cell's state, then tells every open page what changed, as named
 * events (Server-Sent Events). A page that connects gets the whole state first.
 */
import type { Redactor } from '../run/redact.js';
import type { StepResult } from '../run/results.js';
import { NotebookSession, type CellRef, type SessionHooks } from '../run/session.js';
import { cellId, documentModel, previews, useCells, valueRows, type DocumentModel } from './model.js';
import type { FileVersion, PageDiagnostic } from './notebook-file.js';

export type CellStatus = 'idle' | 'running' | 'passed' | 'failed' | 'error' | 'skipped';

export interface CellState {
  id: string;
  status: CellStatus;
  results: StepResult[];
}

/** Receives an event's name and its data as JSON text, secrets already masked. */
export type Send = (event: string, json: string) => void;

/** Values and previews change after every cell; during Run all they go out at most this often. */
const VALUES_EVERY_MS = 60;

export interface PlayInfo {
  running: boolean;
  /** What is running: `all`, a cell id, `reset`. */
  what?: string;
  /** How long the last Run all took, in ms. */
  lastPlayMs?: number;
  message?: string;
}

export class LiveState {
  document: DocumentModel;
  readonly cells = new Map<string, CellState>();
  fileProblems: PageDiagnostic[] = [];
  play: PlayInfo = { running: false };
  /** The cell of each `use:` step (model.ts useCells), for the results of the steps it runs. */
  private uses: Map<string, string>;
  private readonly listeners = new Set<Send>();
  private valuesTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly session: NotebookSession,
    private readonly redactor: Redactor,
    private readonly timeoutMs: number,
    version: FileVersion & { notebook: NonNullable<FileVersion['notebook']> },
    private readonly displayPath: string,
  ) {
    this.document = documentModel(version.notebook, displayPath, version.cells, redactor);
    this.uses = useCells(version.notebook);
    this.resetCells();
  }

  /** The hooks the session calls: the page is one more consumer of the runner's events. */
  readonly hooks: SessionHooks = {
    onCellStart: (cell: CellRef) => {
      const state = { id: cellId(cell.phase, cell.index), status: 'running' as const, results: [] };
      this.cells.set(state.id, state);
      this.broadcast('cell', state);
    },
    onStepEnd: (result: StepResult) => {
      const id = result.used ? this.uses.get(`${result.used.file}:${result.used.line}`) : cellId(result.phase, result.index);
      const state = id === undefined ? undefined : this.cells.get(id);
      if (!state) return;
      state.results.push(result);
      // Only what is new: a long loop would otherwise resend every earlier run each time.
      this.broadcast('result', { id: state.id, result });
      // A use's teardown runs when the whole run closes, after its cell ended: its status follows.
      if (state.status !== 'running') {
        state.status = NotebookSession.statusOf(state.results.map((r) => r.status));
        this.broadcast('status', { id: state.id, status: state.status });
      }
    },
    onCellEnd: (cell: CellRef) => {
      const state = this.cells.get(cellId(cell.phase, cell.index));
      if (!state) return;
      state.status = NotebookSession.statusOf(state.results.map((r) => r.status));
      this.broadcast('status', { id: state.id, status: state.status });
      this.broadcastValues();
    },
  };

  subscribe(send: Send): () => void {
    for (const [event, data] of this.snapshotEvents()) send(event, this.safeJson(data));
    this.listeners.add(send);
    return () => this.listeners.delete(send);
  }

  /** Everything a page needs, as the events that carry it. */
  snapshotEvents(): Array<[string, unknown]> {
    return [
      ['document', this.document],
      ['cells', [...this.cells.values()]],
      ['values', this.values()],
      ['file', { problems: this.fileProblems }],
      ['play', this.play],
    ];
  }

  snapshot(): Record<string, unknown> {
    return JSON.parse(this.safeJson(Object.fromEntries(this.snapshotEvents()))) as Record<string, unknown>;
  }

  /** A new good version of the file: new document, cell results kept by name. */
  replaced(version: FileVersion & { notebook: NonNullable<FileVersion['notebook']> }): void {
    const oldByName = new Map<string, CellState>();
    for (const c of this.document.cells) {
      const s = this.cells.get(c.id);
      if (s) oldByName.set(`${c.phase}:${c.name}`, s);
    }
    this.document = documentModel(version.notebook, this.displayPath, version.cells, this.redactor);
    this.uses = useCells(version.notebook);
    this.cells.clear();
    for (const c of this.document.cells) {
      const old = oldByName.get(`${c.phase}:${c.name}`);
      this.cells.set(c.id, old && old.status !== 'running' ? { ...old, id: c.id } : { id: c.id, status: 'idle', results: [] });
    }
    this.fileProblems = [];
    this.broadcastAll();
  }

  setFileProblems(problems: PageDiagnostic[]): void {
    this.fileProblems = problems;
    this.broadcast('file', { problems });
  }

  setPlay(play: PlayInfo): void {
    this.play = play;
    this.broadcast('play', play);
  }

  resetCells(): void {
    this.cells.clear();
    for (const c of this.document.cells) this.cells.set(c.id, { id: c.id, status: 'idle', results: [] });
  }

  broadcastAll(): void {
    for (const [event, data] of this.snapshotEvents()) this.broadcast(event, data);
  }

  broadcastValues(): void {
    this.valuesTimer ??= setTimeout(() => {
      this.valuesTimer = undefined;
      this.broadcast('values', this.values());
    }, VALUES_EVERY_MS);
  }

  private values() {
    return { baseUrl: this.session.baseUrl, rows: valueRows(this.session, this.redactor), previews: previews(this.session, this.redactor, this.timeoutMs), missing: this.session.missingInputs().map((i) => ({ name: i.name, secret: i.secret, prompt: i.prompt, env: i.env })) };
  }

  private broadcast(event: string, data: unknown): void {
    if (!this.listeners.size) return;
    const json = this.safeJson(data);
    for (const send of this.listeners) send(event, json);
  }

  /**
   * The last line of defence: results were redacted by the runner already, and whatever is sent
   * is masked once more as text (one pass over the JSON, cheap enough for every event).
   */
  private safeJson(data: unknown): string {
    return this.redactor.text(JSON.stringify(data));
  }
}

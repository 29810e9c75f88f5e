/**
 * The live notebook: one file, one session (the runner, step by step), one page state, and the
 * actions the page may take. The CLI wires it to a server, a browser and the signals.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { MissingInputsError, NotebookSession, type CellRef, type SessionHooks, type SessionTarget } from '../run/session.js';
import type { Notebook } from '../notebook/types.js';
import { LiveState } from './live.js';
import { findCell, type FileVersion, type NotebookFile } from './notebook-file.js';
import { ActionError, type Actions } from './server.js';
import type { RunServices } from '../run/notebook.js';

type GoodVersion = FileVersion & { notebook: Notebook };

const SETTLE_MS = 250;

export interface LiveNotebookOptions extends RunServices {
  file: NotebookFile;
  version: GoodVersion;
  target: SessionTarget;
}

export class LiveNotebook {
  readonly session: NotebookSession;
  readonly live: LiveState;
  private version: GoodVersion;
  private latestText: string;
  private reloading: Promise<void> = Promise.resolve();

  constructor(private readonly options: LiveNotebookOptions) {
    this.version = options.version;
    this.latestText = options.version.text;
    // The session reports to the page state; the page state reads the session's values.
    const hooks: SessionHooks = {
      onCellStart: (c) => this.live.hooks.onCellStart?.(c),
      onStepEnd: (r) => this.live.hooks.onStepEnd?.(r),
      onCellEnd: (c) => this.live.hooks.onCellEnd?.(c),
    };
    this.session = new NotebookSession({ ...options, notebook: options.version.notebook, hooks });
    this.live = new LiveState(this.session, options.redactor, options.timeoutMs, options.version, options.file.displayPath);
  }

  readonly actions: Actions = {
    run: (cell) => this.play(cell, () => this.session.run(this.cellRef(cell))),
    runAll: () => this.play('all', async () => {
      const all = [...this.session.notebook.steps, ...this.session.notebook.teardown];
      if (all.every((s) => this.session.hasRun(s))) await this.resetAll();
      await this.session.runAll();
    }),
    reset: () => this.play('reset', () => this.resetAll()),
    inputs: async (values) => {
      for (const [name, value] of Object.entries(values)) {
        if (typeof value !== 'string') throw new ActionError(400, `the value of ${name} must be text`);
        try {
          this.session.setInput(name, value);
        } catch (err) {
          throw new ActionError(400, (err as Error).message);
        }
      }
      this.live.broadcastValues();
      return { missing: this.session.missingInputs().map((i) => i.name) };
    },
    check: async (cell, yaml) => {
      const { ok, cell: inCell, file } = this.checkEdit(cell, yaml);
      return { ok, cell: inCell, file };
    },
    save: async (cell, yaml) => {
      // A change on disk not yet noticed is taken in first, so saving never undoes it.
      await this.reload();
      const checked = this.checkEdit(cell, yaml);
      if (!this.live.document.cells.find((c) => c.id === cell)?.editable) throw new ActionError(409, 'this cell holds a secret value; edit it in the file');
      if (!checked.ok) throw new ActionError(422, 'the edit has problems; nothing was saved', { cell: checked.cell, file: checked.file });
      this.latestText = checked.text; // the watcher will see our own write: nothing new for it
      await this.options.file.write(checked.text);
      await this.apply(checked.text);
      return { ok: true, saved: this.options.file.displayPath };
    },
  };

  /** The file changed on disk: show it, keeping values. One reload at a time, in order. */
  reload(): Promise<void> {
    this.reloading = this.reloading.then(() => this.reloadNow(), () => this.reloadNow());
    return this.reloading;
  }

  private async reloadNow(): Promise<void> {
    let text = await this.readText();
    if (text === undefined || text === this.latestText) return;
    let version = this.options.file.parse(text);
    if (!version.notebook) {
      // An editor may be half-way through writing it (truncated, then filled): look again
      // before showing problems that are only a moment old.
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      const again = await this.readText();
      if (again !== undefined && again !== text) {
        text = again;
        version = this.options.file.parse(text);
      }
    }
    if (text !== this.latestText) await this.apply(text, version);
  }

  private async readText(): Promise<string | undefined> {
    try {
      return (await readFile(this.options.file.path, 'utf8'));
    } catch {
      return undefined; // mid-rename, or deleted: the next change tells
    }
  }

  private async apply(text: string, version = this.options.file.parse(text)): Promise<void> {
    this.latestText = text;
    if (!version.notebook) {
      this.live.setFileProblems(version.diagnostics);
      return;
    }
    const good = version as GoodVersion;
    const changedVars = changedVarNames(this.version.text, text);
    await this.session.replace(good.notebook, changedVars);
    this.version = good;
    this.live.replaced(good);
  }

  private checkEdit(cell: string, yaml: string) {
    try {
      findCell(this.version.cells, cell);
    } catch (err) {
      throw new ActionError(404, (err as Error).message);
    }
    return this.options.file.check(this.version, cell, yaml);
  }

  private cellRef(id: string): CellRef {
    const ref: CellRef = id.startsWith('teardown-') ? { phase: 'teardown', index: Number(id.slice(9)) } : { phase: 'steps', index: Number(id) };
    const list = ref.phase === 'steps' ? this.session.notebook.steps : this.session.notebook.teardown;
    if (!/^(teardown-)?\d+$/.test(id) || !list[ref.index]) throw new ActionError(404, `no cell \`${id}\``);
    return ref;
  }

  private async resetAll(): Promise<void> {
    await this.session.reset();
    this.live.resetCells();
    this.live.broadcastAll();
  }

  /** Runs one action at a time and tells the page; missing inputs are a 409 the page answers with a form. */
  private async play(what: string, work: () => Promise<void>): Promise<unknown> {
    const missing = this.session.missingInputs();
    if (missing.length && what !== 'reset') throw new ActionError(409, 'some inputs have no value yet', { missing: missing.map((i) => i.name) });
    const t0 = performance.now();
    this.live.setPlay({ ...this.live.play, running: true, what });
    try {
      await work();
    } catch (err) {
      this.live.setPlay({ ...this.live.play, running: false, what: undefined, message: (err as Error).message });
      if (err instanceof MissingInputsError) throw new ActionError(409, err.message, { missing: err.inputs.map((i) => i.name) });
      if (err instanceof ActionError) throw err;
      throw new ActionError(500, (err as Error).message);
    }
    const ms = Math.round(performance.now() - t0);
    this.live.setPlay({ running: false, lastPlayMs: what === 'all' ? ms : this.live.play.lastPlayMs });
    this.live.broadcastValues();
    return { ok: true, durationMs: ms, cells: Object.fromEntries([...this.live.cells].map(([id, c]) => [id, c.status])) };
  }
}

/** Vars whose written value differs between two versions of the file. */
function changedVarNames(before: string, after: string): string[] {
  const a = ((parse(before) ?? {}) as { vars?: Record<string, unknown> }).vars ?? {};
  const b = ((parse(after) ?? {}) as { vars?: Record<string, unknown> }).vars ?? {};
  return Object.keys(b).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

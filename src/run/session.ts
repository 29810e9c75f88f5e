/**
 * A notebook run one cell at a time, for `api-notebook open`. It is the runner, not a copy of it:
 * the same RunContext, `runStep` (request rendering, auth, checks, captures, forEach, repeat),
 * the same ordering rules (runSequence, src/run/sequence.ts: a failed step skips the rest, teardown always, `use`),
 * `redactResult` and `initialValues` as `runNotebook`; what it adds is memory between calls
 * (values, which cells have run) and the notebook's order rules applied on demand:
 * running a cell runs the cells before it that have not run, a failed step skips the rest of
 * the chain (unless continueOnFailure), and teardown always runs.
 */
import { CookieJar } from '../http/cookies.js';
import type { InputDef, Notebook, Phase, Step } from '../notebook/types.js';
import { AuthProvider } from './auth.js';
import type { RunContext } from './context.js';
import { initialValues, redactResult, type RunServices } from './notebook.js';
import type { RunHooks, StepStatus } from './results.js';
import { runSequence, type UsedTeardown } from './sequence.js';

export interface CellRef {
  phase: Phase;
  index: number;
}

/** The runner's hooks, plus the start and end of each cell (one cell may emit several results). */
export interface SessionHooks extends RunHooks {
  onCellStart?(cell: CellRef): void | Promise<void>;
  onCellEnd?(cell: CellRef): void | Promise<void>;
}

/** Where requests go. `fresh` (the embedded mock) restarts it with empty state, for Reset. */
export interface SessionTarget {
  url: string;
  fresh?(): Promise<string>;
}

/** `inputs` are those known at start (--var, environment, defaults); the rest are set later. */
export interface SessionOptions extends RunServices {
  notebook: Notebook;
  target: SessionTarget;
  hooks: SessionHooks;
}

export class MissingInputsError extends Error {
  constructor(readonly inputs: InputDef[]) {
    super(`inputs without a value: ${inputs.map((i) => i.name).join(', ')}`);
  }
}

const key = (phase: Phase, index: number) => `${phase}:${index}`;

export class NotebookSession {
  notebook: Notebook;
  /** Inputs, vars and captures by name; empty until every input has a value. */
  values = new Map<string, unknown>();
  private readonly inputs: Record<string, unknown>;
  private ready = false;
  private auth: AuthProvider;
  /** The session's cookies: kept between cells as in one run; Reset empties it. */
  private cookies = new CookieJar();
  /** When each cell last ran (a counter, not a clock), to know what has run since what. */
  private lastRun = new Map<string, number>();
  /** Cells whose last run failed or errored: they count as not done, so the next run retries them. */
  private failed = new Set<string>();
  private seq = 0;
  /** Used notebooks whose steps ran: their teardowns wait for the end of the notebook's own. */
  private usedTeardowns: UsedTeardown[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private interrupt = new AbortController();

  constructor(private readonly options: SessionOptions) {
    this.notebook = options.notebook;
    this.inputs = { ...options.inputs };
    this.auth = new AuthProvider(options.http, options.redactor, options.timeoutMs);
    for (const def of this.notebook.inputs) if (def.secret && this.inputs[def.name] !== undefined) options.redactor.add(this.inputs[def.name]);
    this.tryReady();
  }

  get baseUrl(): string {
    return this.options.target.url;
  }

  missingInputs(): InputDef[] {
    return this.notebook.inputs.filter((i) => this.inputs[i.name] === undefined);
  }

  /** A value typed in the page. A secret one goes to the redactor before anything can show it. */
  setInput(name: string, value: string): void {
    const def = this.notebook.inputs.find((i) => i.name === name);
    if (!def) throw new Error(`no input named \`${name}\``);
    if (def.secret) this.options.redactor.add(value);
    this.inputs[name] = value;
    if (this.ready) this.values.set(name, value);
    else this.tryReady();
  }

  inputDefs(): Array<InputDef & { set: boolean }> {
    return this.notebook.inputs.map((i) => ({ ...i, set: this.inputs[i.name] !== undefined }));
  }

  /** Whether the cell has run (since the start or a Reset) and did not fail. */
  hasRun(cell: CellRef): boolean {
    const k = key(cell.phase, cell.index);
    return this.lastRun.has(k) && !this.failed.has(k);
  }

  /** Runs the cell, after the cells before it that have not run yet. */
  run(cell: CellRef): Promise<void> {
    // The last teardown cell closes the run: the used notebooks' teardowns follow it.
    const last = cell.phase === 'teardown' && cell.index === this.notebook.teardown.length - 1;
    return this.serial(() => this.runChain(this.chainTo(cell), undefined, last));
  }

  /** Play the notebook: every step not run yet, then the teardown. When all has run, it starts over. */
  runAll(): Promise<void> {
    return this.serial(async () => {
      const all = [...this.notebook.steps, ...this.notebook.teardown];
      if (all.length && all.every((s) => this.hasRun(s))) await this.resetNow();
      const pending = this.notebook.steps.filter((s) => !this.hasRun(s));
      await this.runChain([...pending, ...this.notebook.teardown], undefined, true);
    });
  }

  /** Forgets vars and captures (inputs stay), and on the embedded mock starts a fresh account. */
  reset(): Promise<void> {
    return this.serial(() => this.resetNow());
  }

  /** Stops the request in flight; the rest of the current chain is skipped. */
  stop(): void {
    this.interrupt.abort();
  }

  /**
   * At exit: after the current run stops, the teardown cells that have not run since the last
   * step ran, under `signal` (the deadline); returns them. Nothing when no step ran.
   */
  async teardownPending(signal: AbortSignal): Promise<Step[]> {
    this.stop();
    await this.queue.catch(() => {});
    const lastStep = Math.max(0, ...this.notebook.steps.map((s) => this.lastRun.get(key('steps', s.index)) ?? 0));
    if ((lastStep === 0 && !this.usedTeardowns.length) || !this.ready) return [];
    const pending = this.notebook.teardown.filter((s) => (this.lastRun.get(key('teardown', s.index)) ?? 0) < lastStep);
    await this.runChain(pending, signal, true);
    return pending;
  }

  /**
   * A new version of the file. Values stay; vars new to it, or whose text changed (`changedVars`),
   * are computed again; which cells have run is kept by name.
   */
  replace(notebook: Notebook, changedVars: string[]): Promise<void> {
    // After the run in progress: its chain finishes on the version it started with.
    return this.serial(async () => this.replaceNow(notebook, changedVars));
  }

  private replaceNow(notebook: Notebook, changedVars: string[]): void {
    const byName = new Map<string, { at: number; failed: boolean }>();
    for (const s of [...this.notebook.steps, ...this.notebook.teardown]) {
      const k = key(s.phase, s.index);
      const at = this.lastRun.get(k);
      if (at !== undefined) byName.set(`${s.phase}:${s.name}`, { at, failed: this.failed.has(k) });
    }
    const oldVars = new Set(this.notebook.vars.map((v) => v.name));
    this.notebook = notebook;
    this.lastRun = new Map();
    this.failed = new Set();
    for (const s of [...notebook.steps, ...notebook.teardown]) {
      const was = byName.get(`${s.phase}:${s.name}`);
      if (!was) continue;
      this.lastRun.set(key(s.phase, s.index), was.at);
      if (was.failed) this.failed.add(key(s.phase, s.index));
    }
    if (!this.ready) return;
    const fresh = initialValues(notebook, this.inputs, this.options.overrides);
    for (const v of notebook.vars) if (!oldVars.has(v.name) || changedVars.includes(v.name)) this.values.set(v.name, fresh.get(v.name));
    for (const i of notebook.inputs) if (!this.values.has(i.name)) this.values.set(i.name, this.inputs[i.name]);
  }

  /** The status a cell's results add up to. */
  static statusOf(statuses: StepStatus[]): StepStatus {
    if (statuses.includes('error')) return 'error';
    if (statuses.includes('failed')) return 'failed';
    if (statuses.length && statuses.every((s) => s === 'skipped')) return 'skipped';
    return 'passed';
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.catch(() => {}).then(work);
    this.queue = next;
    return next;
  }

  /** Vars are computed as soon as every input has a value, so the page can show them (and the requests) before any run. */
  private tryReady(): void {
    try {
      this.ensureReady();
    } catch {
      // an input is missing, or a var cannot be computed: the first run says which
    }
  }

  private ensureReady(): void {
    if (this.ready) return;
    const missing = this.missingInputs();
    if (missing.length) throw new MissingInputsError(missing);
    this.values = initialValues(this.notebook, this.inputs, this.options.overrides);
    this.ready = true;
  }

  private async resetNow(): Promise<void> {
    this.values = new Map();
    this.ready = false;
    this.lastRun = new Map();
    this.failed = new Set();
    this.usedTeardowns = [];
    this.cookies = new CookieJar();
    this.auth = new AuthProvider(this.options.http, this.options.redactor, this.options.timeoutMs);
    if (this.options.target.fresh) this.options.target.url = await this.options.target.fresh();
    this.tryReady();
  }

  /** The unrun steps before `cell` (and for a teardown cell, its unrun teardown predecessors), then the cell. */
  private chainTo(cell: CellRef): Step[] {
    const steps = this.notebook.steps;
    if (cell.phase === 'steps') {
      const target = steps[cell.index];
      if (!target) throw new Error(`no step ${cell.index}`);
      return [...steps.slice(0, cell.index).filter((s) => !this.hasRun(s)), target];
    }
    const target = this.notebook.teardown[cell.index];
    if (!target) throw new Error(`no teardown step ${cell.index}`);
    return [...steps.filter((s) => !this.hasRun(s)), ...this.notebook.teardown.slice(0, cell.index).filter((s) => !this.hasRun(s)), target];
  }

  /** Runs steps in order with runNotebook's rules (runSequence); `finish`: the used notebooks' teardowns too. */
  private async runChain(chain: Step[], signal?: AbortSignal, finish = false): Promise<void> {
    this.ensureReady();
    // A stop ends the chain it interrupted, not the next one the page asks for.
    if (!signal && this.interrupt.signal.aborted) this.interrupt = new AbortController();
    const ctx = this.context(signal ?? this.interrupt.signal);
    const hooks = this.options.hooks;
    await runSequence(chain, ctx, {
      usedTeardowns: this.usedTeardowns,
      finish,
      onStart: (step) => hooks.onCellStart?.({ phase: step.phase, index: step.index }),
      onRun: (step) => void this.lastRun.set(key(step.phase, step.index), ++this.seq),
      onEnd: async (step, failed) => {
        const k = key(step.phase, step.index);
        if (failed === true) this.failed.add(k);
        else if (failed === false) this.failed.delete(k);
        await hooks.onCellEnd?.({ phase: step.phase, index: step.index });
      },
    });
  }

  private context(signal: AbortSignal): RunContext {
    const { http, redactor, hooks, log, timeoutMs } = this.options;
    return {
      notebook: this.notebook,
      baseUrl: this.baseUrl,
      http,
      auth: this.auth,
      redactor,
      hooks,
      log,
      timeoutMs,
      openapi: this.options.openapi,
      openapiMode: this.options.openapiMode,
      cookies: this.cookies,
      values: this.values,
      signal,
      async emit(result) {
        await hooks.onStepEnd?.(redactResult(result, redactor));
      },
    };
  }
}

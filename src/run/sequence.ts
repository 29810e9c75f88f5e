/**
 * The ordering rules of a notebook, in one place for `run` (runNotebook) and `open` (the session):
 * steps run in order; a failed step (without continueOnFailure) skips the rest of the steps, never
 * the teardown; teardown always runs, unless its own signal is aborted; a `use` step runs the used
 * notebook's steps in its place, and that notebook's teardown joins the chain's, last use first.
 */
import { BUILTIN_NAMES, scopeOf, type RunContext } from './context.js';
import { DATA_FILES } from '../expr/functions.js';
import type { Step, UseStep } from '../notebook/types.js';
import type { StepResult } from './results.js';
import { baseResult, loopItems, runStep, skippedResult, toStepError } from './step.js';
import { truthy } from '../expr/index.js';

/**
 * Where initialValues keeps the command line's values (--var, --var-file, --var-json, a --data
 * row, the environment's): a used notebook's `vars:` give way to them as the using notebook's do.
 * Not a name an expression can write, as DATA_FILES is not.
 */
export const OVERRIDES = '#overrides';

/** A used notebook whose steps have started: its teardown runs with the values it ran with. */
export interface UsedTeardown {
  steps: Step[];
  ctx: RunContext;
}

export interface SequenceOptions {
  /** Signal of the teardown steps (default: the context's). */
  teardownSignal?: AbortSignal;
  /** Around each step of the chain (the page's cells; a `use` step is one cell of several results). */
  onStart?(step: Step): void | Promise<void>;
  /** Just before a step of the chain runs (not when it is skipped). */
  onRun?(step: Step): void;
  /** `failed` is undefined when the step was skipped without running. */
  onEnd?(step: Step, failed: boolean | undefined): void | Promise<void>;
  /** Teardowns of the uses run so far, in order of use (kept by the caller between chains). */
  usedTeardowns: UsedTeardown[];
  /** Run the used teardowns (last first) once the chain is done: the notebook's own teardown has run. */
  finish: boolean;
}

/** Runs `chain` by the rules above; returns whether a step failed or errored. */
export async function runSequence(chain: readonly Step[], ctx: RunContext, options: SequenceOptions): Promise<boolean> {
  const teardownCtx: RunContext = options.teardownSignal ? { ...ctx, signal: options.teardownSignal } : ctx;
  let stopReason: string | undefined;
  let anyFailed = false;
  for (const step of chain) {
    await options.onStart?.(step);
    const teardown = step.phase === 'teardown';
    if (!teardown && ctx.signal.aborted) stopReason = 'interrupted';
    const skip = teardown ? (teardownCtx.signal.aborted ? 'teardown was interrupted' : undefined) : stopReason;
    if (skip) {
      await ctx.emit(skippedResult(step, skip));
      await options.onEnd?.(step, undefined);
      continue;
    }
    const c = teardown ? teardownCtx : ctx;
    options.onRun?.(step);
    const failed = step.kind === 'use' ? await runUse(step, c, options.usedTeardowns) : await runStep(step, c);
    anyFailed ||= failed;
    await options.onEnd?.(step, failed);
    if (failed && !teardown && !step.continueOnFailure) stopReason = `an earlier step failed ("${step.name}")`;
  }
  if (options.finish) anyFailed = (await runUsedTeardowns(options.usedTeardowns, teardownCtx.signal)) || anyFailed;
  return anyFailed;
}

/** The pending used teardowns, last use first; the list is emptied (each runs once per use). */
async function runUsedTeardowns(pending: UsedTeardown[], signal: AbortSignal): Promise<boolean> {
  let failed = false;
  while (pending.length) {
    const { steps, ctx } = pending.pop()!;
    failed = (await runSequence(steps, { ...ctx, signal }, { usedTeardowns: pending, finish: false })) || failed;
  }
  return failed;
}

/**
 * One `use` step: per forEach item (one without), `if`, then `with:` rendered into the used
 * notebook's inputs, its vars, its steps; its captures come back to the using notebook's values.
 */
async function runUse(step: UseStep, ctx: RunContext, usedTeardowns: UsedTeardown[]): Promise<boolean> {
  const items = step.forEach ? await loopItems(step, ctx) : [{ index: 0 } as { item?: unknown; index: number; count?: number }];
  if (typeof items === 'boolean') return items;
  const used = step.use.notebook;
  let failed = false;
  for (const it of items) {
    const iteration = step.forEach ? { index: it.index, count: it.count, item: ctx.redactor.value(it.item) } : undefined;
    if (ctx.signal.aborted && step.phase === 'steps') {
      await ctx.emit(skippedResult(step, 'interrupted', iteration));
      continue;
    }
    const local = new Map<string, unknown>(step.forEach ? [[step.as, it.item]] : []);
    const scope = scopeOf(ctx.values, local);
    // The used notebook sees the user's values (inputs no `with` fills are resolved there), then its own.
    const values = new Map(ctx.values);
    try {
      if (step.when && !truthy(step.when.value.evaluate(scope))) {
        await ctx.emit(skippedResult(step, `\`if\` is false: ${step.when.value.source}`, iteration));
        continue;
      }
      for (const w of step.use.with) {
        const value = w.value.render(scope);
        if (used.inputs.find((i) => i.name === w.name)?.secret) ctx.redactor.add(value);
        values.set(w.name, value);
      }
      if (used.data) values.set(DATA_FILES, used.data);
      else values.delete(DATA_FILES);
      // Precedence inside a use: `with:` (set above, for the inputs it names) > the command line
      // (for inputs `with:` leaves open, and for vars) > the used notebook's own `vars:` and defaults.
      const overrides = (ctx.values.get(OVERRIDES) ?? {}) as Record<string, unknown>;
      for (const v of used.vars) values.set(v.name, Object.hasOwn(overrides, v.name) ? overrides[v.name] : v.value.render(scopeOf(values)));
    } catch (err) {
      await ctx.emit({ ...baseResult(step, Date.now()), iteration, status: 'error', error: toStepError(err) });
      failed = true;
      continue;
    }
    for (const n of BUILTIN_NAMES) if (ctx.values.has(n)) values.set(n, ctx.values.get(n));
    // Each forEach item is a use of its own, so a group of its own in every report: `Login [2/3]`.
    const name = iteration ? `${step.name} [${iteration.index + 1}/${iteration.count}]` : step.name;
    const from = { name, file: step.span.file, line: step.span.line };
    const child: RunContext = { ...ctx, notebook: used, values, emit: (r) => ctx.emit(asUsed(r, step.phase, from)) };
    // Registered before its steps run, so a use nested inside tears down before this one.
    if (step.phase === 'steps' && used.teardown.length) usedTeardowns.push({ steps: used.teardown, ctx: child });
    const own: UsedTeardownList = [];
    const stepsFailed = await runSequence(used.steps, child, { usedTeardowns: step.phase === 'steps' ? usedTeardowns : own, finish: false });
    // In a teardown, a use is whole at once: its teardown right after its steps.
    const teardownFailed = step.phase === 'teardown' ? await runSequence(used.teardown, child, { usedTeardowns: own, finish: true }) : false;
    for (const name of step.use.captures) ctx.values.set(name, values.get(name) ?? null);
    failed = stepsFailed || teardownFailed || failed;
  }
  return failed;
}

type UsedTeardownList = UsedTeardown[];

/** A result of a used step as reports show it: under the using step's name, at its own source line. */
function asUsed(r: StepResult, phase: UseStep['phase'], from: NonNullable<StepResult['used']>): StepResult {
  // The use's iteration is in its name (`Login [2/3] › …`); a used step's own forEach keeps its own.
  return { ...r, name: `${from.name} › ${r.name}`, phase: phase === 'teardown' ? 'teardown' : r.phase, used: from };
}

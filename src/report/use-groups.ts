/**
 * The steps of one `use:` as a group in the reports. Results stream one by one, so a group is
 * found as it goes: consecutive results with the same `used` (name, file, line) and phase are one
 * group (a use's teardown runs at the end of the notebook, so it is a group of its own there).
 * Each reporter asks the tracker, per step, whether a group closes and whether one opens, and
 * renders that in its own way; the tracker keeps the closing group's verdict, which is only
 * known once its last step has run.
 */
import type { StepResult } from '../run/results.js';

export type UsedRef = NonNullable<StepResult['used']>;

export interface UseGroup {
  used: UsedRef;
  teardown: boolean;
  steps: number;
  failed: number;
  errors: number;
  skipped: number;
}

/** A group's verdict: failed if any step failed, error if one errored (and none failed), else passed. */
export function groupStatus(g: UseGroup): 'passed' | 'failed' | 'error' {
  return g.failed ? 'failed' : g.errors ? 'error' : 'passed';
}

/** `Login (suite/orders.yaml:3)`, with `teardown: ` first for a use's teardown. */
export function groupTitle(g: UseGroup): string {
  return `${g.teardown ? 'teardown: ' : ''}${g.used.name}`;
}

export const groupWhere = (g: UseGroup) => `${g.used.file}:${g.used.line}`;

/** One line of a group's counts: `2 steps, 1 failed`. */
export function groupCounts(g: UseGroup): string {
  const parts = [`${g.steps} step${g.steps === 1 ? '' : 's'}`];
  if (g.failed) parts.push(`${g.failed} failed`);
  if (g.errors) parts.push(`${g.errors} error${g.errors === 1 ? '' : 's'}`);
  if (g.skipped) parts.push(`${g.skipped} skipped`);
  return parts.join(', ');
}

function sameGroup(g: UseGroup, r: StepResult): boolean {
  const u = r.used;
  return !!u && u.name === g.used.name && u.file === g.used.file && u.line === g.used.line && (r.phase === 'teardown') === g.teardown;
}

export interface GroupChange {
  /** The group that ended before this step (its counts final). */
  closed?: UseGroup;
  /** The group this step starts. */
  opened?: UseGroup;
  /** The group this step belongs to (undefined: a step of the notebook itself). */
  current?: UseGroup;
}

export class UseGroups {
  private open: UseGroup | undefined;

  /** Call once per result, before rendering it; the result is counted into its group. */
  next(r: StepResult): GroupChange {
    const change: GroupChange = {};
    if (this.open && !sameGroup(this.open, r)) {
      change.closed = this.open;
      this.open = undefined;
    }
    if (r.used && !this.open) {
      this.open = { used: r.used, teardown: r.phase === 'teardown', steps: 0, failed: 0, errors: 0, skipped: 0 };
      change.opened = this.open;
    }
    if (this.open) {
      const g = this.open;
      g.steps++;
      if (r.status === 'failed') g.failed++;
      else if (r.status === 'error') g.errors++;
      else if (r.status === 'skipped') g.skipped++;
    }
    change.current = this.open;
    return change;
  }

  /** The notebook ended: the group still open, if any. */
  end(): UseGroup | undefined {
    const g = this.open;
    this.open = undefined;
    return g;
  }
}

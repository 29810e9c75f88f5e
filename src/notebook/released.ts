/**
 * Big notebooks are checked up front and run later: a suite of nine 10,000-step notebooks would
 * hold every step of every notebook (~20 MB each) while the first one runs. So once a notebook is
 * checked, the loader may let its steps go, keeping only what the checks before a run read of
 * them (their `tls:`, whether one sends to a path, the counts); the run reads the file again
 * when the notebook's turn comes, and refuses it if the text is no longer the one checked.
 * Everything that reads steps before a run goes through the functions here.
 */
import { createHash } from 'node:crypto';
import { ownCopy } from '../expr/memo.js';
import type { Notebook, ReleasedSteps, TlsSpec } from './types.js';

export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The notebook without its steps (kept: every key above them, and what `ReleasedSteps` holds). */
export function releaseSteps(nb: Notebook, text: string): Notebook {
  const released: ReleasedSteps = { used: usedNotebooks(nb), steps: nb.steps.length, teardown: nb.teardown.length, tls: stepTls(nb), sendsToPath: anyPathTarget(nb), sha256: textHash(text) };
  return { ...ownStrings({ ...nb, steps: [], teardown: [] }, new Set()), released };
}

/**
 * The reader's strings are slices of the file's text, and V8 keeps a whole text alive while any
 * slice of it is: a title of 13 characters or more held its notebook's megabytes. So what a
 * released notebook keeps gets strings of its own (in place: the rest of the notebook is let go).
 * Functions, class instances and frozen values (compiled expressions) are left alone: what was
 * compiled went through src/expr/memo.ts, which copies.
 */
function ownStrings<T>(value: T, seen: Set<object>): T {
  if (typeof value === 'string') return ownCopy(value) as T;
  if (!isPlainData(value) || seen.has(value)) return value;
  seen.add(value);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) record[key] = ownStrings(record[key], seen);
  return value;
}

/** The steps read again (`loaded`, from the same file) under the notebook as prepared (its title, base URL). */
export function restoreSteps(prepared: Notebook, loaded: Notebook): Notebook {
  const { released: _gone, ...rest } = prepared;
  return { ...rest, steps: loaded.steps, teardown: loaded.teardown };
}

export function stepCounts(nb: Notebook): { steps: number; teardown: number } {
  return nb.released ? { steps: nb.released.steps, teardown: nb.released.teardown } : { steps: nb.steps.length, teardown: nb.teardown.length };
}

/** Every `tls:` of a notebook: its defaults', then each step's. */
export function tlsSpecsOf(nb: Notebook): TlsSpec[] {
  const specs = [nb.defaults.tls, ...(nb.released ? nb.released.tls : stepTls(nb))];
  return specs.filter((s): s is TlsSpec => !!s);
}

/** Some step sends to a path (`GET /items`), not a whole URL: the notebook needs a base URL. */
export function sendsToPath(nb: Notebook): boolean {
  return nb.released ? nb.released.sendsToPath : anyPathTarget(nb);
}

/** The notebooks a notebook's steps and teardown use (`use:`), directly. */
export function usedNotebooks(nb: Notebook): Notebook[] {
  if (nb.released) return nb.released.used;
  return [...nb.steps, ...nb.teardown].flatMap((s) => (s.kind === 'use' ? [s.use.notebook] : []));
}

function isPlainData(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === Array.prototype || proto === null;
}

function stepTls(nb: Notebook): TlsSpec[] {
  const specs: TlsSpec[] = [];
  for (const s of [...nb.steps, ...nb.teardown]) if (s.kind === 'http' && s.request.tls) specs.push(s.request.tls);
  return specs;
}

function anyPathTarget(nb: Notebook): boolean {
  return nb.steps.some((s) => s.kind === 'http' && s.request.target.kind === 'path');
}

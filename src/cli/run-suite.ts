/**
 * Runs the prepared notebooks of a `run`, up to --jobs at once, streaming every result to the
 * reporters (which keep notebook order by slot), and ends with the run's record: summary,
 * shard, baseline comparison. Each notebook gets its own target (a fresh embedded mock for
 * `mock: stripe`) and its own `runId`.
 */
import { randomBytes } from 'node:crypto';
import type { HttpClient } from '../http/client.js';
import type { Notebook } from '../notebook/types.js';
import type { Coverage } from '../openapi/coverage.js';
import type { Description } from '../openapi/description.js';
import type { Log } from '../run/log.js';
import { runNotebook } from '../run/notebook.js';
import { runPool } from '../run/pool.js';
import { reportUnrunnable } from '../run/unrunnable.js';
import type { Redactor } from '../run/redact.js';
import { summarize, type NotebookRecord, type RunRecord, type ShardInfo } from '../run/results.js';
import type { BaselineComparer } from '../report/baseline.js';
import { notebookHooks, runEnd, runStart, type NotebookSink, type Reporter } from '../report/reporter.js';
import { TOOL } from './version.js';

export interface PreparedNotebook {
  notebook: Notebook;
  inputs: Record<string, unknown>;
  /** This notebook's overrides of vars (the environment's, a --data row's, the command line's); else the suite's. */
  overrides?: Record<string, unknown>;
  /** The environment's base URL, rendered: over the notebook's `mock` and `baseUrl`. */
  baseUrl?: string;
}

export interface Target {
  url: string;
  close: () => Promise<void>;
}

export interface SuiteOptions {
  prepared: PreparedNotebook[];
  jobs: number;
  retries: number;
  overrides: Record<string, unknown>;
  timeoutMs: number;
  reporters: Reporter[];
  http: HttpClient;
  redactor: Redactor;
  log: Log;
  /** Aborted on the first interrupt. */
  signal: AbortSignal;
  /** Aborted when teardown must stop too (a second interrupt, or the deadline the first one started). */
  teardownSignal: AbortSignal;
  targetFor: (prepared: PreparedNotebook) => Promise<Target>;
  /** --env NAME: the environment the run used, named in every report. */
  environment?: string;
  shard?: ShardInfo;
  baseline?: BaselineComparer;
  /** The OpenAPI description a notebook's responses are checked against, if any. */
  openapiFor?: (notebook: Notebook) => Description | undefined;
  /** `--openapi-mode warn`: failed `openapi` checks are warnings. */
  openapiMode?: 'fail' | 'warn';
  /** Coverage of the descriptions used, read when the run ends. */
  coverages?: () => Coverage[];
  /** Some request does not verify TLS certificates: recorded in the run's record. */
  insecure?: boolean;
  /** A notebook with its steps, read when its turn comes (src/cli/load-all.ts lets big notebooks' steps go until then). */
  load?: (notebook: Notebook) => Promise<Notebook | { changed: string }>;
}

/** Unique per run: a time stamp and random letters; each notebook adds its position. */
export function newRunStamp(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export async function runSuite(o: SuiteOptions): Promise<RunRecord> {
  const startedAt = new Date();
  const t0 = performance.now();
  const stamp = newRunStamp();
  const records: Array<NotebookRecord | undefined> = [];
  try {
    await runStart(o.reporters, {
      notebooks: o.prepared.map((p) => ({ file: p.notebook.file, title: o.redactor.text(p.notebook.title) })),
      startedAt: startedAt.toISOString(),
      concurrent: o.jobs > 1 && o.prepared.length > 1,
      ...(o.environment ? { environment: o.environment } : {}),
    });
    await runPool(o.prepared, o.jobs, async (prepared, slot) => {
      const { inputs } = prepared;
      const extra: NotebookSink[] = o.baseline ? [o.baseline.sink(slot, prepared.notebook)] : [];
      const runId = `${stamp}-${slot + 1}`;
      // Only this job holds the steps: they are let go when it ends.
      const notebook = o.load ? await o.load(prepared.notebook) : prepared.notebook;
      if ('changed' in notebook) {
        records[slot] = await reportUnrunnable(prepared.notebook, prepared.baseUrl ?? prepared.notebook.baseUrl ?? '', notebookHooks(o.reporters, slot, extra), o.redactor, 'notebook-changed', notebook.changed, runId);
        return;
      }
      const target = await o.targetFor(prepared);
      try {
        records[slot] = await runNotebook(notebook, {
          baseUrl: target.url,
          inputs,
          overrides: prepared.overrides ?? o.overrides,
          http: o.http,
          hooks: notebookHooks(o.reporters, slot, extra),
          redactor: o.redactor,
          log: o.log,
          timeoutMs: o.timeoutMs,
          openapi: o.openapiFor?.(notebook),
          openapiMode: o.openapiMode,
          signal: o.signal,
          teardownSignal: o.teardownSignal,
          runId,
          retries: o.retries,
        });
      } finally {
        await target.close();
      }
    }, () => o.signal.aborted);
    const notebooks = records.filter((r): r is NotebookRecord => r !== undefined);
    const coverages = o.coverages?.() ?? [];
    const run: RunRecord = {
      tool: TOOL,
      startedAt: startedAt.toISOString(),
      interrupted: o.signal.aborted,
      summary: summarize(notebooks, performance.now() - t0),
      ...(o.environment ? { environment: o.environment } : {}),
      ...(o.shard ? { shard: o.shard } : {}),
      ...(o.baseline ? { baseline: o.baseline.result() } : {}),
      ...(coverages.length ? { coverage: coverages[0] } : {}),
      ...(coverages.length > 1 ? { coverageBySpec: coverages } : {}),
      ...(o.insecure ? { insecure: true } : {}),
      notebooks,
    };
    await runEnd(o.reporters, run);
    return run;
  } catch (err) {
    for (const r of o.reporters) r.discard?.();
    throw err;
  }
}

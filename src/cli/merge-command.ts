/**
 * `api-notebook merge <report dirs or report.json files…> --out DIR`: rebuilds every report from
 * the shards' report.json data (never from another report's text), as one run. Notebooks are
 * put in the order a run of the whole suite gives (sorted paths), so merging the shards of a
 * suite gives the same steps and summary as running it unsharded. Reads stream: memory stays
 * flat whatever the size of the shards.
 */
import { existsSync, statSync } from 'node:fs';
import { coverageOf, type Coverage } from '../openapi/coverage.js';
import { join, resolve } from 'node:path';
import { loadBaseline, type BaselineComparer } from '../report/baseline.js';
import { createReporters } from '../report/index.js';
import { readReport, ReportReadError } from '../report/read.js';
import { notebookHooks, runEnd, runStart } from '../report/reporter.js';
import { countStep, emptyCounts, summarize, type NotebookRecord, type RunRecord } from '../run/results.js';
import { UsageError, type MergeArgs } from './args.js';
import type { Io } from './io.js';
import { useColor } from './color.js';
import { TOOL } from './version.js';

interface Placed {
  input: number;
  ordinal: number;
  file: string;
  title: string;
}

/** A shard's --out folder or its report.json, as an absolute path; a usage error when neither is there. */
export function reportFile(path: string): string {
  if (!existsSync(path)) throw new UsageError(`no such report folder or file: ${path}`);
  const file = statSync(path).isDirectory() ? join(path, 'report.json') : path;
  if (!existsSync(file)) throw new UsageError(`${path} has no report.json (give the shard's --out folder or its report.json)`);
  return resolve(file);
}

export async function mergeCommand(args: MergeArgs, io: Io): Promise<number> {
  const inputs = [...new Set(args.inputs.map(reportFile))];
  try {
    return await merge(inputs, args, io);
  } catch (err) {
    if (err instanceof ReportReadError) throw new UsageError(err.message);
    throw err;
  }
}

async function merge(inputs: string[], args: MergeArgs, io: Io): Promise<number> {
  // First pass, steps skipped: which notebooks, so each gets its place in suite order.
  const heads: Array<Omit<RunRecord, 'notebooks'>> = [];
  const placed: Placed[] = [];
  for (const [input, file] of inputs.entries()) {
    let ordinal = 0;
    for await (const e of readReport(file, { steps: false })) {
      if (e.kind === 'run') heads.push(e.run);
      else if (e.kind === 'notebook') placed.push({ input, ordinal: ordinal++, file: e.notebook.file, title: e.notebook.title });
    }
  }
  warnAboutShards(heads, io);
  const order = [...placed].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.input - b.input || a.ordinal - b.ordinal));
  const slotOf = new Map(order.map((p, slot) => [`${p.input}:${p.ordinal}`, slot]));

  const baseline: BaselineComparer | undefined = args.baseline ? await loadBaseline(args.baseline, args.baselineThreshold) : undefined;
  const reporters = await createReporters(args.reporters, { outDir: resolve(args.out), io, quiet: true, color: useColor(io.stdout, io.env) });
  const records: NotebookRecord[] = [];
  try {
    await runStart(reporters, { notebooks: order.map((p) => ({ file: p.file, title: p.title })), startedAt: earliest(heads), concurrent: false });
    // Second pass: replay every notebook's steps into the reporters, at its slot.
    for (const [input, file] of inputs.entries()) {
      let ordinal = 0;
      let current: { slot: number; record: NotebookRecord; hooks: ReturnType<typeof notebookHooks> } | undefined;
      for await (const e of readReport(file)) {
        if (e.kind === 'notebook') {
          const slot = slotOf.get(`${input}:${ordinal++}`)!;
          const record = { ...e.notebook, counts: emptyCounts() };
          const hooks = notebookHooks(reporters, slot, baseline ? [baseline.sink(slot, record)] : []);
          hooks.onNotebookStart({ file: record.file, title: record.title, baseUrl: record.baseUrl, description: record.description });
          current = { slot, record, hooks };
        } else if (e.kind === 'step' && current) {
          countStep(current.record.counts, e.step);
          current.hooks.onStepEnd(e.step);
        } else if (e.kind === 'notebookEnd' && current) {
          current.hooks.onNotebookEnd(current.record);
          records[current.slot] = current.record;
          current = undefined;
        }
      }
    }
    const notebooks = records.filter(Boolean);
    const shards = heads.flatMap((h) => (h.shard ? [{ index: h.shard.index, total: h.shard.total }] : []));
    const coverages = mergeCoverages(heads.flatMap((h) => h.coverageBySpec ?? (h.coverage ? [h.coverage] : [])));
    const run: RunRecord = {
      tool: TOOL,
      startedAt: earliest(heads),
      interrupted: heads.some((h) => h.interrupted),
      // A merged run took as long as its longest shard.
      summary: summarize(notebooks, Math.max(0, ...heads.map((h) => h.summary.durationMs ?? 0))),
      merged: { reports: inputs.length, shards },
      // Shards of one run share their environment; reports of different ones name them all.
      ...(environmentOf(heads) ? { environment: environmentOf(heads) } : {}),
      ...(baseline ? { baseline: baseline.result() } : {}),
      ...(coverages.length ? { coverage: coverages[0] } : {}),
      ...(coverages.length > 1 ? { coverageBySpec: coverages } : {}),
      // A shard that did not verify certificates makes the whole run one that did not.
      ...(heads.some((h) => h.insecure) ? { insecure: true } : {}),
      notebooks,
    };
    await runEnd(reporters, run);
    if (run.interrupted) return 130;
    return run.summary.failed || run.summary.errors ? 1 : 0;
  } catch (err) {
    for (const r of reporters) r.discard?.();
    throw err;
  }
}

function earliest(heads: Array<{ startedAt: string }>): string {
  return heads.map((h) => h.startedAt).filter(Boolean).sort()[0] ?? new Date().toISOString();
}

/** Shards of one suite should all be there, once each: say so when they are not (the merge still happens). */
function warnAboutShards(heads: Array<Omit<RunRecord, 'notebooks'>>, io: Io): void {
  const shards = heads.map((h) => h.shard).filter((s) => s !== undefined);
  if (!shards.length) return;
  const total = shards[0].total;
  if (shards.some((s) => s.total !== total)) {
    io.stderr.write(`warning: the reports come from different splits (${shards.map((s) => `${s.index}/${s.total}`).join(', ')})\n`);
    return;
  }
  const seen = shards.map((s) => s.index);
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !seen.includes(i));
  const twice = seen.filter((i, k) => seen.indexOf(i) !== k);
  if (missing.length) io.stderr.write(`warning: shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${total}`).join(', ')} missing; the merged report covers ${total - missing.length} of ${total} shards\n`);
  if (twice.length) io.stderr.write(`warning: shard${twice.length > 1 ? 's' : ''} ${twice.map((i) => `${i}/${total}`).join(', ')} given more than once\n`);
}

/**
 * The shards' OpenAPI coverages of one description, as one: an operation is exercised when any
 * shard exercised it, and the statuses seen are counted across shards.
 */
export function mergeCoverages(all: Coverage[]): Coverage[] {
  const bySpec = new Map<string, Map<string, Coverage['operations'][number]>>();
  for (const c of all) {
    const ops = bySpec.get(c.spec) ?? new Map();
    bySpec.set(c.spec, ops);
    for (const o of c.operations) {
      const key = `${o.method} ${o.path}`;
      const into = ops.get(key) ?? { ...o, seen: {}, exercised: false };
      for (const [status, n] of Object.entries(o.seen)) into.seen[status] = (into.seen[status] ?? 0) + n;
      into.exercised ||= o.exercised;
      ops.set(key, into);
    }
  }
  // Counted again from the merged statuses: the same function as one run's, so the same numbers.
  return [...bySpec].map(([spec, ops]) => coverageOf(spec, [...ops.values()]));
}

function environmentOf(heads: Array<{ environment?: string }>): string | undefined {
  const names = [...new Set(heads.map((h) => h.environment).filter((e): e is string => typeof e === 'string'))];
  return names.length ? names.join(', ') : undefined;
}

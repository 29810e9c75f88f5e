/**
 * `api-notebook coverage <description> <report dirs or report.json files…>`: the description's
 * OpenAPI coverage by the runs the reports record (the shards of a suite), printed as one run
 * prints it. The reports are read and checked as `merge` reads them (src/report/read.ts, only
 * their heads); the rows are the description's operations as it is now, and the statuses seen
 * are added up across the reports, so the numbers are one unsharded run's.
 */
import { resolve } from 'node:path';
import { fileRulesFor } from '../files/access.js';
import { coverageLine, coverageOf, coverageShortfalls, responseShortfalls, responsesSeen, type Coverage, type OperationCoverage } from '../openapi/coverage.js';
import type { Description } from '../openapi/description.js';
import { DescriptionError, isHttpUrl, loadDescription } from '../openapi/load.js';
import { readReport, ReportReadError } from '../report/read.js';
import { terminalText } from '../report/escape/terminal.js';
import { UsageError, type CoverageArgs } from './args.js';
import { reportFile } from './merge-command.js';
import type { Io } from './io.js';

export async function coverageCommand(args: CoverageArgs, io: Io): Promise<number> {
  const files = [...new Set(args.reports.map(reportFile))];
  const description = await describedBy(args);
  const recorded = await recordedCoverages(files);
  const mine = recorded.filter((r) => sameDescription(r.coverage, description));
  if (!mine.length) {
    const named = [...new Set(recorded.map((r) => r.coverage.spec))];
    throw new UsageError(`no report has the coverage of ${description.spec}: ${named.length ? `they cover ${named.join(', ')}` : 'none of them was run with an OpenAPI description'}` +
      ' (run with --openapi FILE, or `openapi:` in the notebooks, to record it)');
  }
  const coverage = combined(description, mine.map((r) => r.coverage));
  io.stdout.write(table(coverage).map(terminalText).join('\n') + '\n');
  const shortfalls = [
    ...(args.coverageMin === undefined ? [] : coverageShortfalls([coverage], args.coverageMin)),
    ...(args.coverageMinResponses === undefined ? [] : responseShortfalls([coverage], args.coverageMinResponses)),
  ];
  for (const s of shortfalls) io.stderr.write(`Failed: ${terminalText(s)}\n`);
  return shortfalls.length ? 1 : 0;
}

/** Every coverage each report recorded, with the file it came from; a report that does not read is a usage error. */
async function recordedCoverages(files: string[]): Promise<Array<{ file: string; coverage: Coverage }>> {
  const out: Array<{ file: string; coverage: Coverage }> = [];
  for (const file of files) {
    try {
      for await (const e of readReport(file, { steps: false })) {
        if (e.kind !== 'run') continue;
        for (const coverage of e.run.coverageBySpec ?? (e.run.coverage ? [e.run.coverage] : [])) out.push({ file, coverage });
      }
    } catch (err) {
      if (err instanceof ReportReadError) throw new UsageError(err.message);
      throw err;
    }
  }
  return out;
}

/** Read as `run --openapi FILE` reads it: wherever it is, its $refs within its own repository (or --allow-files). */
async function describedBy(args: CoverageArgs): Promise<Description> {
  const remote = isHttpUrl(args.description);
  const file = remote ? args.description : resolve(args.description);
  try {
    return await loadDescription(file, { rules: fileRulesFor(remote ? resolve('--openapi') : file, args.allowFiles), fetch: true, command: 'coverage', scope: "the description's own repository" });
  } catch (err) {
    if (err instanceof DescriptionError) throw new UsageError(`${err.message}${err.hint ? `\n  = hint: ${err.hint}` : ''}`);
    throw err;
  }
}

/**
 * A recorded coverage is of this description when it names the same file (as shown from here), or,
 * run from another folder, when it lists exactly the description's operations.
 */
function sameDescription(c: Coverage, d: Description): boolean {
  if (c.spec === d.spec || (!isHttpUrl(c.spec) && !isHttpUrl(d.spec) && resolve(c.spec) === resolve(d.spec))) return true;
  const ours = new Set(d.operations.map((o) => o.label));
  return c.operations.length === ours.size && c.operations.every((o) => ours.has(`${o.method} ${o.path}`));
}

/** The description's operations, with the statuses every report saw for each added up. */
function combined(d: Description, all: Coverage[]): Coverage {
  const seenBy = new Map<string, Record<string, number>>();
  for (const c of all) {
    for (const o of c.operations) {
      const into = seenBy.get(`${o.method} ${o.path}`) ?? {};
      for (const [status, n] of Object.entries(o.seen)) into[status] = (into[status] ?? 0) + n;
      seenBy.set(`${o.method} ${o.path}`, into);
    }
  }
  const operations: OperationCoverage[] = d.operations.map((op) => {
    const seen = seenBy.get(op.label) ?? {};
    const sorted = Object.fromEntries(Object.entries(seen).sort(([a], [b]) => Number(a) - Number(b)));
    return { method: op.method, path: op.path, documented: op.documented, seen: sorted, exercised: Object.keys(seen).length > 0 };
  });
  return coverageOf(d.spec, operations);
}

/** One line per operation, in columns, then the run's coverage line. */
function table(c: Coverage): string[] {
  const rows = [['', 'operation', 'documented', 'seen', 'responses'], ...c.operations.map((o) => [
    o.exercised ? '✔' : '✘',
    `${o.method} ${o.path}`,
    o.documented.join(', '),
    Object.entries(o.seen).map(([s, n]) => `${s} ×${n}`).join(', ') || '—',
    `${responsesSeen(o).length} of ${o.documented.length}`,
  ])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  const lines = rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell + ' '.repeat(widths[i]! - [...cell].length))).join('  ').trimEnd());
  return [...lines, '', coverageLine(c)];
}


/**
 * Coverage of a description by a run: every operation, the statuses it documents, the statuses
 * the run saw (with counts), and whether it was exercised at all. It is data on the run result;
 * reporters render it, and `--coverage-min` gates on `percent`.
 */
export interface OperationCoverage {
  method: string;
  path: string;
  /** Status keys as the description writes them: `200`, `4XX`, `default`. */
  documented: string[];
  /** Status code → how many responses had it. */
  seen: Record<string, number>;
  /** At least one request was answered for this operation. */
  exercised: boolean;
}

export interface Coverage {
  /** The description, as its path is shown to people. */
  spec: string;
  operations: OperationCoverage[];
  /** Operations exercised / operations documented, in percent, one decimal. */
  percent: number;
}

/** `Coverage of schemas/x.json: 12 of 28 operations (42.9%)`. */
export function coverageLine(c: Coverage): string {
  const exercised = c.operations.filter((o) => o.exercised).length;
  return `OpenAPI coverage of ${c.spec}: ${exercised} of ${c.operations.length} operation${c.operations.length === 1 ? '' : 's'} (${c.percent}%)`;
}

/** The descriptions whose coverage is below `min` percent, each said plainly. */
export function coverageShortfalls(coverages: Coverage[], min: number): string[] {
  return coverages
    .filter((c) => exactPercent(c) < min)
    .map((c) => `coverage of ${c.spec} is ${c.percent}%, below --coverage-min ${min}%: ${c.operations.filter((o) => !o.exercised).length} operation(s) never exercised`);
}

function exactPercent(c: Coverage): number {
  return c.operations.length ? (c.operations.filter((o) => o.exercised).length / c.operations.length) * 100 : 100;
}

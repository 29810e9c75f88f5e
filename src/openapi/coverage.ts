/**
 * Coverage of a description by a run: every operation, the statuses it documents, the statuses
 * the run saw (with counts), and whether it was exercised at all; and, over all operations, how
 * many of the documented responses were seen. It is data on the run result; reporters render it,
 * `--coverage-min` gates on `percent` and `--coverage-min-responses` on `responses.percent`.
 *
 * Everything here is derived from `documented` and `seen` alone, so a merge of shards (which adds
 * up `seen`) and one run give the same numbers by construction.
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

/** The documented responses (a status key of an operation is one) and how many a response was checked against. */
export interface ResponseCoverage {
  documented: number;
  seen: number;
  /** seen / documented, in percent, one decimal (100 when nothing is documented). */
  percent: number;
}

export interface Coverage {
  /** The description, as its path is shown to people. */
  spec: string;
  operations: OperationCoverage[];
  /** Operations exercised / operations documented, in percent, one decimal. */
  percent: number;
  /** Absent only in reports written before response coverage was counted. */
  responses?: ResponseCoverage;
}

/**
 * The documented key a status is checked against: the exact code, then its `4XX`-style range,
 * then `default` (OpenAPI's order; Description.response uses the same rule).
 */
export function statusKeyFor(documented: readonly string[], status: number): string | undefined {
  return [String(status), `${Math.floor(status / 100)}XX`, 'default'].find((key) => documented.includes(key));
}

/** The documented keys of one operation that some seen status was checked against, in documented order. */
export function responsesSeen(o: Pick<OperationCoverage, 'documented' | 'seen'>): string[] {
  const hit = new Set(Object.keys(o.seen).map((s) => statusKeyFor(o.documented, Number(s))));
  return o.documented.filter((key) => hit.has(key));
}

/** A description's coverage from its operations' `documented` and `seen`: the one place the totals are counted. */
export function coverageOf(spec: string, operations: OperationCoverage[]): Coverage {
  const exercised = operations.filter((o) => o.exercised).length;
  const documented = operations.reduce((n, o) => n + o.documented.length, 0);
  const seen = operations.reduce((n, o) => n + responsesSeen(o).length, 0);
  return { spec, operations, percent: percentOf(exercised, operations.length), responses: { documented, seen, percent: percentOf(seen, documented) } };
}

function percentOf(part: number, whole: number): number {
  return whole ? Math.round((part / whole) * 1000) / 10 : 100;
}

/** `OpenAPI coverage of schemas/x.json: 12 of 28 operations (42.9%), 20 of 61 documented responses (32.8%)`. */
export function coverageLine(c: Coverage): string {
  const exercised = c.operations.filter((o) => o.exercised).length;
  const r = c.responses;
  const responses = r ? `, ${r.seen} of ${r.documented} documented response${r.documented === 1 ? '' : 's'} (${r.percent}%)` : '';
  return `OpenAPI coverage of ${c.spec}: ${exercised} of ${c.operations.length} operation${c.operations.length === 1 ? '' : 's'} (${c.percent}%)${responses}`;
}

/** The descriptions whose coverage is below `min` percent, each said plainly. */
export function coverageShortfalls(coverages: Coverage[], min: number): string[] {
  return coverages
    .filter((c) => exactPercent(c) < min)
    .map((c) => `coverage of ${c.spec} is ${c.percent}%, below --coverage-min ${min}%: ${c.operations.filter((o) => !o.exercised).length} operation(s) never exercised`);
}

/** The descriptions whose response coverage is below `min` percent, each with how many responses were never seen. */
export function responseShortfalls(coverages: Coverage[], min: number): string[] {
  return coverages.flatMap((c) => {
    const r = c.responses ?? coverageOf(c.spec, c.operations).responses!;
    const exact = r.documented ? (r.seen / r.documented) * 100 : 100;
    return exact < min ? [`response coverage of ${c.spec} is ${r.percent}%, below --coverage-min-responses ${min}%: ${r.documented - r.seen} of ${r.documented} documented responses never seen`] : [];
  });
}

function exactPercent(c: Coverage): number {
  return c.operations.length ? (c.operations.filter((o) => o.exercised).length / c.operations.length) * 100 : 100;
}

/**
 * What a run produces. Reporters render these; the runner never formats text.
 * A check failure (the response arrived and was wrong) and a runtime error (no usable response,
 * a broken expression) stay apart from here to every report.
 */
import type { CheckResult } from '../checks/result.js';
import type { Phase, Span } from '../notebook/types.js';
import type { Coverage } from '../openapi/coverage.js';
import type { PartRecord } from '../http/multipart.js';
import type { BodyFileRecord } from './request-bodies.js';

export type StepStatus = 'passed' | 'failed' | 'error' | 'skipped';

export interface RequestRecord {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** A `multipart:` body: each part's name, file name, type and size (a text part's value too), never a file's bytes. */
  multipart?: PartRecord[];
  /** `body: { file }`: the file as written, its type and size, never its bytes. */
  bodyFile?: BodyFileRecord;
}

export interface ResponseRecord {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  durationMs: number;
  /** Set when the body is stored cut short in reports: its real size in bytes. */
  bodyBytes?: number;
  /** The body above is its first part only (reports keep at most REPORT_BODY_LIMIT of it). */
  bodyTruncated?: boolean;
  /** `bytes` when the body was kept as bytes (an image, an octet stream): `body` is then their summary text. */
  bodyType?: 'json' | 'text' | 'bytes';
  /** A bytes body's SHA-256 (hex). */
  bodySha256?: string;
  /** The protocol of the exchange: "1.1", or "2" (HTTP/2, negotiated with `http2: true`). */
  httpVersion?: string;
}

export interface StepError {
  /**
   * connection-refused, connection-reset, timeout, invalid-json, body-too-large, invalid-encoding,
   * missing-value (a null in the request path, not sent), expression, input, interrupted,
   * value-too-large (a value an expression built passed VALUE_LIMITS), …
   */
  kind: string;
  message: string;
}

export interface StepResult {
  name: string;
  phase: Phase;
  /** Index of the step within its phase. */
  index: number;
  /** For forEach / repeat: which run of the step this is. */
  iteration?: { index: number; count?: number; item?: unknown };
  status: StepStatus;
  durationMs: number;
  startedAt: string;
  span: Span;
  doc?: string;
  request?: RequestRecord;
  response?: ResponseRecord;
  /** `followRedirects`: each redirect followed before `request` (the last one sent), in order. */
  redirects?: Array<{ method: string; url: string; status: number; location: string }>;
  checks: CheckResult[];
  captures: Record<string, unknown>;
  error?: StepError;
  skipReason?: string;
  /** Things worth a look that did not fail the step, e.g. a capture that found nothing. */
  warnings?: string[];
  /** `--openapi-mode warn`: the failed `openapi` checks, whole (they did not fail the step). */
  contractWarnings?: CheckResult[];
  /** Runs of this step until it passed or the retries ran out (0 when skipped, 1 when it passed first time). */
  attempts: number;
  /** Passed only after a retry. */
  flaky: boolean;
  /** Why the earlier attempts failed (only when retried). */
  retried?: Array<{ status: StepStatus; message: string }>;
  /**
   * A step of a used notebook (`use:`): the using step's name, and the file and line of the `use`
   * (the outermost one when uses nest). `name` is then `Login › Request a token`; `span` is the used file's.
   */
  used?: { name: string; file: string; line: number };
}

export type NotebookStatus = 'passed' | 'failed' | 'error' | 'interrupted';

/** Step counts of a notebook or a run. */
export interface Counts {
  steps: number;
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
  /** Passed after a retry (also counted in `passed`). */
  flaky: number;
}

/** A notebook's record without its steps: steps stream to the reporters as they finish. */
export interface NotebookRecord {
  file: string;
  title: string;
  description?: string;
  baseUrl: string;
  status: NotebookStatus;
  startedAt: string;
  durationMs: number;
  /** Unique per run and notebook (the `runId` variable). */
  runId?: string;
  counts: Counts;
}

/** A notebook as report.json holds it. */
export interface NotebookResult extends NotebookRecord {
  steps: StepResult[];
}

export interface Summary extends Counts {
  notebooks: number;
  durationMs: number;
}

/** `--shard i/n`: this run is shard `index` of `total` of a suite of `suiteNotebooks`. */
export interface ShardInfo {
  index: number;
  total: number;
  suiteNotebooks: number;
}

export interface StepRef {
  file: string;
  notebook: string;
  step: string;
  status: StepStatus;
  line: number;
  durationMs: number;
}

/** `--baseline`: how this run differs from an earlier report.json. Lists are capped; counts are not. */
export interface BaselineDiff {
  file: string;
  startedAt?: string;
  thresholdPercent: number;
  counts: { newlyFailing: number; fixed: number; slower: number };
  newlyFailing: Array<StepRef & { was: StepStatus | null }>;
  fixed: Array<StepRef & { was: StepStatus }>;
  slower: Array<StepRef & { baselineMs: number }>;
}

/** The run as every reporter sees it at the end; report.json is this plus each notebook's steps. */
export interface RunRecord {
  tool: { name: 'api-notebook'; version: string };
  startedAt: string;
  interrupted: boolean;
  summary: Summary;
  /** --env NAME: the environment the notebooks ran in. */
  environment?: string;
  shard?: ShardInfo;
  /** Set by `api-notebook merge`: the shards this report was rebuilt from. */
  merged?: { reports: number; shards: Array<{ index: number; total: number }> };
  baseline?: BaselineDiff;
  /** How much of the OpenAPI description the run exercised (when a notebook or --openapi names one). */
  coverage?: Coverage;
  /** Present only when notebooks named different descriptions: the coverage of each (the first is `coverage`). */
  coverageBySpec?: Coverage[];
  /** Set when some request of the run did not verify TLS certificates (--insecure, `tls.insecure`). */
  insecure?: boolean;
  notebooks: NotebookRecord[];
}

export interface RunResult extends RunRecord {
  notebooks: NotebookResult[];
}

export function emptyCounts(): Counts {
  return { steps: 0, passed: 0, failed: 0, errors: 0, skipped: 0, flaky: 0 };
}

export function countStep(c: Counts, r: StepResult): void {
  c.steps++;
  if (r.status === 'passed') c.passed++;
  else if (r.status === 'failed') c.failed++;
  else if (r.status === 'error') c.errors++;
  else c.skipped++;
  if (r.flaky) c.flaky++;
}

export function summarize(notebooks: NotebookRecord[], durationMs: number): Summary {
  const total = emptyCounts();
  for (const nb of notebooks) for (const k of Object.keys(total) as Array<keyof Counts>) total[k] += nb.counts[k];
  return { notebooks: notebooks.length, ...total, durationMs: Math.round(durationMs) };
}

/** What the runner tells about one notebook as it runs, each at its moment, in order. */
export interface RunHooks {
  onNotebookStart?(info: { file: string; title: string; baseUrl: string; description?: string }): void | Promise<void>;
  onStepStart?(info: { name: string; phase: Phase; index: number; method?: string; iteration?: StepResult['iteration'] }): void | Promise<void>;
  onStepEnd?(result: StepResult): void | Promise<void>;
  onNotebookEnd?(result: NotebookRecord): void | Promise<void>;
}

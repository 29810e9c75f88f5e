/**
 * What a run produces. Reporters render these; the runner never formats text.
 * A check failure (the response arrived and was wrong) and a runtime error (no usable response,
 * a broken expression) stay apart from here to every report.
 */
import type { CheckResult } from '../checks/result.js';
import type { Phase, Span } from '../notebook/types.js';
import type { Coverage } from '../openapi/coverage.js';

export type StepStatus = 'passed' | 'failed' | 'error' | 'skipped';

export interface RequestRecord {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
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
}

export interface StepError {
  /**
   * connection-refused, connection-reset, timeout, invalid-json, body-too-large, invalid-encoding,
   * missing-value (a null in the request path, not sent), expression, input, interrupted, …
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
  checks: CheckResult[];
  captures: Record<string, unknown>;
  error?: StepError;
  skipReason?: string;
  /** Things worth a look that did not fail the step, e.g. a capture that found nothing. */
  warnings?: string[];
}

export type NotebookStatus = 'passed' | 'failed' | 'error' | 'interrupted';

export interface NotebookResult {
  file: string;
  title: string;
  description?: string;
  baseUrl: string;
  status: NotebookStatus;
  startedAt: string;
  durationMs: number;
  steps: StepResult[];
}

export interface Summary {
  notebooks: number;
  steps: number;
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
  durationMs: number;
}

export interface RunResult {
  tool: { name: 'api-notebook'; version: string };
  startedAt: string;
  interrupted: boolean;
  summary: Summary;
  notebooks: NotebookResult[];
  /** How much of the OpenAPI description the run exercised (when a notebook or --openapi names one). */
  coverage?: Coverage;
  /** Present only when notebooks named different descriptions: the coverage of each (the first is `coverage`). */
  coverageBySpec?: Coverage[];
}

export function summarize(notebooks: NotebookResult[], durationMs: number): Summary {
  const steps = notebooks.flatMap((n) => n.steps);
  const count = (s: StepStatus) => steps.filter((r) => r.status === s).length;
  return { notebooks: notebooks.length, steps: steps.length, passed: count('passed'), failed: count('failed'), errors: count('error'), skipped: count('skipped'), durationMs: Math.round(durationMs) };
}

/** Hooks a reporter may implement; the runner calls each at its moment, in order. */
export interface RunHooks {
  onRunStart?(info: { notebooks: Array<{ file: string; title: string }>; startedAt: string }): void | Promise<void>;
  onNotebookStart?(info: { file: string; title: string; baseUrl: string; description?: string }): void | Promise<void>;
  onStepStart?(info: { name: string; phase: Phase; index: number; method?: string; iteration?: StepResult['iteration'] }): void | Promise<void>;
  onStepEnd?(result: StepResult): void | Promise<void>;
  onNotebookEnd?(result: NotebookResult): void | Promise<void>;
  onRunEnd?(result: RunResult): void | Promise<void>;
}

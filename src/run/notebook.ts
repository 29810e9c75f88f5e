/**
 * runNotebook: steps in order, skipping the rest after a failure (unless continueOnFailure),
 * then teardown, which always runs: after success, failure, and interrupt (within a deadline).
 * The order itself is runSequence's (src/run/sequence.ts), which the live page's session shares.
 */
import type { Log } from './log.js';
import { DATA_FILES } from '../expr/functions.js';
import type { HttpClient } from '../http/client.js';
import { CookieJar } from '../http/cookies.js';
import type { Notebook } from '../notebook/types.js';
import type { Description } from '../openapi/description.js';
import { AuthProvider } from './auth.js';
import { scopeOf, type RunContext } from './context.js';
import type { Redactor } from './redact.js';
import { DeferredHooks } from './deferred.js';
import { countStep, emptyCounts, type Counts, type NotebookRecord, type NotebookStatus, type ResponseRecord, type RunHooks, type StepResult } from './results.js';
import { OVERRIDES, runSequence } from './sequence.js';
import { reportableBytes } from './report-bytes.js';

/** What running steps needs, whoever drives it: `run` (a whole notebook) or `open` (a session). */
export interface RunServices {
  /** Resolved input values, and --var overrides (which also replace vars). */
  inputs: Record<string, unknown>;
  overrides: Record<string, unknown>;
  http: HttpClient;
  redactor: Redactor;
  log: Log;
  timeoutMs: number;
  /** Every response is checked against this OpenAPI description (loaded once per run). */
  openapi?: Description;
  /** `--openapi-mode warn`: failed `openapi` checks are warnings. */
  openapiMode?: 'fail' | 'warn';
}

export interface NotebookRunOptions extends RunServices {
  baseUrl: string;
  hooks: RunHooks;
  /** Aborted on the first interrupt: the current request stops and the remaining steps are skipped. */
  signal: AbortSignal;
  /** Aborted when teardown must stop too (a second interrupt, or the deadline the first one started). */
  teardownSignal: AbortSignal;
  /** The built-in `runId` variable: unique per run and notebook. */
  runId?: string;
  /** `--retries N`: retries of a failed run for steps whose request cannot change state. */
  retries?: number;
}

export async function runNotebook(notebook: Notebook, options: NotebookRunOptions): Promise<NotebookRecord> {
  const startedAt = new Date();
  const t0 = performance.now();
  // Counts only: results stream to the hooks, so memory stays flat in the number of steps.
  const counts = emptyCounts();
  const values = initialValues(notebook, options.inputs, options.overrides, options.runId);
  const redactor = options.redactor;
  // What reporters show of the notebook goes through the redactor like every result: a secret's
  // value may also appear in a title, a description or the base URL.
  const shown = {
    title: redactor.text(notebook.title),
    description: notebook.description === undefined ? undefined : redactor.text(notebook.description),
    baseUrl: redactor.text(options.baseUrl),
  };
  await options.hooks.onNotebookStart?.({ file: notebook.file, ...shown });
  // Steps report through a queue that runs while the next request is out (see deferred.ts).
  const reporting = new DeferredHooks();
  const onSent = () => reporting.requestSent();
  const hooks = options.hooks;

  const ctx: RunContext = {
    notebook,
    baseUrl: options.baseUrl,
    // The queue of results runs once the next request is on the wire.
    http: { send: (req, signal) => options.http.send(req, signal, onSent), close: () => options.http.close() },
    auth: new AuthProvider(options.http, redactor, notebook.defaults.timeoutMs ?? options.timeoutMs),
    redactor,
    hooks: { ...hooks, onStepStart: (info) => reporting.defer(() => hooks.onStepStart?.(info)) },
    log: options.log,
    timeoutMs: options.timeoutMs,
    openapi: options.openapi,
    openapiMode: options.openapiMode,
    // One jar per notebook run: the teardown below runs on this same context's jar.
    cookies: new CookieJar(),
    values,
    signal: options.signal,
    retries: options.retries ?? 0,
    emit: (result) =>
      reporting.defer(() => {
        const safe = redactResult(result, redactor);
        countStep(counts, safe);
        return hooks.onStepEnd?.(safe);
      }),
  };

  // The ordering rules (skip after a failure, teardown always, `use`) are src/run/sequence.ts's.
  await runSequence([...notebook.steps, ...notebook.teardown], ctx, { teardownSignal: options.teardownSignal, usedTeardowns: [], finish: true });
  await reporting.drain();

  const result: NotebookRecord = {
    file: notebook.file,
    ...shown,
    status: statusOf(counts, options.signal.aborted),
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    runId: options.runId,
    counts,
  };
  await options.hooks.onNotebookEnd?.(result);
  return result;
}

/** Inputs, then each var rendered in order (a --var override replaces it). Shared with `open`. */
export function initialValues(notebook: Notebook, inputs: Record<string, unknown>, overrides: Record<string, unknown>, runId?: string): Map<string, unknown> {
  // The built-in runId first: an input or var of that name replaces it.
  const values = new Map<string, unknown>(runId ? [['runId', runId]] : []);
  for (const [k, v] of Object.entries(inputs)) values.set(k, v);
  if (notebook.data) values.set(DATA_FILES, notebook.data);
  // Kept for the notebooks this one uses: their vars give way to the command line too (sequence.ts).
  if (Object.keys(overrides).length) values.set(OVERRIDES, overrides);
  for (const v of notebook.vars) {
    values.set(v.name, Object.hasOwn(overrides, v.name) ? overrides[v.name] : v.value.render(scopeOf(values)));
  }
  return values;
}

function statusOf(counts: Counts, interrupted: boolean): NotebookStatus {
  if (interrupted) return 'interrupted';
  if (counts.errors) return 'error';
  if (counts.failed) return 'failed';
  return 'passed';
}

/**
 * Reports keep at most this much of a response body (characters of its text, or of its JSON):
 * enough to read, and every reporter stays small and fast whatever the server sent.
 */
export const REPORT_BODY_LIMIT = 1024 * 1024;

/** Exported for `open`, which emits results one step at a time through the same redaction. */
export function redactResult(result: StepResult, redactor: Redactor): StepResult {
  // Bytes (an image body, a capture of it) become their size and digest before anyone sees them.
  result = reportableBytes(result);
  // With no secret values known, only the sensitive headers need masking: no deep copy.
  const safe = redactor.size === 0 ? { ...result } : redactor.value(result);
  if (result.request) safe.request = { ...safe.request!, headers: redactor.headers(result.request.headers), url: redactor.text(result.request.url) };
  if (result.response) safe.response = truncateBody({ ...safe.response!, headers: redactor.headers(result.response.headers) }, result.error?.kind === 'body-too-large');
  return safe;
}

/** After redaction, so a secret cut in two at the limit cannot show its first half. */
function truncateBody(response: ResponseRecord, cutShort: boolean): ResponseRecord {
  const { bodyBytes, ...rest } = response;
  // A bytes body is already its summary; its size is the one thing worth keeping.
  if (response.bodyType === 'bytes') return response;
  const body = rest.body;
  const big = (bodyBytes ?? 0) > REPORT_BODY_LIMIT || (typeof body === 'string' && body.length > REPORT_BODY_LIMIT);
  if (!big && !cutShort) return rest;
  const text = typeof body === 'string' ? body : JSON.stringify(body) ?? '';
  if (text.length <= REPORT_BODY_LIMIT && !cutShort) return rest;
  return { ...rest, body: text.length > REPORT_BODY_LIMIT ? text.slice(0, REPORT_BODY_LIMIT) : text, bodyBytes: bodyBytes ?? Buffer.byteLength(text), bodyTruncated: true };
}

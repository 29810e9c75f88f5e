/**
 * Runs one step: expands forEach and repeat into runs, applies `if`, sends the request,
 * evaluates checks, captures and asserts. Every run becomes one StepResult.
 */
import { checkAssert } from '../checks/assert.js';
import { checkBody } from '../checks/body.js';
import { checkDuration } from '../checks/duration.js';
import { checkCookie, cookiesSet } from '../checks/cookies.js';
import { checkHeader } from '../checks/headers.js';
import { checkUnlessWaived, describes } from '../checks/openapi.js';
import { checkBeforeSending, contractCheck, contractOptions, RequestRefused } from './contract.js';
import type { CheckResult } from '../checks/result.js';
import { checkSchema } from '../checks/schema.js';
import { checkStatus } from '../checks/status.js';
import { checkText } from '../checks/text.js';
import { ExprRuntimeError, markupLoading, truthy, ValueLimitError } from '../expr/index.js';
import { HttpError, type HttpRequest, type HttpResponse } from '../http/client.js';
import { FlowError, sendFlow, type FlowRecord } from '../http/flow.js';
import { maxRedirects } from '../http/redirects.js';
import type { Step } from '../notebook/types.js';
import { AuthError, authFor, withheldAuthWarning } from './auth.js';
import { scopeOf, type RunContext } from './context.js';
import { setResponseNames, withCookies, type StepPlace } from './http-state.js';
import { SecretCookieError, watchSecretCookies } from './secret-cookies.js';
import { MissingValueError, renderRequest } from './request.js';
import { RequestFileError } from './request-bodies.js';
import { checkGraphqlErrors } from '../graphql/check.js';
import { responseBodyFields } from './response-body.js';
import { shortSecretMessage, tooShortToRedact } from './redact.js';
import { notebookTransport } from './transport.js';
import type { StepError, StepResult } from './results.js';
import { pollDelay, sleep } from './wait.js';

/** Methods that cannot change state: `--retries N` applies to these only. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * How long a `repeat` may go on in all when it says no `maxMs` (documented in
 * docs/notebook-format.md): 60 s beyond the waits its own `intervalMs`/`backoff` ask for between
 * `max` runs, so the default never cuts a poll the notebook spelt out, and bounds the rest (a slow
 * server answering run after run).
 */
export const REPEAT_MAX_MS = 60_000;

function defaultRepeatMs(repeat: NonNullable<Step['repeat']>): number {
  let waits = 0;
  if (repeat.intervalMs) for (let run = 1; run < repeat.max; run++) waits += pollDelay(repeat.intervalMs, repeat.backoff, run);
  return REPEAT_MAX_MS + waits;
}

/** Whether a run is the last a repeat allows: its `max`, or (asked after the run) its `maxMs`. */
interface RepeatBudget {
  last: boolean;
  /** True when the next run could not start within repeat.maxMs (its wait included). */
  outOfTime(): boolean;
  maxMs: number;
  runs: number;
  elapsedMs(): number;
}

/** Thrown inside a run to end it as a runtime error (not a check failure). */
class RunError extends Error {
  constructor(readonly kind: string, message: string) {
    super(message);
  }
}

export function baseResult(step: Step, startedAt: number): StepResult {
  return {
    name: step.name,
    phase: step.phase,
    index: step.index,
    status: 'passed',
    durationMs: 0,
    startedAt: new Date(startedAt).toISOString(),
    span: step.span,
    doc: step.doc,
    checks: [],
    captures: {},
    attempts: 0,
    flaky: false,
  };
}

export function skippedResult(step: Step, reason: string, iteration?: StepResult['iteration']): StepResult {
  return { ...baseResult(step, Date.now()), status: 'skipped', skipReason: reason, iteration };
}

/**
 * The runs a step's `forEach` asks for (one without it), or whether the step failed when its list
 * could not be had (the result is already emitted). Shared with `use` steps (src/run/sequence.ts).
 */
export async function loopItems(step: Step, ctx: RunContext): Promise<Array<{ item?: unknown; index: number; count?: number }> | boolean> {
  if (step.forEach) {
    let list: unknown;
    try {
      list = 'render' in step.forEach.value ? step.forEach.value.render(scopeOf(ctx.values)) : step.forEach.value.evaluate(scopeOf(ctx.values));
    } catch (err) {
      await ctx.emit({ ...baseResult(step, Date.now()), status: 'error', error: toStepError(err) });
      return true;
    }
    if (!Array.isArray(list)) {
      await ctx.emit({ ...baseResult(step, Date.now()), status: 'error', error: { kind: 'expression', message: `forEach needs a list, got ${list === null ? 'null' : typeof list}` } });
      return true;
    }
    if (list.length === 0) {
      await ctx.emit(skippedResult(step, 'forEach list is empty'));
      return false;
    }
    return list.map((item, index) => ({ item, index, count: list.length }));
  }
  return [{ index: 0 }];
}

const ONE_RUN: ReadonlyArray<{ item?: unknown; index: number; count?: number }> = [{ index: 0 }];

/** Runs every iteration of a step; returns whether the step as a whole failed or errored. */
export async function runStep(step: Step, ctx: RunContext): Promise<boolean> {
  // A notebook that calls xpath() waits here (once) for the HTML parser the loader began importing.
  const loading = markupLoading();
  if (loading) await loading;
  // No await for a step without forEach: a turn of the microtask queue per step adds up.
  const items = step.forEach ? await loopItems(step, ctx) : ONE_RUN;
  if (typeof items === 'boolean') return items;

  let failed = false;
  let run = 0;
  for (const it of items) {
    if (ctx.signal.aborted && step.phase === 'steps') {
      await ctx.emit(skippedResult(step, 'interrupted', iterationOf(step, it, run)));
      run++;
      continue;
    }
    const local = new Map<string, unknown>();
    if (step.forEach) local.set(step.as, it.item);
    const maxRuns = step.repeat?.max ?? 1;
    const repeatStarted = performance.now();
    const maxMs = step.repeat ? step.repeat.maxMs ?? defaultRepeatMs(step.repeat) : Infinity;
    for (let attempt = 0; attempt < maxRuns; attempt++) {
      if (attempt > 0 && step.repeat?.intervalMs) {
        // Polling: wait between runs so the server is not hammered; Ctrl-C ends the wait at once.
        if (!(await sleep(pollDelay(step.repeat.intervalMs, step.repeat.backoff, attempt), ctx.signal))) {
          await ctx.emit(skippedResult(step, 'interrupted while waiting to poll again', iterationOf(step, it, run++)));
          break;
        }
      }
      const budget: RepeatBudget = {
        last: attempt === maxRuns - 1,
        maxMs,
        runs: attempt + 1,
        elapsedMs: () => Math.round(performance.now() - repeatStarted),
        outOfTime: () => {
          const wait = step.repeat?.intervalMs ? pollDelay(step.repeat.intervalMs, step.repeat.backoff, attempt + 1) : 0;
          return performance.now() - repeatStarted + wait >= maxMs;
        },
      };
      const outcome = await runWithRetries(step, ctx, local, iterationOf(step, it, run++), budget);
      const emitted = ctx.emit(outcome.result);
      if (emitted) await emitted;
      if (outcome.result.status === 'failed' || outcome.result.status === 'error') failed = true;
      if (outcome.done) break;
    }
  }
  return failed;
}

/** How many times a failed run may be tried again: the step's own `retries`, else --retries for safe methods. */
function retriesFor(step: Step, ctx: RunContext): number {
  if (step.retries !== undefined) return step.retries;
  // A request that may have changed state is retried only when the notebook says so on the step.
  return step.kind === 'http' && SAFE_METHODS.has(step.request.method) ? ctx.retries ?? 0 : 0;
}

/** One run, tried again after a failure or an error while retries are left; marks `attempts` and `flaky`. */
async function runWithRetries(step: Step, ctx: RunContext, local: Map<string, unknown>, iteration: StepResult['iteration'], budget: RepeatBudget): Promise<{ result: StepResult; done: boolean }> {
  const allowed = retriesFor(step, ctx);
  const retried: NonNullable<StepResult['retried']> = [];
  for (let attempt = 1; ; attempt++) {
    const outcome = await runOnce(step, ctx, local, iteration, budget);
    const r = outcome.result;
    const bad = r.status === 'failed' || r.status === 'error';
    const last = !bad || attempt > allowed || ctx.signal.aborted;
    if (!last) {
      retried.push({ status: r.status, message: firstProblem(r) });
      ctx.log.info({ step: step.name, attempt, of: allowed + 1 }, 'retrying a failed step');
    }
    if (last || !(await sleep(step.retryDelayMs ?? 0, ctx.signal))) {
      r.attempts = r.status === 'skipped' ? 0 : attempt;
      r.flaky = r.status === 'passed' && attempt > 1;
      if (retried.length) r.retried = retried;
      return outcome;
    }
  }
}

function firstProblem(r: StepResult): string {
  if (r.error) return `${r.error.kind}: ${r.error.message}`;
  const c = r.checks.find((x) => !x.passed);
  return c ? `${c.label}: ${c.message ?? 'failed'}` : r.status;
}

/** Which run of a looping step this is; a repeat has no known count. */
function iterationOf(step: Step, it: { item?: unknown; count?: number }, run: number): StepResult['iteration'] {
  if (!step.forEach && !step.repeat) return undefined;
  return { index: run, count: step.repeat ? undefined : it.count, item: step.forEach ? it.item : undefined };
}

/** One run of a step. `done` is false only when `repeat.until` asks for another run. */
async function runOnce(step: Step, ctx: RunContext, local: Map<string, unknown>, iteration: StepResult['iteration'], budget: RepeatBudget): Promise<{ result: StepResult; done: boolean }> {
  const started = Date.now();
  const t0 = performance.now();
  const result: StepResult = { ...baseResult(step, started), iteration };
  // `cookies` reads the jar for where the step stands: its request's URL once rendered, then the final URL.
  const place: StepPlace = { url: ctx.baseUrl };
  const scope = withCookies(scopeOf(ctx.values, local), (name) => local.has(name) || ctx.values.has(name), ctx.cookies, place);
  const finish = (done = true) => {
    result.durationMs = Math.round((performance.now() - t0) * 1000) / 1000;
    if (result.status === 'passed' && result.checks.some((c) => !c.passed)) result.status = 'failed';
    return { result, done };
  };
  try {
    if (step.when && !truthy(step.when.value.evaluate(scope))) {
      result.status = 'skipped';
      result.skipReason = `\`if\` is false: ${step.when.value.source}`;
      return finish();
    }
    // A forEach item may be a secret: reporters see it redacted, as in every result. Awaited only
    // when there is something to wait for: an await is a turn of the microtask queue per step.
    const starting = ctx.hooks.onStepStart?.({ name: step.name, phase: step.phase, index: step.index, method: step.kind === 'http' ? step.request.method : undefined, iteration: ctx.redactor.value(iteration) });
    if (starting) await starting;

    if (step.kind === 'http') {
      const flow: FlowRecord = { request: undefined as unknown as HttpRequest, hops: [], setCookies: [], warnings: [] };
      const response = await exchange(step, ctx, scope, result, flow, place);
      local.set('status', response.status);
      local.set('headers', response.headers);
      local.set('body', response.body);
      local.set('duration', round(response.durationMs));
      local.set('httpVersion', response.httpVersion);
      setResponseNames(local, flow.request.url, flow.hops, response.headerLists);
      place.url = flow.request.url;
      result.checks.push(...responseChecks(step, response, scope, flow.setCookies));
      if (ctx.openapi && step.openapi !== false && result.request && describes(step.request.target.kind, result.request.url, ctx.baseUrl)) contractCheck(ctx, result, checkUnlessWaived(ctx.openapi, { ...result.request, ...response }, step.request.span, contractOptions(ctx)));
    }
    for (const capture of step.captures) {
      const value = capture.expr.evaluate(scope) ?? null;
      ctx.values.set(capture.name, value);
      result.captures[capture.name] = value;
      if (value === null) (result.warnings ??= []).push(`capture \`${capture.name}\` found nothing (\`${capture.expr.source}\` is null)`);
    }
    for (const assertion of step.asserts) result.checks.push(checkAssert(assertion, scope));

    if (step.repeat && result.checks.every((c) => c.passed)) {
      if (!truthy(step.repeat.until.evaluate(scope))) {
        const outOfTime = !budget.last && budget.outOfTime();
        if (!budget.last && !outOfTime) return finish(false);
        result.checks.push({
          kind: 'repeat', label: `repeat until ${step.repeat.until.source}`, passed: false, expected: true, actual: false, span: step.repeat.span,
          message: outOfTime
            ? `still false after ${budget.runs} run${budget.runs === 1 ? '' : 's'} in ${budget.elapsedMs()} ms: another would pass repeat.maxMs (${budget.maxMs} ms)`
            : `still false after ${step.repeat.max} runs (repeat.max)`,
          details: outOfTime ? { runs: budget.runs, elapsedMs: budget.elapsedMs(), maxMs: budget.maxMs } : undefined,
        });
      }
    }
    return finish();
  } catch (err) {
    // The request check refused the request: a failed check, not an error.
    if (err instanceof RequestRefused) return finish();
    result.status = 'error';
    result.error = toStepError(err);
    return finish();
  }
}

/** Sends the request (once more after a 401 with OAuth2) and records both sides in the result. */
async function exchange(step: Extract<Step, { kind: 'http' }>, ctx: RunContext, scope: ReturnType<typeof scopeOf>, result: StepResult, flow: FlowRecord, place: StepPlace): Promise<HttpResponse> {
  const defaults = ctx.notebook.defaults;
  // The request's own `cookies` / `followRedirects` win over the notebook's defaults.
  const jar = (step.request.cookies ?? defaults.cookies ?? true) ? ctx.cookies : undefined;
  const redirects = maxRedirects(step.request.followRedirects ?? defaults.followRedirects);
  const onResponse = watchSecretCookies(ctx.notebook.secretCookies, ctx.redactor);
  let request: ReturnType<typeof renderRequest>;
  try {
    request = renderRequest(step.request, ctx.notebook, ctx.baseUrl, scope, ctx.timeoutMs, (url) => (place.url = url));
  } catch (err) {
    if (err instanceof MissingValueError) throw new RunError(err.kind, err.message);
    if (err instanceof RequestFileError) throw new RunError(err.kind, err.message);
    throw err instanceof ExprRuntimeError ? new RunError('expression', `in the request: ${err.message}`) : err;
  }
  // A passphrase is a secret, however it was written.
  const passphrase = request.transport?.tls?.passphrase;
  if (passphrase) {
    if (tooShortToRedact(passphrase)) throw new RunError('tls', shortSecretMessage('the TLS passphrase (`tls.passphrase`)', passphrase));
    ctx.redactor.add(passphrase);
  }
  checkBeforeSending(ctx, step, request, result);
  // The notebook's auth goes only to the base URL's origin; a step's own `auth:` goes anywhere.
  const { spec: authSpec, withheld } = authFor(step.auth, ctx.notebook.auth, request.url, ctx.baseUrl);
  const send = async () => {
    // Without auth, nothing to wait for: each await is a turn of the microtask queue on every step.
    const withAuth = authSpec ? { ...request, headers: { ...(await ctx.auth.headers(authSpec, scope, ctx.signal, request.timeoutMs, notebookTransport(ctx.notebook, scope))), ...request.headers } } : request;
    ctx.redactor.addFromHeaders(withAuth.headers);
    result.request = { method: withAuth.method, url: withAuth.url, headers: withAuth.headers, body: withAuth.body };
    if (ctx.log.debugEnabled !== false) ctx.log.debug({ method: withAuth.method, url: ctx.redactor.text(withAuth.url) }, 'request');
    // Cookies and redirects (flow.ts): the jar's cookies go on, each hop is recorded; the report
    // shows the request that went out last, with the hops before it.
    Object.assign(flow, { request: withAuth, hops: [], setCookies: [], warnings: [], response: undefined });
    try {
      return await sendFlow(withAuth, { send: (r) => ctx.http.send(r, ctx.signal), jar, maxRedirects: redirects, onResponse }, flow);
    } finally {
      const sent = flow.request;
      result.request = { method: sent.method, url: sent.url, headers: sent.headers, body: sent.body };
      if (request.uploadRecord && sent.upload) Object.assign(result.request, request.uploadRecord);
      if (flow.hops.length) result.redirects = flow.hops;
      if (flow.warnings.length) (result.warnings ??= []).push(...flow.warnings);
    }
  };
  try {
    let response = await send();
    if (response.status === 401 && ctx.auth.invalidate(authSpec, scope)) response = await send();
    result.response = { status: response.status, headers: response.headers, body: response.body, durationMs: round(response.durationMs), bodyBytes: response.bytes, httpVersion: response.httpVersion, ...responseBodyFields(response) };
    if (withheld && (response.status === 401 || response.status === 403)) (result.warnings ??= []).push(ctx.redactor.text(withheldAuthWarning(request.url, ctx.baseUrl)));
    if (ctx.log.debugEnabled !== false) ctx.log.debug({ status: response.status, ms: round(response.durationMs) }, 'response');
    return response;
  } catch (err) {
    // The chain stopped on a redirect it would not follow: that response is the evidence.
    if (err instanceof FlowError && flow.response) {
      const r = flow.response;
      result.response = { status: r.status, headers: r.headers, body: r.body, durationMs: round(r.durationMs), bodyBytes: r.bytes };
    }
    if (err instanceof HttpError && err.partial) {
      // Only an invalid-JSON body arrived whole; any other was cut where reading stopped.
      const body = err.kind === 'invalid-json' ? err.partial.text : ctx.redactor.trimCutEnd(err.partial.text);
      result.response = { status: err.partial.status, headers: err.partial.headers, body, durationMs: round(err.partial.durationMs), bodyBytes: err.partial.bytes };
      // The body's start says what went wrong; redacted before it is cut, so no secret is split.
      if (err.kind === 'invalid-json') throw new HttpError(err.kind, `${err.message}: ${ctx.redactor.excerpt(err.partial.text, 200)}`, err.partial);
    }
    throw err;
  }
}

function responseChecks(step: Step, response: HttpResponse, scope: ReturnType<typeof scopeOf>, setCookies: readonly string[]): CheckResult[] {
  const checks: CheckResult[] = [];
  const { expect } = step;
  if (expect.status) checks.push(checkStatus(expect.status, response.status));
  else if (step.kind === 'http') {
    // With no status written, an error status must not pass silently.
    checks.push(checkStatus({ value: [200, 201, 202, 203, 204, 205, 206, 301, 302, 303, 304, 307, 308], span: step.request.span }, response.status));
    checks[0].label = 'status (default: 2xx or 3xx)';
    checks[0].expected = '2xx or 3xx';
  }
  for (const h of expect.headers) checks.push(checkHeader(h.name, h.expected.render(scope), response.headers, h.span));
  if (expect.body) checks.push(checkBody(expect.body.value.render(scope), response.body, expect.body.span, textOf(response)));
  if (expect.text) checks.push(checkText(expect.text.value.render(scope), textOf(response) ?? '', expect.text.span, response.body instanceof Uint8Array ? response.body : undefined));
  if (expect.maxDurationMs) checks.push(checkDuration(expect.maxDurationMs, response.durationMs));
  if (expect.schema) checks.push(checkSchema(expect.schema, response.body));
  if (expect.cookies) {
    const set = cookiesSet(setCookies);
    for (const c of expect.cookies) checks.push(checkCookie(c.name, c.expected.render(scope), set, c.span));
  }
  if (step.kind === 'http' && step.request.body.kind === 'graphql') checks.push(checkGraphqlErrors(response.body, expect.graphqlErrors, step.request.span));
  return checks;
}

/** The body as text: what arrived, decoded as UTF-8 (a JSON body's raw text). */
function textOf(response: HttpResponse): string | undefined {
  const { text, body } = response as { text?: unknown; body: unknown };
  // A bytes body has no text of its own: a pattern reads its bytes as UTF-8 (what `/PNG/` or a
  // signature in a binary body means), never the empty text a bytes response carries.
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  if (typeof text === 'string') return text;
  if (typeof body === 'string') return body;
  return body === null || body === undefined ? '' : undefined;
}

export function toStepError(err: unknown): StepError {
  if (err instanceof ValueLimitError) return { kind: 'value-too-large', message: err.message };
  if (err instanceof HttpError) return { kind: err.kind, message: err.message };
  if (err instanceof RunError) return { kind: err.kind, message: err.message };
  if (err instanceof FlowError || err instanceof SecretCookieError) return { kind: err.kind, message: err.message };
  if (err instanceof ExprRuntimeError) return { kind: 'expression', message: err.message };
  if (err instanceof AuthError) return { kind: 'auth', message: err.message };
  return { kind: 'internal', message: (err as Error)?.message ?? String(err) };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/**
 * Where a step's `openapi` check goes. By default it is one of the step's checks and fails the
 * step like any other; with `--openapi-mode warn` a failed one is a warning instead — on the
 * step's `warnings` (console, HTML, Markdown, JUnit `system-out`) and whole in `contractWarnings`
 * (report.json, with ajv's errors) — so a team adopting a contract sees every gap without a red
 * run. A passed check is a check in either mode.
 */
import type { CheckResult } from '../checks/result.js';
import { describes, type ContractOptions } from '../checks/openapi.js';
import type { HttpRequest } from '../http/client.js';
import type { Step } from '../notebook/types.js';
import { checkRequest } from '../openapi/request-check.js';
import type { RunContext } from './context.js';
import type { StepResult } from './results.js';

export type OpenApiMode = 'fail' | 'warn';

/** The notebook's waivers and the run's base URL, for matching and `ignore`. */
export function contractOptions(ctx: RunContext): ContractOptions {
  const spec = ctx.notebook.openapi;
  return { baseUrl: ctx.baseUrl, strictPaths: spec?.strictPaths, ignore: spec?.ignore };
}

/** Records the check; true when it failed as a check (not as a warning). */
export function contractCheck(ctx: RunContext, result: StepResult, check: CheckResult | undefined): boolean {
  if (!check) return false;
  if (check.passed || ctx.openapiMode !== 'warn') {
    result.checks.push(check);
    return !check.passed;
  }
  (result.warnings ??= []).push(`${check.label}: ${check.message ?? 'failed'}`);
  (result.contractWarnings ??= []).push(check);
  return false;
}

function expectsClientError(step: Step): boolean {
  const wanted = step.expect.status?.value;
  return !!wanted?.length && wanted.every((s) => s >= 400 && s < 500);
}

/** Thrown by the step when the request check refuses its request: the step fails, nothing is sent. */
export class RequestRefused extends Error {}

/**
 * The `openapi-request` check of a rendered request, before it is sent (auth headers are added as
 * it is sent, and are the description's security, not its parameters). Throws RequestRefused when
 * the request must not go out; in warn mode a failure is a warning and the request goes.
 */
export function checkBeforeSending(ctx: RunContext, step: Extract<Step, { kind: 'http' }>, request: HttpRequest & { uploadRecord?: { multipart?: unknown; bodyFile?: unknown } }, result: StepResult): void {
  if (!ctx.openapi || step.openapi === false || !describes(step.request.target.kind, request.url, ctx.baseUrl)) return;
  // A step that expects only 4xx statuses means to send a wrong request (a negative test): it goes unchecked.
  if (expectsClientError(step)) return;
  const jarCookies = ctx.cookies.used ? ctx.cookies.header(request.url) : undefined;
  const check = checkRequest(ctx.openapi, { method: request.method, url: request.url, headers: request.headers, body: typeof request.body === 'string' ? request.body : undefined, multipart: request.uploadRecord?.multipart as never, bodyFile: request.uploadRecord?.bodyFile, jarCookies }, step.request.span, contractOptions(ctx));
  if (!contractCheck(ctx, result, check)) return;
  check!.message += ' — the request was not sent';
  throw new RequestRefused(check!.message);
}

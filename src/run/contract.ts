/**
 * Where a step's `openapi` check goes. By default it is one of the step's checks and fails the
 * step like any other; with `--openapi-mode warn` a failed one is a warning instead — on the
 * step's `warnings` (console, HTML, Markdown, JUnit `system-out`) and whole in `contractWarnings`
 * (report.json, with ajv's errors) — so a team adopting a contract sees every gap without a red
 * run. A passed check is a check in either mode.
 */
import type { CheckResult } from '../checks/result.js';
import type { ContractOptions } from '../checks/openapi.js';
import type { RunContext } from './context.js';
import type { StepResult } from './results.js';

export type OpenApiMode = 'fail' | 'warn';

/** The notebook's waivers and the run's base URL, for matching and `ignore`. */
export function contractOptions(ctx: RunContext): ContractOptions {
  const spec = ctx.notebook.openapi;
  return { baseUrl: ctx.baseUrl, strictPaths: spec?.strictPaths, ignore: spec?.ignore };
}

export function contractCheck(ctx: RunContext, result: StepResult, check: CheckResult | undefined): void {
  if (!check) return;
  if (check.passed || ctx.openapiMode !== 'warn') {
    result.checks.push(check);
    return;
  }
  (result.warnings ??= []).push(`${check.label}: ${check.message ?? 'failed'}`);
  (result.contractWarnings ??= []).push(check);
}

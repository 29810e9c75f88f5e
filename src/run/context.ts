import type { Log } from './log.js';
import type { Scope } from '../expr/index.js';
import type { HttpClient } from '../http/client.js';
import type { CookieJar } from '../http/cookies.js';
import type { Notebook } from '../notebook/types.js';
import type { Description } from '../openapi/description.js';
import type { AuthProvider } from './auth.js';
import type { Redactor } from './redact.js';
import type { RunHooks, StepResult } from './results.js';

/** Everything a step needs while a notebook runs. One per notebook run. */
export interface RunContext {
  notebook: Notebook;
  baseUrl: string;
  http: HttpClient;
  auth: AuthProvider;
  redactor: Redactor;
  hooks: RunHooks;
  log: Log;
  timeoutMs: number;
  /** The OpenAPI description every response is checked against, if any. */
  openapi?: Description;
  /** `--openapi-mode warn`: a failed `openapi` check is a warning, not a failure (contract.ts). */
  openapiMode?: 'fail' | 'warn';
  /** The run's cookie jar: every step and the teardown share it (`open`: one per session, until Reset). */
  cookies: CookieJar;
  /** Values by name: inputs, vars, captures. */
  values: Map<string, unknown>;
  /** Aborted on interrupt; requests in flight stop. */
  signal: AbortSignal;
  /** `--retries N`: the default retries for steps whose request cannot change state (none when absent). */
  retries?: number;
  /**
   * Hands a finished result to the hooks: redacted and delivered once the next request is out (see
   * deferred.ts). A promise only when the caller must wait (a full queue being drained).
   */
  emit(result: StepResult): Promise<void> | void;
}

/** A scope over the notebook's values with a step-local frame in front of it. */
export function scopeOf(values: Map<string, unknown>, local?: Map<string, unknown>): Scope {
  return (name) => {
    if (local?.has(name)) return { found: true, value: local.get(name) };
    if (values.has(name)) return { found: true, value: values.get(name) };
    // The loader proved every name is declared; a declared capture not yet set reads as null.
    return { found: true, value: null };
  };
}

/** Names the runner defines for every notebook (the loader treats them as declared). */
export const BUILTIN_NAMES = ['runId'];

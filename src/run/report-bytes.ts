/**
 * A response read as bytes (src/http/response-type.ts) reaches reports as its size and SHA-256,
 * never as the bytes or as text decoded from them. The body, and any capture, check value or
 * operand that holds bytes, is replaced by its summary text before redaction and reporting.
 */
import { bytesText, isBytes, withoutBytes } from '../http/response-type.js';
import type { StepResult } from './results.js';

/** Cheap for every ordinary step: only results that hold bytes at their top levels are copied. */
export function reportableBytes(result: StepResult): StepResult {
  const body = result.response?.body;
  const inCaptures = Object.values(result.captures).some(isBytes);
  const inChecks = result.checks.some((c) => isBytes(c.actual) || isBytes(c.expected) || (c.details !== null && typeof c.details === 'object' && Object.values(c.details).some(isBytes)));
  if (!isBytes(body) && !inCaptures && !inChecks) return result;
  const out: StepResult = { ...result };
  if (isBytes(body)) out.response = { ...result.response!, body: bytesText(body) };
  if (inCaptures) out.captures = withoutBytes(result.captures);
  if (inChecks) out.checks = withoutBytes(result.checks);
  return out;
}

/**
 * What an importer produces before it is written out: a plain notebook (the shape of the YAML)
 * plus what could not be translated, each tied to the step it belongs to and its source line.
 */
import { dict, PROTOTYPE_KEYS } from './dict.js';

export interface Warning {
  /** The file the line is in, when an import reads several (a Bruno collection). */
  file?: string;
  /** 1-based line in the imported file. */
  line: number;
  message: string;
}

/** A piece of source kept beside a step (as a YAML comment) because it has no translation. */
export interface Kept {
  line: number;
  why: string;
  source: string;
}

export interface DraftAssert {
  expr: string;
  /** The source's own name for the check (a Postman test name), written as a comment. */
  note?: string;
}

export interface DraftStep {
  name: string;
  doc?: string;
  if?: string;
  forEach?: string;
  as?: string;
  request?: Record<string, unknown>;
  auth?: unknown;
  expect?: { status?: number | number[]; body?: Record<string, unknown> };
  capture?: Record<string, string>;
  assert?: DraftAssert[];
  continueOnFailure?: boolean;
  retries?: number;
  retryDelayMs?: number;
  kept: Kept[];
}

export interface DraftInput {
  env?: string;
  secret?: boolean;
  default?: unknown;
  prompt?: string;
}

export interface DraftNotebook {
  title: string;
  description?: string;
  /** Comments written at the top of the file (where the source came from, what to set). */
  header: string[];
  baseUrl?: string;
  openapi?: string;
  inputs: Record<string, DraftInput>;
  auth?: unknown;
  defaults?: Record<string, unknown>;
  /** Each var may carry a comment (the prose that introduced it). */
  vars: Record<string, { value: unknown; comment?: string }>;
  steps: DraftStep[];
  /** Kept source that belongs to no step. */
  kept: Kept[];
}

export interface ImportResult {
  /** One notebook, or several with --split; each with the file name it suggests. */
  notebooks: Array<{ suggestedName: string; draft: DraftNotebook }>;
  warnings: Warning[];
  format: string;
  /** Files written beside the notebook (environments/NAME.yaml), paths relative to its folder. */
  files?: Array<{ path: string; text: string }>;
}

export class ImportError extends Error {
  constructor(message: string, readonly line?: number, readonly hint?: string) {
    super(message);
  }
}

export function newDraft(title: string): DraftNotebook {
  return { title, header: [], inputs: dict(), vars: dict(), steps: [], kept: [] };
}

export function newStep(name: string): DraftStep {
  return { name, kept: [] };
}

/** Step names stay unique, so reports and `--split` files can be told apart. */
export function uniqueName(taken: Set<string>, name: string): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) candidate = `${name} (${n})`;
  taken.add(candidate);
  return candidate;
}

/** A notebook name from any text: `order id` → `orderId`, `$guid` → `guid`, `2fa` → `v2fa`. */
export function identifier(text: string): string {
  const words = text.replace(/[^A-Za-z0-9_]+/g, ' ').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return 'value';
  const joined = words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
  // `__proto__`, `constructor`: a name a notebook cannot use as a var (dict.ts).
  if (PROTOTYPE_KEYS.has(joined)) return `${joined.replace(/_/g, '')}Value`;
  return /^[A-Za-z_]/.test(joined) ? joined : `v${joined}`;
}

/** ENV_NAME from a notebook name: `secretKey` → `SECRET_KEY`. */
export function envName(name: string): string {
  const env = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
  // USER, USERNAME, HOME… are already set on most machines: they would be read by mistake.
  return SYSTEM_ENV.has(env) ? `API_${env}` : env;
}

const SYSTEM_ENV = new Set(['USER', 'USERNAME', 'LOGNAME', 'HOME', 'PATH', 'PWD', 'SHELL', 'LANG', 'TERM', 'HOSTNAME', 'TMP', 'TEMP', 'TMPDIR', 'EDITOR', 'CI', 'NODE_ENV', 'PORT', 'HOST']);

export const SECRET_NAME = /pass(word)?|secret|token|api[-_]?key|^key$|private/i;

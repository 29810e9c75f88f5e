/**
 * `merge` and `--baseline` read report.json files that may come from anywhere (a CI artefact, a
 * fork's pull request): each is checked against schemas/report/report.schema.json as it is read, so a
 * field every report renders (a status, a count, a duration) is what it claims to be before any
 * writer sees it. A file that fails says which file, where and what is wrong (exit 2). The
 * writers escape everything as well (src/report/escape/): the schema keeps the data sane, the
 * escapers keep any text inert.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../files/package-root.js';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

// In a folder of its own: the files directly in schemas/ are response schemas (the Stripe objects),
// which notebooks name, the mock validates with and the OpenAPI generator lists.
const SCHEMA_FILE = join(PACKAGE_ROOT, 'schemas', 'report', 'report.schema.json');

interface Validators {
  whole: ValidateFunction;
  notebook: ValidateFunction;
  step: ValidateFunction;
}

let validators: Validators | undefined;

function compiled(): Validators {
  if (validators) return validators;
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as { $id: string };
  ajv.addSchema(schema);
  const get = (ref: string) => ajv.getSchema(`${schema.$id}${ref}`)!;
  validators = { whole: get(''), notebook: get('#/$defs/notebookRecord'), step: get('#/$defs/step') };
  return validators;
}

export class ReportSchemaError extends Error {}

/** `/notebooks/0/steps/3/status` → `notebooks[0].steps[3].status`. */
function pathOf(base: string, instancePath: string): string {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let out = base;
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `${out ? '.' : ''}${p}` : `[${JSON.stringify(p)}]`;
  return out || 'the report';
}

function describe(e: ErrorObject, base: string, data: unknown): string {
  const where = pathOf(base, e.instancePath);
  const params = e.params as { allowedValues?: unknown[]; allowedValue?: unknown; missingProperty?: string };
  if (e.keyword === 'required') return `${where} has no \`${params.missingProperty}\``;
  let value: unknown = data;
  for (const p of e.instancePath.split('/').slice(1)) value = (value as Record<string, unknown> | undefined)?.[p.replace(/~1/g, '/').replace(/~0/g, '~')];
  const found = JSON.stringify(value) ?? 'undefined';
  const shown = found.length > 60 ? `${found.slice(0, 60)}…` : found;
  const allowed = params.allowedValues ? ` (${params.allowedValues.join(', ')})` : params.allowedValue !== undefined ? ` (${JSON.stringify(params.allowedValue)})` : '';
  return `${where} ${e.message}${allowed}, found ${shown}`;
}

function check(validate: ValidateFunction, data: unknown, file: string, line: number | undefined, base: string): void {
  if (validate(data)) return;
  const first = validate.errors![0];
  throw new ReportSchemaError(`${file}${line ? `:${line}` : ''}: not a valid report.json: ${describe(first, base, data)}`);
}

/** The run's head (every key but the notebooks), the whole file read at once, a notebook's record, a step. */
export const reportSchema = {
  whole: (data: unknown, file: string) => check(compiled().whole, data, file, undefined, ''),
  head: (data: unknown, file: string, line: number) => check(compiled().whole, data, file, line, ''),
  notebook: (data: unknown, file: string, line: number, index: number) => check(compiled().notebook, data, file, line, `notebooks[${index}]`),
  step: (data: unknown, file: string, line: number, notebook: number, index: number) => check(compiled().step, data, file, line, `notebooks[${notebook}].steps[${index}]`),
};

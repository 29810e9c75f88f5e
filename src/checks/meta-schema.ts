/**
 * Is a notebook's JSON Schema itself valid? ajv answers by compiling the JSON Schema 2020-12
 * meta-schema the first time it is asked: ~50 ms of every run that names a schema, a tenth of the
 * start-up. The build compiles that meta-schema into standalone code (scripts/build-validator.mjs),
 * loaded here in a few milliseconds; ajv's own check stays for other `$schema` dialects and when
 * the build's file is missing or was made with another ajv (running from source, a changed lockfile).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ajv2020, ErrorObject } from 'ajv/dist/2020.js';

/** The dialect Ajv2020 assumes when a schema says no `$schema`. */
export const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null; ajvVersion?: string };

const require = createRequire(import.meta.url);
let loaded: Validator | null | undefined;

/** The build's validator for the 2020-12 meta-schema, when it matches the installed ajv. */
function prebuilt(packageRoot: string): Validator | undefined {
  if (loaded !== undefined) return loaded ?? undefined;
  loaded = null;
  const file = join(packageRoot, 'dist', 'checks', 'json-schema-2020-12.validator.cjs');
  if (!existsSync(file)) return undefined;
  const mod = require(file) as Validator & { default?: Validator };
  const { version } = require('ajv/package.json') as { version: string };
  if (mod.ajvVersion === version) loaded = mod.default ?? mod;
  return loaded ?? undefined;
}

/**
 * Throws what ajv's own check throws (`schema is invalid: data/type must be …`), so messages do
 * not depend on which of the two answered.
 */
export function assertValidSchema(ajv: Ajv2020, schema: unknown, packageRoot: string): void {
  const dialect = typeof schema === 'object' && schema !== null ? (schema as { $schema?: unknown }).$schema : undefined;
  const validate = dialect === undefined || dialect === DRAFT_2020_12 ? prebuilt(packageRoot) : undefined;
  if (!validate) {
    ajv.validateSchema(schema as object, true);
    return;
  }
  if (!validate(schema)) throw new Error(`schema is invalid: ${ajv.errorsText(validate.errors)}`);
}

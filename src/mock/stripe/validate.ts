/**
 * Optional self-check: every response the mock sends is validated against the schema of the
 * object it returns (schemas/*.json). Tests turn it on; a violation becomes a loud 500.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { PACKAGE_ROOT } from '../../checks/schemas.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const SCHEMA_DIR = join(PACKAGE_ROOT, 'schemas');

const LIST_SCHEMA: Array<[RegExp, string]> = [
  [/^\/v1\/plans$/, 'plan_list'],
  [/^\/v1\/coupons$/, 'coupon_list'],
  [/^\/v1\/customers$/, 'customer_list'],
  [/^\/v1\/customers\/[^/]+\/(cards|sources)$/, 'card_list'],
  [/^\/v1\/customers\/[^/]+\/subscriptions$/, 'subscription_list'],
];

export class ResponseValidator {
  private readonly ajv = new Ajv2020({ allErrors: true, strict: false });
  /** How many responses were checked, by schema name (tests assert every kind was seen). */
  readonly counts = new Map<string, number>();

  constructor() {
    addFormats(this.ajv);
    for (const f of readdirSync(SCHEMA_DIR).filter((n) => n.endsWith('.json') && n !== 'notebook.schema.json')) {
      const json = JSON.parse(readFileSync(join(SCHEMA_DIR, f), 'utf8'));
      delete json.$id;
      this.ajv.addSchema({ ...json, $id: pathToFileURL(join(SCHEMA_DIR, f)).href });
    }
  }

  schemaFor(status: number, path: string, body: any): string {
    if (status >= 400) return 'error';
    if (body?.object === 'list') return LIST_SCHEMA.find(([re]) => re.test(path))?.[1] ?? 'list';
    if (body?.deleted === true) return body.object === 'customer' ? 'deleted_customer' : 'deleted';
    return String(body?.object);
  }

  /** Returns the problems, or undefined when the body matches its schema. */
  check(status: number, path: string, body: unknown): string | undefined {
    const name = this.schemaFor(status, path, body);
    const validate: ValidateFunction | undefined = this.ajv.getSchema(pathToFileURL(join(SCHEMA_DIR, `${name}.json`)).href);
    if (!validate) return `no schema ${name}.json for this response`;
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    if (validate(body)) return undefined;
    return `${name}.json: ${this.ajv.errorsText(validate.errors)}`;
  }
}

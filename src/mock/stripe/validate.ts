/**
 * Optional self-check: every response the mock sends is validated against the schema of the
 * object it returns (schemas/*.json). Tests turn it on; a violation becomes a loud 500.
 */
import { PACKAGE_ROOT, SchemaError, SchemaRegistry } from '../../checks/schemas.js';

const LIST_SCHEMA: Array<[RegExp, string]> = [
  [/^\/v1\/plans$/, 'plan_list'],
  [/^\/v1\/coupons$/, 'coupon_list'],
  [/^\/v1\/customers$/, 'customer_list'],
  [/^\/v1\/customers\/[^/]+\/(cards|sources)$/, 'card_list'],
  [/^\/v1\/customers\/[^/]+\/subscriptions$/, 'subscription_list'],
  [/^\/v1\/charges$/, 'charge_list'],
  [/^\/v1\/charges\/[^/]+\/refunds$/, 'refund_list'],
  [/^\/v1\/invoices$/, 'invoice_list'],
  [/^\/v1\/invoices\/[^/]+\/lines$/, 'line_item_list'],
  [/^\/v1\/recipients\/[^/]+\/cards$/, 'recipient_card_list'],
];

export class ResponseValidator {
  /** The package's own schemas/ comes first on the search path from PACKAGE_ROOT. */
  private readonly registry = new SchemaRegistry(PACKAGE_ROOT);
  /** How many responses were checked, by schema name (tests assert every kind was seen). */
  readonly counts = new Map<string, number>();

  schemaFor(status: number, path: string, body: any): string {
    if (status >= 400) return 'error';
    if (body?.object === 'list') return LIST_SCHEMA.find(([re]) => re.test(path))?.[1] ?? 'list';
    if (body?.deleted === true) return body.object === 'customer' ? 'deleted_customer' : 'deleted';
    if (body?.object === 'card' && path.startsWith('/v1/recipients/')) return 'recipient_card';
    return String(body?.object);
  }

  /** Returns the problems, or undefined when the body matches its schema. */
  check(status: number, path: string, body: unknown): string | undefined {
    const name = this.schemaFor(status, path, body);
    let validate;
    try {
      validate = this.registry.named(name, PACKAGE_ROOT);
    } catch (err) {
      if (err instanceof SchemaError) return `no schema ${name}.json for this response`;
      throw err;
    }
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    if (validate(body)) return undefined;
    return `${name}.json: ${(validate.errors ?? []).map((e) => `body${e.instancePath.replace(/\//g, '.')} ${e.message}`).join('; ')}`;
  }
}

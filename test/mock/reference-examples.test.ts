/**
 * The contract, both ways: every example JSON object in the 2015 reference (all language variants)
 * validates against the schema of its kind in schemas/. A live 2015 endpoint answering exactly what
 * the reference shows must pass the shipped schemas, and the mock is validated against the same files.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PACKAGE_ROOT, SchemaRegistry } from '../../src/checks/schemas.js';
import { isJavaClientShape, javaCollection, referenceExamples, type Example } from '../helpers/reference-examples.js';

const registry = new SchemaRegistry(PACKAGE_ROOT);
const examples = referenceExamples();

const LISTS: Array<[RegExp, string]> = [
  [/^\/v1\/charges$/, 'charge_list'],
  [/^\/v1\/charges\/[^/]+\/refunds$/, 'refund_list'],
  [/^\/v1\/customers$/, 'customer_list'],
  [/^\/v1\/customers\/[^/]+\/(sources|cards)$/, 'card_list'],
  [/^\/v1\/recipients\/[^/]+\/cards$/, 'recipient_card_list'],
  [/^\/v1\/customers\/[^/]+\/subscriptions$/, 'subscription_list'],
  [/^\/v1\/plans$/, 'plan_list'],
  [/^\/v1\/coupons$/, 'coupon_list'],
  [/^\/v1\/invoices\/[^/]+\/lines$/, 'line_item_list'],
];

/** The schema an example object is an instance of: its `object`, a list's url, or a deletion. */
export function schemaOf(value: Record<string, any>, collection?: string): string {
  if (collection) {
    const item = (value.data as Array<Record<string, any>>)[0];
    return `${item ? schemaOf(item) : collection.toLowerCase()}_list`;
  }
  if (value.object === 'list') {
    const found = LISTS.find(([re]) => re.test(String(value.url)));
    if (!found) throw new Error(`no list schema for url ${value.url}`);
    return found[1];
  }
  if (value.deleted === true) return value.object === 'customer' ? 'deleted_customer' : 'deleted';
  if (value.object === 'card' && 'recipient' in value) return 'recipient_card';
  return String(value.object);
}

function problems(name: string, value: unknown): string | undefined {
  const validate = registry.named(name, PACKAGE_ROOT);
  if (validate(value)) return undefined;
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
}

const readable = examples.filter((e): e is Example & { value: Record<string, any> } => e.value !== undefined);
const api = readable.filter((e) => !isJavaClientShape(e));

describe('the 2015 reference examples against schemas/', () => {
  it('finds every printout in the reference, in every language', () => {
    // 374 printouts: 7 renderings (JSON, Ruby, Python, PHP, Java, Node, Go) of each documented example.
    assert.equal(examples.length, 374);
    const cut = examples.filter((e) => e.problem);
    assert.deepEqual(cut.map((e) => [e.line, e.problem]), [[17426, 'cut off by the end of the reference text']], 'only the last one, where the seed text stops');
    assert.deepEqual(readable.filter(isJavaClientShape).map((e) => e.value.object), ['deletedcard', 'deletedcard', 'deletedsubscription'], 'the Java client\'s deletions, its own class');
    assert.equal(api.filter((e) => javaCollection(e)).length, 9, 'the Java client\'s lists');
    const kinds = new Set(api.map((e) => schemaOf(e.value, javaCollection(e))));
    for (const k of ['charge', 'charge_list', 'refund', 'refund_list', 'customer', 'card', 'recipient_card', 'recipient_card_list', 'subscription', 'plan', 'coupon', 'discount', 'invoice', 'line_item', 'deleted']) assert.ok(kinds.has(k), `an example of ${k}`);
  });

  it('every example object validates against its schema', () => {
    const failures: string[] = [];
    let validated = 0;
    for (const e of api) {
      const name = schemaOf(e.value, javaCollection(e));
      const problem = problems(name, e.value);
      validated++;
      if (problem) failures.push(`line ${e.line} (${e.prefix || 'JSON'}) as ${name}: ${problem}`);
    }
    assert.deepEqual(failures, []);
    assert.equal(validated, examples.length - 1 - 3, 'all but the cut-off printout and the Java client\'s deletions');
    process.stdout.write(`# reference examples validated: ${validated}/${validated}\n`);
  });

  it('each example also validates against the schema its `object` names (card.json for every card, list.json for every list)', () => {
    const failures: string[] = [];
    for (const e of api) {
      const name = e.value.object === 'list' || javaCollection(e) ? 'list' : e.value.deleted === true ? (String(e.value.id).startsWith('cus_') ? 'deleted_customer' : 'deleted') : String(e.value.object);
      const problem = problems(name, e.value);
      if (problem) failures.push(`line ${e.line} as ${name}: ${problem}`);
    }
    assert.deepEqual(failures, []);
  });

  it('a schema rejects an example with a field of the wrong type (the check can fail)', () => {
    const charge = api.find((e) => e.value.object === 'charge')!.value;
    assert.equal(problems('charge', charge), undefined);
    assert.match(problems('charge', { ...charge, amount: '30500' }) ?? '', /\/amount must be integer/);
    const { paid: _paid, ...noPaid } = charge;
    assert.match(problems('charge', noPaid) ?? '', /must have required property 'paid'/);
    const rcard = api.find((e) => schemaOf(e.value) === 'recipient_card')!.value;
    assert.equal(problems('card', rcard), undefined, 'card.json takes a recipient\'s card too');
    const { recipient: _owner, ...ownerless } = rcard;
    assert.match(problems('card', ownerless) ?? '', /required property 'customer'/, 'a card has an owner');
    assert.match(problems('recipient_card', { ...ownerless, customer: 'cus_1' }) ?? '', /required property 'recipient'/);
  });
});

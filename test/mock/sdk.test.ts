/**
 * The official `stripe` npm SDK against the mock (over http on 127.0.0.1): create and list with
 * its automatic pagination, its typed errors, idempotency keys, and Bearer auth (what it sends).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Stripe from 'stripe';
import { startStripeMock, type StripeMock } from '../../src/mock/stripe/index.js';

let mock: StripeMock;
let stripe: Stripe;
before(async () => {
  mock = await startStripeMock({ validateResponses: true });
  const { hostname, port } = new URL(mock.url);
  stripe = new Stripe('sk_test_sdk_suite', { host: hostname, port: Number(port), protocol: 'http', maxNetworkRetries: 0, telemetry: false });
});
after(() => mock.close());

describe('official stripe SDK', () => {
  it('creates customers and lists them all with auto-pagination', async () => {
    const created: string[] = [];
    for (let i = 0; i < 23; i++) created.push((await stripe.customers.create({ email: `sdk${i}@example.com` })).id);
    const seen: string[] = [];
    for await (const c of stripe.customers.list({ limit: 5 })) seen.push(c.id);
    assert.deepEqual(seen, [...created].reverse());
  });

  it('raises typed errors', async () => {
    await assert.rejects(stripe.customers.retrieve('cus_missing'), (err: unknown) => {
      assert.ok(err instanceof Stripe.errors.StripeInvalidRequestError);
      assert.equal(err.statusCode, 404);
      assert.equal(err.param, 'id');
      assert.match(err.message, /No such customer: cus_missing/);
      return true;
    });
    const customer = await stripe.customers.create({ email: 'card@example.com' });
    const token = await stripe.tokens.create({ card: { number: '4000000000000002', exp_month: '12', exp_year: String(new Date().getUTCFullYear() + 1) } } as never);
    await assert.rejects(stripe.customers.createSource(customer.id, { source: token.id }), (err: unknown) => {
      assert.ok(err instanceof Stripe.errors.StripeCardError);
      assert.equal(err.statusCode, 402);
      assert.equal(err.code, 'card_declined');
      return true;
    });
    const bad = new Stripe('sk_live_not_accepted', { host: new URL(mock.url).hostname, port: Number(new URL(mock.url).port), protocol: 'http', maxNetworkRetries: 0, telemetry: false });
    await assert.rejects(bad.customers.list(), (err: unknown) => err instanceof Stripe.errors.StripeAuthenticationError || (err as { statusCode?: number }).statusCode === 401);
  });

  it('replays with an idempotency key', async () => {
    const a = await stripe.customers.create({ email: 'idem@example.com' }, { idempotencyKey: 'sdk-idem-1' });
    const b = await stripe.customers.create({ email: 'idem@example.com' }, { idempotencyKey: 'sdk-idem-1' });
    assert.equal(a.id, b.id);
    const c = await stripe.customers.create({ email: 'idem@example.com' }, { idempotencyKey: 'sdk-idem-2' });
    assert.notEqual(a.id, c.id);
  });

  it('round-trips plans and coupons with 2015 parameters', async () => {
    const plan = await stripe.plans.create({ id: 'sdk-plan', amount: 1234, currency: 'usd', interval: 'month', name: 'SDK plan' } as never);
    assert.equal(plan.amount, 1234);
    assert.equal((await stripe.plans.retrieve('sdk-plan')).amount, 1234);
    const coupon = await stripe.coupons.create({ percent_off: 15, duration: 'once' });
    assert.equal((await stripe.coupons.retrieve(coupon.id)).percent_off, 15);
    assert.equal((await stripe.coupons.del(coupon.id)).deleted, true);
  });
});

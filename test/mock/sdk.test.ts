/**
 * The official `stripe` npm SDK against the mock (over http on 127.0.0.1): create and list with
 * its automatic pagination, its typed errors, idempotency keys, and Bearer auth (what it sends);
 * charges, capture, refunds (the 2015 nested routes through rawRequest), expand, invoices.
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

  it('charges, captures less, and lists charges with auto-pagination and expand', async () => {
    const customer = await stripe.customers.create({ email: 'pay@example.com', source: 'tok_nope' } as never).catch((e: unknown) => e);
    assert.ok(customer instanceof Stripe.errors.StripeInvalidRequestError, 'an unknown token is refused');
    const token = await stripe.tokens.create({ card: { number: '4242424242424242', exp_month: '12', exp_year: String(new Date().getUTCFullYear() + 1) } } as never);
    const payer = await stripe.customers.create({ email: 'pay@example.com', source: token.id } as never);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await stripe.charges.create({ amount: 100 + i, currency: 'usd', customer: payer.id })).id);
    const seen: string[] = [];
    for await (const c of stripe.charges.list({ customer: payer.id, limit: 5, expand: ['data.customer'] })) {
      assert.equal((c.customer as Stripe.Customer).email, 'pay@example.com');
      seen.push(c.id);
    }
    assert.deepEqual(seen, [...ids].reverse());
    const auth = await stripe.charges.create({ amount: 1000, currency: 'usd', customer: payer.id, capture: false });
    assert.equal(auth.captured, false);
    const captured = await stripe.charges.capture(auth.id, { amount: 600 } as never);
    assert.deepEqual([captured.captured, captured.amount_refunded], [true, 400]);
    await assert.rejects(stripe.charges.capture(auth.id), (err: unknown) => err instanceof Stripe.errors.StripeInvalidRequestError && /already been captured/.test(err.message));
    const expanded = await stripe.charges.retrieve(auth.id, { expand: ['customer'] });
    assert.equal((expanded.customer as Stripe.Customer).id, payer.id);
    await assert.rejects(stripe.charges.create({ amount: 500, currency: 'usd', source: 'tok_nope' }), Stripe.errors.StripeInvalidRequestError);
  });

  it('declines a charge with a typed card error that names the failed charge', async () => {
    const token = await stripe.tokens.create({ card: { number: '4000000000000002', exp_month: '12', exp_year: String(new Date().getUTCFullYear() + 1) } } as never);
    await assert.rejects(stripe.charges.create({ amount: 500, currency: 'usd', source: token.id }), (err: unknown) => {
      assert.ok(err instanceof Stripe.errors.StripeCardError);
      assert.equal(err.code, 'card_declined');
      assert.match(String(err.raw && (err.raw as { charge?: string }).charge), /^ch_/);
      return true;
    });
  });

  it('refunds through the 2015 nested routes (rawRequest)', async () => {
    const charge = await stripe.charges.create({ amount: 2000, currency: 'usd', source: { object: 'card', number: '4242424242424242', exp_month: 12, exp_year: new Date().getUTCFullYear() + 1 } } as never);
    const part = await stripe.rawRequest('POST', `/v1/charges/${charge.id}/refunds`, { amount: 500 });
    assert.equal((part as unknown as { amount: number }).amount, 500);
    const rest = await stripe.rawRequest('POST', `/v1/charges/${charge.id}/refunds`, {});
    assert.equal((rest as unknown as { amount: number }).amount, 1500);
    const list = await stripe.rawRequest('GET', `/v1/charges/${charge.id}/refunds`, {});
    assert.equal((list as unknown as { data: unknown[] }).data.length, 2);
    const after = await stripe.charges.retrieve(charge.id);
    assert.deepEqual([after.refunded, after.amount_refunded], [true, 2000]);
    await assert.rejects(stripe.rawRequest('POST', `/v1/charges/${charge.id}/refunds`, {}), (err: unknown) => /already been refunded/.test((err as Error).message));
  });

  it('replays a charge with an idempotency key', async () => {
    const card = { object: 'card', number: '4242424242424242', exp_month: 12, exp_year: new Date().getUTCFullYear() + 1 };
    const a = await stripe.charges.create({ amount: 700, currency: 'usd', source: card } as never, { idempotencyKey: 'sdk-charge-1' });
    const b = await stripe.charges.create({ amount: 700, currency: 'usd', source: card } as never, { idempotencyKey: 'sdk-charge-1' });
    assert.equal(a.id, b.id);
  });

  it('subscribes, prorates a plan change, and invoices the pending items', async () => {
    await stripe.plans.create({ id: 'sdk-basic', amount: 1000, currency: 'usd', interval: 'month', name: 'Basic' } as never);
    await stripe.plans.create({ id: 'sdk-pro', amount: 4000, currency: 'usd', interval: 'month', name: 'Pro' } as never);
    const customer = await stripe.customers.create({ source: { object: 'card', number: '4242424242424242', exp_month: 12, exp_year: new Date().getUTCFullYear() + 1 } } as never);
    const sub = await stripe.rawRequest('POST', `/v1/customers/${customer.id}/subscriptions`, { plan: 'sdk-basic' }) as unknown as { id: string };
    await stripe.rawRequest('POST', `/v1/customers/${customer.id}/subscriptions/${sub.id}`, { plan: 'sdk-pro' });
    const invoice = await stripe.invoices.create({ customer: customer.id } as never);
    assert.equal(invoice.object, 'invoice');
    assert.equal(invoice.lines.data.length, 2);
    assert.equal((await stripe.invoices.retrieve(invoice.id!)).id, invoice.id);
    await assert.rejects(stripe.invoices.create({ customer: customer.id } as never), (err: unknown) => /Nothing to invoice for customer/.test((err as Error).message));
  });
});

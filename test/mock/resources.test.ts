/**
 * The embedded Stripe mock, resource by resource, over real HTTP. Every response the mock sends
 * here is validated against schemas/ (validateResponses: a mismatch would be a 500), and the
 * last test proves every object schema was exercised.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startStripeMock, type StripeMock } from '../../src/mock/stripe/index.js';
import { ROOT } from '../helpers/cli.js';
import { client, nextYear, visa } from '../helpers/stripe-client.js';

let mock: StripeMock;
let api: ReturnType<typeof client>;
before(async () => {
  mock = await startStripeMock({ validateResponses: true });
  api = client(mock.url);
});
after(() => mock.close());

const plan = (id: string, extra: object = {}) => ({ id, amount: 777, currency: 'usd', interval: 'month', name: `Plan ${id}`, ...extra });

describe('account', () => {
  it('GET /v1/account returns the account of the key', async () => {
    const r = await api.get('/v1/account');
    assert.equal(r.status, 200);
    assert.equal(r.body.object, 'account');
    assert.match(r.body.id, /^acct_/);
    assert.equal((await api.get('/v1/account')).body.id, r.body.id, 'the same key, the same account');
  });
});

describe('plans', () => {
  it('creates, retrieves (state kept), updates, lists and deletes', async () => {
    const created = await api.post('/v1/plans', plan('gold', { interval_count: 3, trial_period_days: 7, metadata: { tier: 'top' } }));
    assert.equal(created.status, 200);
    assert.deepEqual(
      { id: created.body.id, amount: created.body.amount, interval_count: created.body.interval_count, trial: created.body.trial_period_days, livemode: created.body.livemode, metadata: created.body.metadata },
      { id: 'gold', amount: 777, interval_count: 3, trial: 7, livemode: false, metadata: { tier: 'top' } },
    );
    assert.equal((await api.get('/v1/plans/gold')).body.amount, 777, 'what was created reads back (stripe-mock returns 2000)');
    const renamed = await api.post('/v1/plans/gold', { name: 'Golder', statement_descriptor: 'GOLD', metadata: { tier: '', extra: 'x' } });
    assert.equal(renamed.body.name, 'Golder');
    assert.equal(renamed.body.statement_descriptor, 'GOLD');
    assert.deepEqual(renamed.body.metadata, { extra: 'x' }, 'an empty metadata value unsets its key');
    const amountChange = await api.post('/v1/plans/gold', { amount: 1 });
    assert.equal(amountChange.status, 400, 'the amount of a plan is not editable');
    const list = await api.get('/v1/plans');
    assert.equal(list.body.object, 'list');
    assert.equal(list.body.url, '/v1/plans');
    assert.ok(list.body.data.some((p: any) => p.id === 'gold'));
    const deleted = await api.del('/v1/plans/gold');
    assert.deepEqual(deleted.body, { deleted: true, id: 'gold' });
    assert.equal((await api.get('/v1/plans/gold')).status, 404, 'a deleted plan is gone');
  });
});

describe('coupons', () => {
  it('percent_off and amount_off coupons, durations, redemption counts, deletion', async () => {
    const pct = await api.post('/v1/coupons', { id: 'QUARTER', percent_off: 25, duration: 'repeating', duration_in_months: 3, max_redemptions: 2 });
    assert.equal(pct.status, 200);
    assert.equal(pct.body.duration_in_months, 3);
    assert.equal(pct.body.valid, true);
    const amt = await api.post('/v1/coupons', { amount_off: 500, currency: 'usd', duration: 'once' });
    assert.equal(amt.status, 200);
    assert.match(amt.body.id, /^[\w-]{8}$/, 'a coupon without id gets a random one');
    assert.equal((await api.post('/v1/coupons/QUARTER', { metadata: { a: '1' } })).body.metadata.a, '1');
    assert.deepEqual((await api.get('/v1/coupons')).body.data.map((c: any) => c.id), [amt.body.id, 'QUARTER'], 'newest first');
    await api.post('/v1/customers', { coupon: 'QUARTER' });
    const second = await api.post('/v1/customers', { coupon: 'QUARTER' });
    const after2 = await api.get('/v1/coupons/QUARTER');
    assert.equal(after2.body.times_redeemed, 2);
    assert.equal(after2.body.valid, false, 'max_redemptions reached');
    assert.equal((await api.post('/v1/customers', { coupon: 'QUARTER' })).status, 400, 'an exhausted coupon cannot be applied');
    assert.equal((await api.del('/v1/coupons/QUARTER')).body.deleted, true);
    assert.equal((await api.get('/v1/coupons/QUARTER')).status, 404);
    const still = await api.get(`/v1/customers/${second.body.id}`);
    assert.equal(still.body.discount.coupon.id, 'QUARTER', 'deleting a coupon leaves existing discounts in place');
  });
});

describe('customers, cards and tokens', () => {
  it('creates a customer with a card token, and the card is its default source', async () => {
    const token = await api.post('/v1/tokens', { card: visa() });
    assert.equal(token.status, 200);
    assert.match(token.body.id, /^tok_/);
    assert.equal(token.body.used, false);
    assert.equal(token.body.card.last4, '4242');
    assert.equal(token.body.card.brand, 'Visa');
    const customer = await api.post('/v1/customers', { email: 'a@example.com', description: 'first', source: token.body.id, metadata: { k: 'v' } });
    assert.equal(customer.status, 200);
    assert.match(customer.body.id, /^cus_/);
    assert.equal(customer.body.sources.total_count, 1);
    assert.equal(customer.body.default_source, customer.body.sources.data[0].id);
    assert.equal((await api.get(`/v1/tokens/${token.body.id}`)).body.used, true, 'a token can be used once');
  });

  it('serves cards at /cards and /sources alike; default_source follows the reference', async () => {
    const customer = (await api.post('/v1/customers', { email: 'cards@example.com' })).body;
    const base = `/v1/customers/${customer.id}`;
    const first = await api.post(`${base}/cards`, { card: visa() });
    assert.equal(first.status, 200);
    assert.equal(first.body.customer, customer.id);
    const token = (await api.post('/v1/tokens', { card: { number: '5555555555554444', exp_month: 1, exp_year: nextYear() } })).body;
    const second = await api.post(`${base}/sources`, { source: token.id });
    assert.equal(second.body.brand, 'MasterCard');
    assert.equal((await api.get(base)).body.default_source, first.body.id, 'adding a card does not change the default');
    assert.equal((await api.get(`${base}/sources/${first.body.id}`)).body.id, first.body.id);
    const updated = await api.post(`${base}/cards/${first.body.id}`, { name: 'Jack Jackson', address_zip: '94107', exp_month: 3 });
    assert.deepEqual([updated.body.name, updated.body.address_zip, updated.body.exp_month], ['Jack Jackson', '94107', 3]);
    const list = await api.get(`${base}/cards`);
    assert.deepEqual(list.body.data.map((c: any) => c.id), [second.body.id, first.body.id], 'newest first');
    assert.equal(list.body.url, `${base}/cards`);
    assert.deepEqual((await api.del(`${base}/cards/${first.body.id}`)).body, { deleted: true, id: first.body.id });
    assert.equal((await api.get(base)).body.default_source, second.body.id, 'deleting the default: the newest remaining card');
    await api.del(`${base}/sources/${second.body.id}`);
    assert.equal((await api.get(base)).body.default_source, null, 'deleting the last card: null');
  });

  it('updates a customer; a new source replaces the default; deletion keeps a tombstone', async () => {
    const customer = (await api.post('/v1/customers', { email: 'u@example.com', card: visa() })).body;
    const oldCard = customer.default_source;
    const updated = await api.post(`/v1/customers/${customer.id}`, { email: 'v@example.com', description: 'changed', source: visa() });
    assert.equal(updated.body.email, 'v@example.com');
    assert.notEqual(updated.body.default_source, oldCard);
    assert.equal(updated.body.sources.total_count, 1);
    const gone = await api.del(`/v1/customers/${customer.id}`);
    assert.deepEqual(gone.body, { deleted: true, id: customer.id });
    assert.deepEqual((await api.get(`/v1/customers/${customer.id}`)).body, { id: customer.id, object: 'customer', deleted: true });
    assert.equal((await api.get('/v1/customers', { limit: 100 })).body.data.some((c: any) => c.id === customer.id), false, 'not listed');
    assert.equal((await api.post(`/v1/customers/${customer.id}`, { email: 'x@y' })).status, 404, 'not updatable');
  });
});

describe('subscriptions and discounts', () => {
  it('subscribes with a coupon, computes periods, updates, removes discounts, cancels', async () => {
    await api.post('/v1/plans', plan('weekly2', { interval: 'week', interval_count: 2, amount: 1 }));
    await api.post('/v1/coupons', { id: 'SUBOFF', percent_off: 10, duration: 'forever' });
    const customer = (await api.post('/v1/customers', { email: 's@example.com', coupon: 'SUBOFF' })).body;
    assert.equal(customer.discount.coupon.id, 'SUBOFF');
    assert.equal(customer.discount.subscription, null);
    const base = `/v1/customers/${customer.id}/subscriptions`;
    const sub = await api.post(base, { plan: 'weekly2', coupon: 'SUBOFF', metadata: { m: '1' } });
    assert.equal(sub.status, 200);
    assert.match(sub.body.id, /^sub_/);
    assert.equal(sub.body.status, 'active');
    assert.equal(sub.body.current_period_end - sub.body.current_period_start, 14 * 86400, 'two weeks');
    assert.equal(sub.body.discount.subscription, sub.body.id);
    assert.equal((await api.get('/v1/coupons/SUBOFF')).body.times_redeemed, 2);
    const withSub = await api.get(`/v1/customers/${customer.id}`);
    assert.equal(withSub.body.subscriptions.total_count, 1);
    assert.equal((await api.post(`${base}/${sub.body.id}`, { quantity: 2 })).body.quantity, 2);
    assert.deepEqual(Object.keys((await api.del(`${base}/${sub.body.id}/discount`)).body).sort(), ['deleted', 'id']);
    assert.equal((await api.get(`${base}/${sub.body.id}`)).body.discount, null);
    assert.equal((await api.del(`${base}/${sub.body.id}/discount`)).status, 404, 'no discount left to remove');
    const atEnd = await api.del(`${base}/${sub.body.id}`, { at_period_end: true });
    assert.deepEqual([atEnd.body.status, atEnd.body.cancel_at_period_end], ['active', true]);
    const now = await api.del(`${base}/${sub.body.id}`);
    assert.equal(now.body.status, 'canceled');
    assert.equal((await api.get(base)).body.data.length, 0, 'a canceled subscription is no longer listed');
    assert.equal((await api.del(`/v1/customers/${customer.id}/discount`)).body.deleted, true);
    assert.equal((await api.get(`/v1/customers/${customer.id}`)).body.discount, null);
  });

  it('trials come from the plan; monthly periods follow the calendar; customer create with plan subscribes', async () => {
    await api.post('/v1/plans', plan('trial', { trial_period_days: 14 }));
    const customer = (await api.post('/v1/customers', { email: 't@example.com', plan: 'trial', quantity: 3, card: visa() })).body;
    const sub = customer.subscriptions.data[0];
    assert.equal(sub.status, 'trialing');
    assert.equal(sub.trial_end - sub.trial_start, 14 * 86400);
    assert.equal(sub.quantity, 3);
    const monthly = await api.post(`/v1/customers/${customer.id}/subscriptions`, { plan: 'trial', trial_end: 'now' });
    assert.equal(monthly.body.status, 'active');
    const start = new Date(monthly.body.current_period_start * 1000);
    const end = new Date(monthly.body.current_period_end * 1000);
    assert.equal((end.getUTCMonth() - start.getUTCMonth() + 12) % 12, 1, 'one calendar month');
    const del = await api.del(`/v1/customers/${customer.id}`);
    assert.equal(del.status, 200);
    assert.equal((await api.get(`/v1/customers/${customer.id}/subscriptions`)).status, 404, 'deleting a customer cancels its subscriptions');
  });
});

describe('schemas', () => {
  it('every object schema was used to validate a response in this file', () => {
    // discount.json has no endpoint of its own: it is validated inside customer and subscription.
    // Money (charges, refunds, invoices) and recipients are checked the same way in billing.test.ts.
    const elsewhere = ['charge', 'charge_list', 'refund', 'refund_list', 'invoice', 'invoice_list', 'line_item', 'line_item_list', 'recipient', 'recipient_card', 'recipient_card_list'];
    const expected = readdirSync(join(ROOT, 'schemas')).filter((f) => f.endsWith('.json') && !f.endsWith('.openapi.json') && !['notebook.schema.json', 'list.json', 'discount.json'].includes(f)).map((f) => f.slice(0, -5)).filter((n) => !elsewhere.includes(n));
    const seen = [...(mock.validated?.keys() ?? [])];
    const missing = expected.filter((n) => !seen.includes(n));
    assert.deepEqual(missing, []);
  });
});

describe('response self-check', () => {
  it('fails a response that does not match its schema', async () => {
    const { ResponseValidator } = await import('../../src/mock/stripe/validate.js');
    const v = new ResponseValidator();
    const plan = { id: 'p', object: 'plan', amount: 1, created: 1, currency: 'usd', interval: 'week', interval_count: 1, livemode: false, metadata: {}, name: 'P', statement_descriptor: null, trial_period_days: null };
    assert.equal(v.check(200, '/v1/plans/p', plan), undefined);
    assert.match(v.check(200, '/v1/plans/p', { ...plan, amount: '1' }) ?? '', /plan\.json: body\.amount must be integer/);
    assert.match(v.check(404, '/v1/plans/p', { message: 'no error envelope' }) ?? '', /error\.json/);
    assert.match(v.check(200, '/v1/plans', { object: 'list', data: [{ ...plan, name: 5 }], has_more: false, url: '/v1/plans' }) ?? '', /plan_list\.json/);
  });
});

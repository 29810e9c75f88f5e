/**
 * Money as the 2015 reference describes it: charges (token, card hash, customer, customer's card),
 * authorize and capture, declines that store a failed charge, refunds, the first invoice of a
 * subscription, prorations gathered by POST /v1/invoices, recipient cards, expand[], created filters.
 * Every response is validated against schemas/ (a mismatch would be a 500).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startStripeMock, type StripeMock } from '../../src/mock/stripe/index.js';
import { client, nextYear, type Reply } from '../helpers/stripe-client.js';

let mock: StripeMock;
let api: ReturnType<typeof client>;
before(async () => {
  mock = await startStripeMock({ validateResponses: true });
  api = client(mock.url, 'sk_test_billing');
});
after(() => mock.close());

const card = (number: string, extra: object = {}) => ({ number, exp_month: 12, exp_year: nextYear(), ...extra });
const token = async (number = '4242424242424242', extra: object = {}) => (await api.post('/v1/tokens', { card: card(number, extra) })).body.id as string;

function expectError(r: Reply, status: number, fields: { type?: string; param?: string; code?: string; message?: string | RegExp }) {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.equal(r.body.error.type, fields.type ?? 'invalid_request_error');
  if ('param' in fields) assert.equal(r.body.error.param, fields.param);
  if (fields.code) assert.equal(r.body.error.code, fields.code);
  if (typeof fields.message === 'string') assert.equal(r.body.error.message, fields.message);
  else if (fields.message) assert.match(r.body.error.message, fields.message);
}

describe('charges', () => {
  it('charges a token, a card hash, a customer and a customer\'s card', async () => {
    const byToken = await api.post('/v1/charges', { amount: 400, currency: 'usd', source: await token(), description: 'Charge for test@example.com' });
    assert.equal(byToken.status, 200);
    assert.match(byToken.body.id, /^ch_/);
    assert.deepEqual([byToken.body.paid, byToken.body.captured, byToken.body.status, byToken.body.amount, byToken.body.refunded], [true, true, 'succeeded', 400, false]);
    assert.equal(byToken.body.source.last4, '4242');
    assert.equal(byToken.body.refunds.url, `/v1/charges/${byToken.body.id}/refunds`);
    const byHash = await api.post('/v1/charges', { amount: 500, currency: 'eur', source: card('5555555555554444') });
    assert.deepEqual([byHash.status, byHash.body.source.brand, byHash.body.currency], [200, 'MasterCard', 'eur']);
    const customer = (await api.post('/v1/customers', { source: await token() })).body;
    const second = (await api.post(`/v1/customers/${customer.id}/sources`, { source: card('378282246310005') })).body;
    const byCustomer = await api.post('/v1/charges', { amount: 1000, currency: 'usd', customer: customer.id });
    assert.deepEqual([byCustomer.body.customer, byCustomer.body.source.id], [customer.id, customer.default_source], 'the default card');
    const byCard = await api.post('/v1/charges', { amount: 1000, currency: 'usd', customer: customer.id, source: second.id });
    assert.equal(byCard.body.source.brand, 'American Express');
    expectError(await api.post('/v1/charges', { amount: 400, currency: 'usd', source: byToken.body.source.id.startsWith('card_') ? 'tok_used' : '' }), 400, { message: 'No such token: tok_used' });
  });

  it('checks amount, currency and source with the reference\'s wording', async () => {
    expectError(await api.post('/v1/charges', { currency: 'usd', source: card('4242424242424242') }), 400, { param: 'amount', message: 'Missing required param: amount.' });
    expectError(await api.post('/v1/charges', { amount: 49, currency: 'usd', source: card('4242424242424242') }), 400, { param: 'amount', message: 'Amount must be at least 50 cents' });
    expectError(await api.post('/v1/charges', { amount: 100, source: card('4242424242424242') }), 400, { param: 'currency' });
    expectError(await api.post('/v1/charges', { amount: 100, currency: 'usd' }), 400, { message: 'Must provide source or customer.' });
    expectError(await api.post('/v1/charges', { amount: 100, currency: 'usd', source: card('4242424242424242'), statement_descriptor: 'RunClub <5K>' }), 400, { param: 'statement_descriptor' });
    expectError(await api.post('/v1/charges', { amount: 100, currency: 'usd', source: card('4242424242424242'), statement_descriptor: 'x'.repeat(23) }), 400, { param: 'statement_descriptor' });
    const cardless = (await api.post('/v1/customers', {})).body;
    expectError(await api.post('/v1/charges', { amount: 100, currency: 'usd', customer: cardless.id }), 402, { type: 'card_error', code: 'missing', message: 'This customer has no attached card' });
    const used = await token();
    await api.post('/v1/charges', { amount: 100, currency: 'usd', source: used });
    expectError(await api.post('/v1/charges', { amount: 100, currency: 'usd', source: used }), 400, { param: 'source', message: `You cannot use a Stripe token more than once: ${used}.` });
  });

  it('a declined charge is a 402 carrying the failed charge, which is stored and listed', async () => {
    const r = await api.post('/v1/charges', { amount: 700, currency: 'usd', source: await token('4000000000000002') });
    expectError(r, 402, { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' });
    assert.match(r.body.error.charge, /^ch_/);
    const failed = await api.get(`/v1/charges/${r.body.error.charge}`);
    assert.deepEqual([failed.body.paid, failed.body.status, failed.body.failure_code, failed.body.failure_message], [false, 'failed', 'card_declined', 'Your card was declined.']);
    assert.ok((await api.get('/v1/charges', { limit: 100 })).body.data.some((c: any) => c.id === failed.body.id), 'listed');
    // 4000000000000341 attaches to a customer, and every charge on it is declined.
    const customer = (await api.post('/v1/customers', { source: card('4000000000000341') })).body;
    assert.equal(customer.sources.total_count, 1);
    expectError(await api.post('/v1/charges', { amount: 700, currency: 'usd', customer: customer.id }), 402, { type: 'card_error', code: 'card_declined' });
  });

  it('authorizes, then captures less: the rest is refunded; a second capture is refused', async () => {
    const auth = (await api.post('/v1/charges', { amount: 1000, currency: 'usd', source: await token(), capture: false })).body;
    assert.deepEqual([auth.paid, auth.captured], [true, false]);
    const captured = await api.post(`/v1/charges/${auth.id}/capture`, { amount: 750 });
    assert.equal(captured.status, 200);
    assert.deepEqual([captured.body.captured, captured.body.amount_refunded, captured.body.refunded, captured.body.refunds.data[0].amount], [true, 250, false, 250]);
    expectError(await api.post(`/v1/charges/${auth.id}/capture`), 400, { message: `Charge ${auth.id} has already been captured.` });
    const full = (await api.post('/v1/charges', { amount: 1000, currency: 'usd', source: await token(), capture: 'false' })).body;
    expectError(await api.post(`/v1/charges/${full.id}/capture`, { amount: 1001 }), 400, { param: 'amount' });
    assert.equal((await api.post(`/v1/charges/${full.id}/capture`)).body.amount_refunded, 0, 'capturing all refunds nothing');
  });

  it('updates what the reference lets change', async () => {
    const ch = (await api.post('/v1/charges', { amount: 600, currency: 'usd', source: await token() })).body;
    const up = await api.post(`/v1/charges/${ch.id}`, { description: 'new', metadata: { order: '6735' }, receipt_email: 'r@example.com', fraud_details: { user_report: 'safe' }, shipping: { name: 'Jenny', address: { line1: '1 Main St' } } });
    assert.equal(up.status, 200);
    assert.deepEqual([up.body.description, up.body.metadata.order, up.body.receipt_email, up.body.fraud_details.user_report, up.body.shipping.address.line1], ['new', '6735', 'r@example.com', 'safe', '1 Main St']);
    expectError(await api.post(`/v1/charges/${ch.id}`, { amount: 5 }), 400, { param: 'amount', message: 'Received unknown parameter: amount' });
    const bad = await api.post(`/v1/charges/${ch.id}`, { description: 'half', metadata: 'notahash' });
    expectError(bad, 400, { param: 'metadata' });
    assert.equal((await api.get(`/v1/charges/${ch.id}`)).body.description, 'new', 'a failed update changes nothing');
  });
});

describe('refunds', () => {
  it('partially, then fully; over-refunding and refunding twice are refused', async () => {
    const ch = (await api.post('/v1/charges', { amount: 1000, currency: 'usd', source: await token() })).body;
    const part = await api.post(`/v1/charges/${ch.id}/refunds`, { amount: 300, reason: 'requested_by_customer', metadata: { why: 'late' } });
    assert.equal(part.status, 200);
    assert.match(part.body.id, /^re_/);
    assert.deepEqual([part.body.amount, part.body.charge, part.body.reason], [300, ch.id, 'requested_by_customer']);
    expectError(await api.post(`/v1/charges/${ch.id}/refunds`, { amount: 701 }), 400, { param: 'amount', message: 'Refund amount ($7.01) is greater than unrefunded amount on charge ($7.00)' });
    const rest = await api.post(`/v1/charges/${ch.id}/refunds`);
    assert.equal(rest.body.amount, 700, 'the default is what remains');
    const after = (await api.get(`/v1/charges/${ch.id}`)).body;
    assert.deepEqual([after.refunded, after.amount_refunded, after.refunds.total_count], [true, 1000, 2]);
    expectError(await api.post(`/v1/charges/${ch.id}/refunds`), 400, { message: `Charge ${ch.id} has already been refunded.` });
    assert.equal((await api.get(`/v1/charges/${ch.id}/refunds/${part.body.id}`)).body.metadata.why, 'late');
    assert.equal((await api.post(`/v1/charges/${ch.id}/refunds/${part.body.id}`, { metadata: { why: 'lost' } })).body.metadata.why, 'lost');
    const list = await api.get(`/v1/charges/${ch.id}/refunds`, { limit: 1 });
    assert.deepEqual([list.body.data[0].id, list.body.has_more], [rest.body.id, true], 'newest first');
    expectError(await api.get(`/v1/charges/${ch.id}/refunds/re_nope`), 404, { param: 'id', message: 'No such refund: re_nope' });
  });
});

describe('lists: created filters, customer filter, cursors', () => {
  it('filters by created (exact, gt, gte, lt, lte) and by customer', async () => {
    const k = client(mock.url, 'sk_test_created');
    const customer = (await k.post('/v1/customers', { source: card('4242424242424242') })).body;
    const charges = [];
    for (let i = 0; i < 3; i++) charges.push((await k.post('/v1/charges', { amount: 100 + i, currency: 'usd', customer: customer.id })).body);
    await k.post('/v1/charges', { amount: 100, currency: 'usd', source: card('4242424242424242') });
    const t = charges[0].created;
    assert.equal((await k.get('/v1/charges', { created: { gte: t } })).body.data.length, 4);
    assert.equal((await k.get('/v1/charges', { created: { gt: t + 3600 } })).body.data.length, 0);
    assert.equal((await k.get('/v1/charges', { created: { lt: t } })).body.data.length, 0);
    assert.equal((await k.get('/v1/charges', { created: { lte: t + 3600 } })).body.data.length, 4);
    assert.equal((await k.get('/v1/charges', { created: String(t - 1) })).body.data.length, 0);
    assert.deepEqual((await k.get('/v1/charges', { customer: customer.id })).body.data.map((c: any) => c.id), charges.map((c) => c.id).reverse());
    assert.equal((await k.get('/v1/customers', { created: { gte: customer.created } })).body.data.length, 1);
    assert.equal((await k.get('/v1/plans', { created: { lt: 1 } })).body.data.length, 0);
    expectError(await k.get('/v1/charges', { created: { after: t } }), 400, { param: 'created[after]' });
    expectError(await k.get('/v1/charges', { created: { gt: 'soon' } }), 400, { param: 'created[gt]' });
  });
});

describe('expand[]', () => {
  it('expands ids into objects, nested with dots and on lists with data.x; an unknown path is a 400', async () => {
    const customer = (await api.post('/v1/customers', { email: 'x@example.com', source: card('4242424242424242') })).body;
    const ch = (await api.post('/v1/charges', { amount: 900, currency: 'usd', customer: customer.id, expand: ['customer'] })).body;
    assert.equal(ch.customer.email, 'x@example.com', 'on create');
    const got = (await api.get(`/v1/charges/${ch.id}`, { expand: ['customer', 'customer.default_source'] })).body;
    assert.equal(got.customer.id, customer.id);
    assert.equal(got.customer.default_source.object, 'card');
    const list = (await api.get('/v1/charges', { customer: customer.id, expand: ['data.customer'] })).body;
    assert.equal(list.data[0].customer.object, 'customer');
    assert.equal((await api.get(`/v1/customers/${customer.id}`, { expand: ['default_source'] })).body.default_source.last4, '4242');
    const refund = (await api.post(`/v1/charges/${ch.id}/refunds`, { amount: 100, expand: ['charge'] })).body;
    assert.equal(refund.charge.object, 'charge');
    expectError(await api.get(`/v1/charges/${ch.id}`, { expand: ['nope'] }), 400, { param: 'expand', message: 'This property cannot be expanded (nope).' });
    expectError(await api.get('/v1/charges', { expand: ['customer'] }), 400, { message: 'This property cannot be expanded (customer).' });
    const before = (await api.get(`/v1/charges/${ch.id}`)).body.description;
    expectError(await api.post(`/v1/charges/${ch.id}`, { description: 'changed', expand: ['nope'] }), 400, { param: 'expand' });
    assert.equal((await api.get(`/v1/charges/${ch.id}`)).body.description, before, 'an unknown expand changes nothing');
  });
});

describe('expand[] on every kind of object', () => {
  it('subscriptions, cards, invoices and customers expand what they hold, nested', async () => {
    const k = client(mock.url, 'sk_test_expand_all');
    await k.post('/v1/plans', { id: 'ex', amount: 900, currency: 'usd', interval: 'month', name: 'Ex' });
    const customer = (await k.post('/v1/customers', { email: 'all@example.com', source: card('4242424242424242'), plan: 'ex', expand: ['default_source'] })).body;
    assert.equal(customer.default_source.object, 'card', 'on create');
    const sub = customer.subscriptions.data[0];
    assert.equal((await k.get(`/v1/customers/${customer.id}/subscriptions/${sub.id}`, { expand: ['customer'] })).body.customer.email, 'all@example.com');
    assert.equal((await k.get(`/v1/customers/${customer.id}/subscriptions`, { expand: ['data.customer'] })).body.data[0].customer.id, customer.id);
    assert.equal((await k.get(`/v1/customers/${customer.id}/sources`, { expand: ['data.customer'] })).body.data[0].customer.id, customer.id);
    assert.equal((await k.get('/v1/customers', { expand: ['data.default_source'] })).body.data[0].default_source.last4, '4242');
    const charge = (await k.get('/v1/charges', { expand: ['data.invoice.subscription', 'data.invoice.charge', 'data.invoice.customer.default_source'] })).body.data[0];
    assert.equal(charge.invoice.subscription.id, sub.id);
    assert.equal(charge.invoice.charge.id, charge.id);
    assert.equal(charge.invoice.customer.default_source.object, 'card');
    const canceled = (await k.del(`/v1/customers/${customer.id}/subscriptions/${sub.id}`, { expand: ['customer'] })).body;
    assert.equal(canceled.customer.id, customer.id, 'on a DELETE that answers the subscription');
    expectError(await k.del(`/v1/plans/ex`, { expand: ['customer'] }), 400, { message: 'This property cannot be expanded (customer).' });
    assert.equal((await k.get('/v1/plans/ex')).status, 200, 'the refused DELETE deleted nothing');
  });
});

describe('subscriptions bill through invoices', () => {
  it('subscribing pays the first invoice with a charge; a card-less customer on a paid plan is a 402 missing', async () => {
    await api.post('/v1/plans', { id: 'gold', amount: 2000, currency: 'usd', interval: 'month', name: 'Gold' });
    const cardless = (await api.post('/v1/customers', {})).body;
    expectError(await api.post(`/v1/customers/${cardless.id}/subscriptions`, { plan: 'gold' }), 402, { type: 'card_error', code: 'missing', param: 'card', message: 'This customer has no attached card' });
    assert.equal((await api.get(`/v1/customers/${cardless.id}/subscriptions`)).body.data.length, 0, 'nothing created');
    expectError(await api.post('/v1/customers', { plan: 'gold' }), 402, { type: 'card_error', code: 'missing' });
    const customer = (await api.post('/v1/customers', { source: card('4242424242424242') })).body;
    const sub = (await api.post(`/v1/customers/${customer.id}/subscriptions`, { plan: 'gold', quantity: 2, tax_percent: '10' })).body;
    assert.equal(sub.status, 'active');
    const charges = (await api.get('/v1/charges', { customer: customer.id, expand: ['data.invoice'] })).body.data;
    assert.equal(charges.length, 1);
    assert.equal(charges[0].amount, 4400, 'two golds plus 10% tax');
    const invoice = charges[0].invoice;
    assert.deepEqual([invoice.object, invoice.paid, invoice.subscription, invoice.subtotal, invoice.tax, invoice.total, invoice.charge], ['invoice', true, sub.id, 4000, 400, 4400, charges[0].id]);
    assert.deepEqual([invoice.lines.data[0].type, invoice.lines.data[0].id, invoice.lines.data[0].quantity], ['subscription', sub.id, 2]);
    const declining = (await api.post('/v1/customers', { source: card('4000000000000341') })).body;
    expectError(await api.post(`/v1/customers/${declining.id}/subscriptions`, { plan: 'gold' }), 402, { type: 'card_error', code: 'card_declined' });
    assert.equal((await api.get(`/v1/customers/${declining.id}`)).body.subscriptions.total_count, 0);
  });

  it('a plan change prorates into pending items, keeps the billing date and resets quantity; POST /v1/invoices gathers them', async () => {
    await api.post('/v1/plans', { id: 'silver', amount: 1000, currency: 'usd', interval: 'month', name: 'Silver' });
    await api.post('/v1/plans', { id: 'platinum', amount: 5000, currency: 'usd', interval: 'month', name: 'Platinum' });
    await api.post('/v1/plans', { id: 'yearly', amount: 10000, currency: 'usd', interval: 'year', name: 'Yearly' });
    const customer = (await api.post('/v1/customers', { source: card('4242424242424242') })).body;
    expectError(await api.post('/v1/invoices', { customer: customer.id }), 400, { message: 'Nothing to invoice for customer' });
    const sub = (await api.post(`/v1/customers/${customer.id}/subscriptions`, { plan: 'silver', quantity: 3 })).body;
    const changed = (await api.post(`/v1/customers/${customer.id}/subscriptions/${sub.id}`, { plan: 'platinum' })).body;
    assert.equal(changed.quantity, 1, 'a new plan does not inherit the quantity');
    assert.deepEqual([changed.current_period_start, changed.current_period_end], [sub.current_period_start, sub.current_period_end], 'same interval: the billing date is kept');
    const invoice = await api.post('/v1/invoices', { customer: customer.id });
    assert.equal(invoice.status, 200);
    const lines = invoice.body.lines.data;
    assert.deepEqual(lines.map((l: any) => [l.type, l.proration, Math.sign(l.amount)]).sort(), [['invoiceitem', true, -1], ['invoiceitem', true, 1]]);
    // As Stripe writes the date ("Unused time on Foo after 01 Aug 2015"): two digits, three letters, whatever the Node's ICU.
    const unused = lines.find((l: any) => l.amount < 0);
    const at = new Date(unused.period.start * 1000);
    const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][at.getUTCMonth()];
    assert.equal(unused.description, `Unused time on Silver after ${String(at.getUTCDate()).padStart(2, '0')} ${month} ${at.getUTCFullYear()}`);
    assert.equal(invoice.body.subtotal, lines.reduce((s: number, l: any) => s + l.amount, 0));
    assert.equal((await api.get(`/v1/invoices/${invoice.body.id}`)).body.id, invoice.body.id);
    expectError(await api.post('/v1/invoices', { customer: customer.id }), 400, { message: 'Nothing to invoice for customer' });
    const noProrate = (await api.post(`/v1/customers/${customer.id}/subscriptions/${sub.id}`, { plan: 'silver', prorate: false })).body;
    assert.equal(noProrate.plan.id, 'silver');
    expectError(await api.post('/v1/invoices', { customer: customer.id }), 400, { message: 'Nothing to invoice for customer' });
    const yearly = (await api.post(`/v1/customers/${customer.id}/subscriptions/${sub.id}`, { plan: 'yearly' })).body;
    assert.ok(yearly.current_period_end - yearly.current_period_start > 360 * 86400, 'another interval: a new billing period');
    const charges = (await api.get('/v1/charges', { customer: customer.id })).body.data;
    assert.equal(charges.length, 2, 'billed at once for the new interval');
    expectError(await api.get('/v1/invoices/in_nope'), 404, { param: 'id', message: 'No such invoice: in_nope' });
  });

  it('prorates by the time left (proration_date), discounts with the coupon, taxes, and invoices one subscription\'s items', async () => {
    await api.post('/v1/coupons', { id: 'HALF', percent_off: 50, duration: 'forever' });
    const customer = (await api.post('/v1/customers', { source: card('4242424242424242') })).body;
    const sub = (await api.post(`/v1/customers/${customer.id}/subscriptions`, { plan: 'silver', coupon: 'HALF', tax_percent: '20' })).body;
    const first = (await api.get('/v1/charges', { customer: customer.id, expand: ['data.invoice'] })).body.data[0];
    assert.deepEqual([first.invoice.subtotal, first.invoice.discount.coupon.id, first.invoice.tax, first.invoice.total, first.amount], [1000, 'HALF', 100, 600, 600], 'half off, then 20% tax');
    const other = (await api.post(`/v1/customers/${customer.id}/subscriptions`, { plan: 'silver' })).body;
    const middle = Math.floor((sub.current_period_start + sub.current_period_end) / 2);
    await api.post(`/v1/customers/${customer.id}/subscriptions/${sub.id}`, { plan: 'platinum', proration_date: middle });
    await api.post(`/v1/customers/${customer.id}/subscriptions/${other.id}`, { quantity: 2, proration_date: middle });
    const invoice = (await api.post('/v1/invoices', { customer: customer.id, subscription: sub.id, metadata: { po: '7' } })).body;
    const amounts = invoice.lines.data.map((l: any) => l.amount).sort((a: number, b: number) => a - b);
    assert.ok(Math.abs(amounts[0] + 500) <= 1 && Math.abs(amounts[1] - 2500) <= 1, `half a month of each plan: ${amounts}`);
    assert.ok(invoice.lines.data.every((l: any) => l.subscription === sub.id), 'only the items of that subscription');
    assert.deepEqual([invoice.subscription, invoice.tax_percent, invoice.metadata.po, invoice.paid, invoice.attempted], [sub.id, 20, '7', false, false]);
    assert.equal(invoice.subtotal, amounts[0] + amounts[1]);
    const rest = (await api.post('/v1/invoices', { customer: customer.id })).body;
    assert.ok(rest.lines.data.length === 2 && rest.lines.data.every((l: any) => l.subscription === other.id), 'the quantity change, left for the next invoice');
  });

  it('source on create and update replaces the default card; DELETE body parameters are honoured', async () => {
    const customer = (await api.post('/v1/customers', { source: card('4242424242424242') })).body;
    const old = customer.default_source;
    const sub = (await api.post(`/v1/customers/${customer.id}/subscriptions`, { plan: 'silver', source: card('5555555555554444') })).body;
    const after = (await api.get(`/v1/customers/${customer.id}`)).body;
    assert.notEqual(after.default_source, old);
    assert.deepEqual(after.sources.data.map((c: any) => c.brand), ['MasterCard'], 'the old default is deleted');
    await api.post(`/v1/customers/${customer.id}/subscriptions/${sub.id}`, { source: card('378282246310005') });
    assert.equal((await api.get(`/v1/customers/${customer.id}`, { expand: ['default_source'] })).body.default_source.brand, 'American Express');
    const del = await api.raw('DELETE', `/v1/customers/${customer.id}/subscriptions/${sub.id}`, undefined, { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(del.status, 200);
    const sub2 = (await api.post(`/v1/customers/${customer.id}/subscriptions`, { plan: 'silver' })).body;
    const { request } = await import('undici');
    const res = await request(`${mock.url}/v1/customers/${customer.id}/subscriptions/${sub2.id}`, {
      method: 'DELETE', body: 'at_period_end=true',
      headers: { authorization: `Basic ${Buffer.from('sk_test_billing:').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    });
    const body = await res.body.json() as any;
    assert.deepEqual([body.status, body.cancel_at_period_end], ['active', true], 'at_period_end in the body');
  });

  it('tax_percent on customer create is kept on its subscription', async () => {
    const c = (await api.post('/v1/customers', { plan: 'silver', tax_percent: '8.25', source: card('4242424242424242') })).body;
    assert.equal(c.subscriptions.data[0].tax_percent, 8.25);
    expectError(await api.post('/v1/customers', { plan: 'silver', tax_percent: '101', source: card('4242424242424242') }), 400, { param: 'tax_percent' });
    assert.equal((await api.post('/v1/customers', { tax_percent: '8' })).status, 200, 'without a plan it does not apply');
  });
});

describe('recipient cards', () => {
  it('serves the five endpoints on a recipient', async () => {
    const rp = await api.post('/v1/recipients', { name: 'Jenny Rosen', type: 'individual' });
    assert.equal(rp.status, 200);
    assert.match(rp.body.id, /^rp_/);
    const base = `/v1/recipients/${rp.body.id}/cards`;
    const created = await api.post(base, { card: await token('4000056655665556') });
    assert.equal(created.status, 200);
    assert.equal(created.body.recipient, rp.body.id);
    assert.equal('customer' in created.body, false);
    assert.equal((await api.get(`/v1/recipients/${rp.body.id}`)).body.default_card, created.body.id);
    assert.equal((await api.get(`${base}/${created.body.id}`)).body.last4, '5556');
    assert.equal((await api.post(`${base}/${created.body.id}`, { name: 'J. Rosen' })).body.name, 'J. Rosen');
    assert.equal((await api.get(base)).body.data.length, 1);
    assert.equal((await api.get(`${base}/${created.body.id}`, { expand: ['recipient'] })).body.recipient.name, 'Jenny Rosen');
    assert.deepEqual((await api.del(`${base}/${created.body.id}`)).body, { deleted: true, id: created.body.id });
    expectError(await api.get(`${base}/${created.body.id}`), 404, { param: 'id' });
    expectError(await api.post(base, {}), 400, { param: 'card', message: 'Missing required param: card.' });
    assert.equal((await api.del(`/v1/recipients/${rp.body.id}`)).body.deleted, true);
    expectError(await api.get(`/v1/recipients/rp_nope`), 404, { message: 'No such recipient: rp_nope' });
    const inv = (await api.get('/v1/invoices', { limit: 1 })).body;
    assert.equal(inv.object, 'list');
    assert.equal((await api.get(`/v1/invoices/${inv.data[0].id}/lines`)).body.object, 'list');
  });
});

describe('schemas', () => {
  it('every money and recipient schema validated a response in this file', () => {
    const seen = [...(mock.validated?.keys() ?? [])];
    const expected = ['charge', 'charge_list', 'refund', 'refund_list', 'invoice', 'invoice_list', 'line_item_list', 'recipient', 'recipient_card', 'recipient_card_list'];
    assert.deepEqual(expected.filter((n) => !seen.includes(n)), []);
  });
});

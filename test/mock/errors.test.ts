/** Every error path of the mock: Stripe's shape, status, type, param, code and wording. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startStripeMock, type StripeMock } from '../../src/mock/stripe/index.js';
import { client, nextYear, visa, type Reply } from '../helpers/stripe-client.js';

let mock: StripeMock;
let api: ReturnType<typeof client>;
let customerId: string;
before(async () => {
  mock = await startStripeMock({ validateResponses: true });
  api = client(mock.url);
  await api.post('/v1/plans', { id: 'exists', amount: 100, currency: 'usd', interval: 'month', name: 'Exists' });
  customerId = (await api.post('/v1/customers', { email: 'e@example.com' })).body.id;
});
after(() => mock.close());

function expectError(r: Reply, status: number, fields: { type?: string; param?: string; code?: string; message?: string | RegExp }) {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.equal(typeof r.body.error.message, 'string');
  assert.equal(r.body.error.type, fields.type ?? 'invalid_request_error');
  if ('param' in fields) assert.equal(r.body.error.param, fields.param);
  if (fields.code) assert.equal(r.body.error.code, fields.code);
  if (typeof fields.message === 'string') assert.equal(r.body.error.message, fields.message);
  else if (fields.message) assert.match(r.body.error.message, fields.message);
}

const card = (number: string) => ({ number, exp_month: 12, exp_year: nextYear() });

describe('400: parameters', () => {
  it('missing required', async () => expectError(await api.post('/v1/plans', { id: 'x', currency: 'usd', interval: 'month', name: 'X' }), 400, { param: 'amount', message: 'Missing required param: amount.' }));
  it('unknown', async () => expectError(await api.post('/v1/customers', { foo: 'bar' }), 400, { param: 'foo', message: 'Received unknown parameter: foo' }));
  it('invalid enum', async () => expectError(await api.post('/v1/plans', { id: 'x', amount: 1, currency: 'usd', interval: 'fortnight', name: 'X' }), 400, { param: 'interval' }));
  it('invalid integer', async () => expectError(await api.post('/v1/plans', { id: 'x', amount: 'ten', currency: 'usd', interval: 'month', name: 'X' }), 400, { param: 'amount', message: 'Invalid integer: ten' }));
  it('invalid currency', async () => expectError(await api.post('/v1/plans', { id: 'x', amount: 1, currency: 'dollars', interval: 'month', name: 'X' }), 400, { param: 'currency' }));
  it('interval longer than a year', async () => expectError(await api.post('/v1/plans', { id: 'x', amount: 1, currency: 'usd', interval: 'month', interval_count: 13, name: 'X' }), 400, { param: 'interval_count' }));
  it('coupon without percent_off or amount_off', async () => expectError(await api.post('/v1/coupons', { duration: 'once' }), 400, { param: 'percent_off' }));
  it('coupon with amount_off and no currency', async () => expectError(await api.post('/v1/coupons', { duration: 'once', amount_off: 5 }), 400, { param: 'currency' }));
  it('repeating coupon without duration_in_months', async () => expectError(await api.post('/v1/coupons', { duration: 'repeating', percent_off: 5 }), 400, { param: 'duration_in_months' }));
  it('metadata too many keys', async () => {
    const metadata = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v']));
    expectError(await api.post('/v1/customers', { metadata }), 400, { param: 'metadata' });
  });
  it('metadata key too long', async () => expectError(await api.post('/v1/customers', { metadata: { ['k'.repeat(41)]: 'v' } }), 400, { param: `metadata[${'k'.repeat(41)}]` }));
  it('duplicate plan id', async () => expectError(await api.post('/v1/plans', { id: 'exists', amount: 1, currency: 'usd', interval: 'month', name: 'X' }), 400, { param: 'id', message: 'Plan already exists.' }));
  it('duplicate coupon id', async () => {
    await api.post('/v1/coupons', { id: 'DUP', percent_off: 5, duration: 'once' });
    expectError(await api.post('/v1/coupons', { id: 'DUP', percent_off: 5, duration: 'once' }), 400, { param: 'id', message: 'Coupon already exists.' });
  });
  it('a coupon that does not exist, applied to a customer', async () => expectError(await api.post('/v1/customers', { coupon: 'NOPE' }), 400, { param: 'coupon', message: 'No such coupon: NOPE' }));
  it('a plan that does not exist, subscribed to', async () => expectError(await api.post(`/v1/customers/${customerId}/subscriptions`, { plan: 'NOPE' }), 400, { param: 'plan', message: 'No such plan: NOPE' }));
  it('a token used twice', async () => {
    const tok = (await api.post('/v1/tokens', { card: visa() })).body.id;
    assert.equal((await api.post(`/v1/customers/${customerId}/cards`, { card: tok })).status, 200);
    expectError(await api.post(`/v1/customers/${customerId}/cards`, { card: tok }), 400, { param: 'card', message: `You cannot use a Stripe token more than once: ${tok}.` });
  });
  it('a token that does not exist', async () => expectError(await api.post(`/v1/customers/${customerId}/sources`, { source: 'tok_nope' }), 400, { param: 'source', message: 'No such token: tok_nope' }));
  it('limit out of range', async () => {
    expectError(await api.get('/v1/customers', { limit: 0 }), 400, { param: 'limit' });
    expectError(await api.get('/v1/customers', { limit: 101 }), 400, { param: 'limit' });
  });
  it('starting_after an unknown id', async () => expectError(await api.get('/v1/customers', { starting_after: 'cus_nope' }), 400, { param: 'starting_after' }));
});

describe('404: objects and routes', () => {
  it('no such plan', async () => expectError(await api.get('/v1/plans/gold'), 404, { param: 'id', message: 'No such plan: gold' }));
  it('no such coupon', async () => expectError(await api.get('/v1/coupons/gold'), 404, { param: 'id', message: 'No such coupon: gold' }));
  it('no such customer', async () => expectError(await api.get('/v1/customers/cus_nope'), 404, { param: 'id', message: 'No such customer: cus_nope' }));
  it('no such token', async () => expectError(await api.get('/v1/tokens/tok_nope'), 404, { param: 'id', message: 'No such token: tok_nope' }));
  it('no such card, in the words of each path', async () => {
    expectError(await api.get(`/v1/customers/${customerId}/cards/card_nope`), 404, { param: 'id', message: `Customer ${customerId} does not have card with ID card_nope` });
    expectError(await api.get(`/v1/customers/${customerId}/sources/card_nope`), 404, { param: 'id', message: 'No such source: card_nope' });
  });
  it('no such subscription', async () => expectError(await api.get(`/v1/customers/${customerId}/subscriptions/sub_nope`), 404, { message: /does not have a subscription with ID sub_nope/ }));
  it('an unknown route is JSON, not plain text', async () => {
    const r = await api.get('/v1/foo');
    expectError(r, 404, { message: 'Unrecognized request URL (GET: /v1/foo). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.' });
    assert.match(r.headers['content-type'], /application\/json/);
    expectError(await api.raw('PUT', '/v1/plans'), 404, { message: /Unrecognized request URL \(PUT: \/v1\/plans\)/ });
  });
});

describe('401: keys', () => {
  it('no key', async () => expectError(await client(mock.url, null).get('/v1/account'), 401, { message: /You did not provide an API key/ }));
  it('a key that is not a test secret key, masked but for its last four', async () => expectError(await client(mock.url, 'sk_live_abcdefgh1234').get('/v1/account'), 401, { message: 'Invalid API Key provided: sk_live_********1234' }));
  it('Bearer works as well as Basic', async () => assert.equal((await client(mock.url, 'sk_test_bearer', 'bearer').get('/v1/account')).status, 200));
});

describe('402: test cards', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['4000000000000002', 'card_declined', undefined],
    ['4000000000000069', 'expired_card', 'exp_month'],
    ['4000000000000127', 'incorrect_cvc', 'cvc'],
    ['4000000000000119', 'processing_error', undefined],
  ];
  for (const [number, code, param] of cases) {
    it(`${number}: ${code} when attached`, async () => {
      const token = await api.post('/v1/tokens', { card: card(number) });
      assert.equal(token.status, 200, 'a token is created from any well-formed number');
      const r = await api.post(`/v1/customers/${customerId}/sources`, { source: token.body.id });
      expectError(r, 402, { type: 'card_error', code, ...(param ? { param } : {}) });
      expectError(await api.post(`/v1/customers/${customerId}/cards`, { card: card(number) }), 402, { type: 'card_error', code });
    });
  }
  it('a number that fails the Luhn check: incorrect_number', async () => expectError(await api.post('/v1/tokens', { card: card('4242424242424241') }), 402, { type: 'card_error', code: 'incorrect_number', param: 'number', message: 'Your card number is incorrect.' }));
  it('an expiry in the past: invalid_expiry_year', async () => expectError(await api.post('/v1/tokens', { card: { ...card('4242424242424242'), exp_year: 2001 } }), 402, { type: 'card_error', code: 'invalid_expiry_year', param: 'exp_year' }));
  it('a failed attach changes nothing', async () => {
    const before = (await api.get(`/v1/customers/${customerId}/cards`)).body.data.length;
    await api.post(`/v1/customers/${customerId}/cards`, { card: card('4000000000000002') });
    assert.equal((await api.get(`/v1/customers/${customerId}/cards`)).body.data.length, before);
  });
});

describe('402: every card error code in the reference\'s table', () => {
  // The reference lists 11 card error codes; each is produced here with its status, type, code and param.
  const api2 = () => client(mock.url, 'sk_test_card_codes');
  const cases: Array<[string, () => Promise<Reply>, string | undefined]> = [
    ['invalid_number', async () => api2().post('/v1/tokens', { card: card('4242abcd') }), 'number'],
    ['invalid_expiry_month', async () => api2().post('/v1/tokens', { card: { ...card('4242424242424242'), exp_month: 13 } }), 'exp_month'],
    ['invalid_expiry_year', async () => api2().post('/v1/tokens', { card: { ...card('4242424242424242'), exp_year: 2001 } }), 'exp_year'],
    ['invalid_cvc', async () => api2().post('/v1/tokens', { card: { ...card('4242424242424242'), cvc: '12a' } }), 'cvc'],
    ['incorrect_number', async () => api2().post('/v1/tokens', { card: card('4242424242424241') }), 'number'],
    ['expired_card', async () => api2().post('/v1/charges', { amount: 100, currency: 'usd', source: card('4000000000000069') }), 'exp_month'],
    ['incorrect_cvc', async () => api2().post('/v1/charges', { amount: 100, currency: 'usd', source: card('4000000000000127') }), 'cvc'],
    ['incorrect_zip', async () => api2().post('/v1/charges', { amount: 100, currency: 'usd', source: { ...card('4000000000000036'), address_zip: '94107' } }), 'address_zip'],
    ['card_declined', async () => api2().post('/v1/charges', { amount: 100, currency: 'usd', source: card('4000000000000002') }), undefined],
    ['missing', async () => api2().post('/v1/charges', { amount: 100, currency: 'usd', customer: (await api2().post('/v1/customers', {})).body.id }), 'card'],
    ['processing_error', async () => api2().post('/v1/charges', { amount: 100, currency: 'usd', source: card('4000000000000119') }), undefined],
  ];
  for (const [code, send, param] of cases) {
    it(`${code}: 402 card_error${param ? `, param ${param}` : ''}`, async () => {
      const r = await send();
      expectError(r, 402, { type: 'card_error', code, ...(param ? { param } : {}) });
      if (!param) assert.equal(r.body.error.param, undefined);
    });
  }
  it('4000000000000036 attaches with a failing zip check (the charge is what fails)', async () => {
    const t = await api2().post('/v1/tokens', { card: { ...card('4000000000000036'), address_zip: '94107' } });
    assert.equal(t.body.card.address_zip_check, 'fail');
  });
  it('a card update with a past month or month 13 is a card error on exp_month', async () => {
    const c = (await api2().post('/v1/customers', { card: card('4242424242424242') })).body;
    const path = `/v1/customers/${c.id}/cards/${c.default_source}`;
    expectError(await api2().post(path, { exp_month: 13 }), 402, { type: 'card_error', code: 'invalid_expiry_month', param: 'exp_month', message: "Your card's expiration month is invalid." });
    const now = new Date();
    if (now.getUTCMonth() > 0) {
      const past = await api2().post(path, { exp_month: now.getUTCMonth(), exp_year: now.getUTCFullYear() });
      expectError(past, 402, { type: 'card_error', code: 'invalid_expiry_month', param: 'exp_month', message: "Your card's expiration month is invalid." });
    }
    expectError(await api2().post(path, { exp_year: 2001 }), 402, { type: 'card_error', code: 'invalid_expiry_year', param: 'exp_year', message: "Your card's expiration year is invalid." });
  });
});

describe('a failed write changes nothing', () => {
  const k = () => client(mock.url, 'sk_test_atomic');
  it('an update with a bad metadata hash keeps the email', async () => {
    const c = (await k().post('/v1/customers', { email: 'before@example.com' })).body;
    expectError(await k().post(`/v1/customers/${c.id}`, { email: 'after@example.com', metadata: 'notahash' }), 400, { param: 'metadata' });
    assert.equal((await k().get(`/v1/customers/${c.id}`)).body.email, 'before@example.com');
  });
  it('a declined card on a customer update keeps the description', async () => {
    const c = (await k().post('/v1/customers', { description: 'before' })).body;
    expectError(await k().post(`/v1/customers/${c.id}`, { description: 'after', source: card('4000000000000002') }), 402, { type: 'card_error', code: 'card_declined' });
    const now = (await k().get(`/v1/customers/${c.id}`)).body;
    assert.deepEqual([now.description, now.sources.total_count], ['before', 0]);
  });
  it('a card update with a bad expiry keeps the new name out', async () => {
    const c = (await k().post('/v1/customers', { card: card('4242424242424242') })).body;
    const path = `/v1/customers/${c.id}/cards/${c.default_source}`;
    expectError(await k().post(path, { name: 'New Name', exp_year: 2001 }), 402, { type: 'card_error', code: 'invalid_expiry_year' });
    assert.equal((await k().get(path)).body.name, null);
  });
  it('a rejected subscription leaves no card attached and the token unused', async () => {
    await k().post('/v1/plans', { id: 'atomic', amount: 500, currency: 'usd', interval: 'month', name: 'Atomic' });
    const c = (await k().post('/v1/customers', {})).body;
    const tok = (await k().post('/v1/tokens', { card: card('4242424242424242') })).body.id;
    expectError(await k().post(`/v1/customers/${c.id}/subscriptions`, { plan: 'atomic', source: tok, trial_end: '1' }), 400, { param: 'trial_end' });
    assert.equal((await k().get(`/v1/customers/${c.id}`)).body.sources.total_count, 0);
    assert.equal((await k().get(`/v1/tokens/${tok}`)).body.used, false);
  });
  it('a rejected customer create does not redeem its coupon', async () => {
    await k().post('/v1/coupons', { id: 'ATOMIC', percent_off: 10, duration: 'once' });
    const customers = (await k().get('/v1/customers')).body.data.length;
    expectError(await k().post('/v1/customers', { coupon: 'ATOMIC', source: card('4000000000000002') }), 402, { type: 'card_error' });
    expectError(await k().post('/v1/customers', { coupon: 'ATOMIC', plan: 'atomic' }), 402, { code: 'missing', type: 'card_error' });
    assert.equal((await k().get('/v1/coupons/ATOMIC')).body.times_redeemed, 0);
    assert.equal((await k().get('/v1/customers')).body.data.length, customers, 'no customer created');
  });
  it('more than 1,000 parameters is a 400, not a silent drop', async () => {
    const metadata = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, 'v']));
    expectError(await k().post('/v1/customers', { metadata }), 400, { message: /too many parameters/ });
  });
  it('an id with a slash is refused (it could never be read back)', async () => {
    expectError(await k().post('/v1/plans', { id: 'a/b', amount: 100, currency: 'usd', interval: 'month', name: 'Slash' }), 400, { param: 'id' });
    expectError(await k().post('/v1/coupons', { id: 'a/b', percent_off: 5, duration: 'once' }), 400, { param: 'id' });
  });
});

/**
 * Every route of the mock's table, with every kind of wrong or odd parameter, against real
 * objects: the answer is a 2xx or a 4xx that matches its schema, never a 500 (the self-check
 * turns a response that does not match its schema into a 500, so this also covers expand[] on
 * every route, deleted objects expanded, and Java-free oddities like nested arrays).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startStripeMock, type StripeMock } from '../../src/mock/stripe/index.js';
import { ROUTES } from '../../src/mock/stripe/server.js';
import { client, nextYear } from '../helpers/stripe-client.js';

let mock: StripeMock;
before(async () => {
  mock = await startStripeMock({ validateResponses: true });
});
after(() => mock.close());

const ODD: object[] = [
  {}, { expand: ['customer'] }, { expand: 'data.customer' }, { expand: [['a']] }, { expand: ['invoice.customer.default_source'] },
  { created: { gt: 'x' } }, { created: '5' }, { amount: '-1' }, { amount: '100000000000000000000' }, { metadata: { a: { b: 'c' } } },
  { source: ['a'] }, { card: { number: 'x' } }, { limit: '0' }, { plan: ['p'] }, { quantity: '1.5' }, { tax_percent: 'abc' },
  { shipping: { name: 'x' } }, { fraud_details: { user_report: 'nope' } }, { at_period_end: 'maybe' }, { customer: { a: 1 } },
  { capture: 'yes' }, { trial_end: 'now' }, { prorate: 'false', plan: 'p' }, { proration_date: '1' },
];

describe('every route against odd parameters', () => {
  it('answers 2xx or a 4xx in Stripe\'s shape, never a 500', async () => {
    const api = client(mock.url, 'sk_test_hostile');
    const card = { number: '4242424242424242', exp_month: 1, exp_year: nextYear() };
    await api.post('/v1/plans', { id: 'p', amount: 1000, currency: 'usd', interval: 'month', name: 'P' });
    await api.post('/v1/coupons', { id: 'c', percent_off: 10, duration: 'once' });
    const cus = (await api.post('/v1/customers', { source: card, plan: 'p' })).body;
    const sub = cus.subscriptions.data[0].id;
    const ch = (await api.post('/v1/charges', { amount: 500, currency: 'usd', customer: cus.id })).body;
    const re = (await api.post(`/v1/charges/${ch.id}/refunds`, { amount: 100 })).body;
    const rp = (await api.post('/v1/recipients', { name: 'R', type: 'individual', card })).body;
    await api.post(`/v1/customers/${cus.id}/subscriptions/${sub}`, { quantity: 3 });
    const inv = (await api.post('/v1/invoices', { customer: cus.id })).body;
    const ids: Record<string, string> = { plans: 'p', coupons: 'c', customers: cus.id, charges: ch.id, refunds: re.id, recipients: rp.id, invoices: inv.id, sources: cus.default_source, subscriptions: sub, tokens: 'tok_x' };
    const concrete = (path: string) => {
      const parts = path.split('/');
      return parts.map((p, i) => (p !== ':id' ? p : parts[i - 1] === 'cards' ? (parts[1] === 'recipients' ? rp.default_card : cus.default_source) : ids[parts[i - 1]] ?? 'x')).join('/');
    };
    const failures: string[] = [];
    let sent = 0;
    for (const r of ROUTES) {
      for (const params of ODD) {
        const path = concrete(r.path);
        const res = r.method === 'GET' ? await api.get(path, params) : r.method === 'DELETE' ? await api.del(path, params) : await api.post(path, params);
        sent++;
        if (res.status >= 500 || (res.status >= 400 && typeof res.body?.error?.message !== 'string')) failures.push(`${r.method} ${path} ${JSON.stringify(params)} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
    }
    assert.deepEqual(failures, []);
    assert.equal(sent, ROUTES.length * ODD.length);
  });
});

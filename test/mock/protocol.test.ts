/**
 * What contract tests depend on beyond single resources: one account per key, cursor lists,
 * Idempotency-Key, Request-Id, concurrency without lost writes, and hostile input that must
 * get a 4xx (never a 500, never a crash).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { startStripeMock, type StripeMock } from '../../src/mock/stripe/index.js';
import { client } from '../helpers/stripe-client.js';

let mock: StripeMock;
before(async () => {
  mock = await startStripeMock({ validateResponses: true });
});
after(() => mock.close());

const KEY = 'sk_test_protocol';
const basic = (key = KEY) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

async function raw(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await request(`${mock.url}${path}`, { method: method as 'POST', headers: { authorization: basic(), ...headers }, body });
  return { status: res.statusCode, headers: res.headers, body: await res.body.json() as any };
}

describe('accounts', () => {
  it('each key has its own account and sees only its own data', async () => {
    const alice = client(mock.url, 'sk_test_alice');
    const bob = client(mock.url, 'sk_test_bob');
    await alice.post('/v1/plans', { id: 'shared-name', amount: 1, currency: 'usd', interval: 'month', name: 'Alice' });
    assert.equal((await bob.get('/v1/plans/shared-name')).status, 404);
    assert.equal((await bob.post('/v1/plans', { id: 'shared-name', amount: 2, currency: 'usd', interval: 'month', name: 'Bob' })).status, 200, 'no clash across accounts');
    assert.equal((await alice.get('/v1/plans/shared-name')).body.name, 'Alice');
    assert.notEqual((await alice.get('/v1/account')).body.id, (await bob.get('/v1/account')).body.id);
  });
});

describe('lists', () => {
  it('pages newest first with limit, starting_after and ending_before', async () => {
    const api = client(mock.url, 'sk_test_lists');
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await api.post('/v1/customers', { description: `c${i}` })).body.id);
    const newest = [...ids].reverse();
    const first = await api.get('/v1/customers');
    assert.equal(first.body.data.length, 10, 'default limit 10');
    assert.deepEqual(first.body.data.map((c: any) => c.id), newest.slice(0, 10));
    assert.equal(first.body.has_more, true);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await api.get('/v1/customers', { limit: 7, ...(cursor ? { starting_after: cursor } : {}) });
      seen.push(...page.body.data.map((c: any) => c.id));
      if (!page.body.has_more) break;
      cursor = page.body.data.at(-1).id;
    }
    assert.deepEqual(seen, newest, 'every customer once, in order');
    const before = await api.get('/v1/customers', { limit: 3, ending_before: newest[10] });
    assert.deepEqual(before.body.data.map((c: any) => c.id), newest.slice(7, 10));
    assert.equal(before.body.has_more, true);
    const total = await api.get('/v1/customers', { limit: 1, include: ['total_count'] });
    assert.equal(total.body.total_count, 25);
  });
});

describe('idempotency', () => {
  it('sends back the first response for a key, even with other parameters (the 2015 reference), per API key, for 24 hours', async () => {
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': 'idem-1' };
    const first = await raw('POST', '/v1/customers', 'email=a%40b.c', headers);
    const again = await raw('POST', '/v1/customers', 'email=a%40b.c', headers);
    assert.equal(again.body.id, first.body.id, 'the same customer, not a second one');
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(first.headers['idempotent-replayed'], undefined);
    const other = await raw('POST', '/v1/customers', 'email=other%40b.c', headers);
    assert.equal(other.status, 200, 'the same key with other parameters: the same response');
    assert.deepEqual(other.body, first.body);
    const failed = await raw('POST', '/v1/customers', 'metadata=notahash', { ...headers, 'idempotency-key': 'idem-400' });
    assert.equal(failed.status, 400);
    const failedAgain = await raw('POST', '/v1/customers', 'email=fixed%40b.c', { ...headers, 'idempotency-key': 'idem-400' });
    assert.deepEqual([failedAgain.status, failedAgain.body], [400, failed.body], 'an error is sent back the same');
    const otherKey = await raw('POST', '/v1/customers', 'email=a%40b.c', { ...headers, authorization: basic('sk_test_someone_else') });
    assert.notEqual(otherKey.body.id, first.body.id, 'keys are scoped to the API key');
    const realNow = Date.now;
    Date.now = () => realNow() + 24 * 3600 * 1000 + 1000;
    try {
      const tomorrow = await raw('POST', '/v1/customers', 'email=a%40b.c', headers);
      assert.notEqual(tomorrow.body.id, first.body.id, 'after 24 hours the key has expired');
      assert.equal(tomorrow.headers['idempotent-replayed'], undefined);
    } finally {
      Date.now = realNow;
    }
  });
});

describe('headers', () => {
  it('a Request-Id on every response, errors too; Stripe-Version accepted', async () => {
    const ok = await raw('GET', '/v1/account', undefined, { 'stripe-version': '2015-07-28' });
    const bad = await raw('GET', '/v1/nope');
    assert.match(String(ok.headers['request-id']), /^req_/);
    assert.match(String(bad.headers['request-id']), /^req_/);
    assert.notEqual(ok.headers['request-id'], bad.headers['request-id']);
    assert.equal(ok.headers['stripe-version'], '2015-07-28');
  });
});

describe('concurrency', () => {
  it('loses no write under 200 concurrent creates and updates', async () => {
    const api = client(mock.url, 'sk_test_concurrent');
    const created = await Promise.all(Array.from({ length: 200 }, (_, i) => api.post('/v1/customers', { description: `n${i}` })));
    assert.ok(created.every((r) => r.status === 200));
    assert.equal(new Set(created.map((r) => r.body.id)).size, 200);
    const target = created[0].body.id;
    await Promise.all(Array.from({ length: 50 }, (_, i) => api.post(`/v1/customers/${target}`, { metadata: { [`k${i % 20}`]: `v${i}` } })));
    const final = await api.get(`/v1/customers/${target}`);
    assert.equal(Object.keys(final.body.metadata).length, 20);
    let total = 0;
    let cursor: string | undefined;
    for (;;) {
      const page = await api.get('/v1/customers', { limit: 100, ...(cursor ? { starting_after: cursor } : {}) });
      total += page.body.data.length;
      if (!page.body.has_more) break;
      cursor = page.body.data.at(-1).id;
    }
    assert.equal(total, 200);
  });
});

describe('hostile input gets a 4xx, never a 500', () => {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const cases: Array<[string, () => Promise<{ status: number; body: any }>]> = [
    ['malformed percent-encoding', () => raw('POST', '/v1/customers', 'email=%E0%A4%A', form)],
    ['absurd nesting', () => raw('POST', '/v1/customers', `metadata${'[a]'.repeat(50)}=1`, form)],
    ['a body over the size limit', () => raw('POST', '/v1/customers', `description=${'x'.repeat(2 * 1024 * 1024)}`, form)],
    ['JSON instead of a form', () => raw('POST', '/v1/customers', '{"email":"a@b.c"}', { 'content-type': 'application/json' })],
    ['no content type', () => raw('POST', '/v1/customers', 'email=a')],
    ['an array where a string goes', () => raw('POST', '/v1/customers', 'email[]=a&email[]=b', form)],
    ['a hash where a string goes', () => raw('POST', '/v1/plans', 'id[x]=1&amount=1&currency=usd&interval=month&name=x', form)],
    ['__proto__ in parameters', () => raw('POST', '/v1/customers', '__proto__[admin]=1', form)],
    ['too many parameters', () => raw('POST', '/v1/customers', Array.from({ length: 2000 }, (_, i) => `metadata[k${i}]=v`).join('&'), form)],
    ['a bad percent-encoded path', () => raw('GET', '/v1/customers/%E0%A4%A')],
  ];
  for (const [label, send] of cases) {
    it(label, async () => {
      const r = await send();
      assert.ok(r.status >= 400 && r.status < 500, `${label}: ${r.status} ${JSON.stringify(r.body)}`);
      assert.equal(typeof r.body.error.message, 'string');
    });
  }
  it('the server is still up afterwards', async () => assert.equal((await raw('GET', '/v1/account')).status, 200));
});

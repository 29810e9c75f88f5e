/**
 * The mock's memory bound (memory.ts): per-key and total object caps and an LRU of keys. Small
 * limits over real HTTP show what is forgotten and what is kept; the defaults are checked on the
 * store itself with more objects than they allow (in well under a second).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startStripeMock, type StripeMock } from '../../src/mock/stripe/index.js';
import { DEFAULT_LIMITS, Shelf } from '../../src/mock/stripe/memory.js';
import { Store } from '../../src/mock/stripe/store.js';
import { client } from '../helpers/stripe-client.js';

const LIMITS = { objectsPerKey: 30, objects: 80, keys: 4 };
let mock: StripeMock;
before(async () => {
  mock = await startStripeMock({ validateResponses: true, limits: LIMITS });
});
after(() => mock.close());

const plan = { id: 'gold', amount: 500, currency: 'usd', interval: 'month', name: 'Gold' };

describe('memory bound over HTTP', () => {
  it('a key past its cap forgets its oldest objects of the most numerous kind, and keeps its plan', async () => {
    const api = client(mock.url, 'sk_test_limits_one');
    assert.equal((await api.post('/v1/plans', plan)).status, 200);
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push((await api.post('/v1/customers', { description: `c${i}` })).body.id);
    // 1 plan + 40 customers past a cap of 30: the 11 oldest customers are forgotten.
    for (const id of ids.slice(0, 11)) assert.equal((await api.get(`/v1/customers/${id}`)).status, 404, `${id} forgotten`);
    for (const id of ids.slice(11)) assert.equal((await api.get(`/v1/customers/${id}`)).status, 200, `${id} kept`);
    assert.equal((await api.get('/v1/plans/gold')).body.amount, 500, 'the plan the customers need is kept');
    const list = await api.get('/v1/customers', { limit: 100, include: ['total_count'] });
    assert.equal(list.body.total_count, 29);
    assert.deepEqual(list.body.data.map((c: { id: string }) => c.id), ids.slice(11).reverse(), 'newest first, nothing out of order');
    // Still a working account: a subscription to the kept plan.
    const sub = await api.post(`/v1/customers/${ids[39]}/subscriptions`, { plan: 'gold', trial_end: Math.floor(Date.now() / 1000) + 3600 });
    assert.equal(sub.status, 200, JSON.stringify(sub.body));
  });

  it('past the total, the least recently used keys are forgotten whole; the active key keeps everything', async () => {
    const active = client(mock.url, 'sk_test_limits_active');
    assert.equal((await active.post('/v1/plans', plan)).status, 200);
    const mine: string[] = [];
    const others: Array<{ key: string; id: string }> = [];
    for (let k = 0; k < 8; k++) {
      const key = `sk_test_limits_other${k}`;
      const other = client(mock.url, key);
      for (let i = 0; i < 25; i++) {
        const id = (await other.post('/v1/customers', { description: `${key} ${i}` })).body.id;
        if (i === 0) others.push({ key, id });
      }
      mine.push((await active.post('/v1/customers', { description: `mine ${k}` })).body.id);
      const { keys, objects } = mock.stats();
      assert.ok(objects <= LIMITS.objects, `${objects} objects held, bound ${LIMITS.objects}`);
      assert.ok(keys <= LIMITS.keys, `${keys} keys held, bound ${LIMITS.keys}`);
    }
    for (const id of mine) assert.equal((await active.get(`/v1/customers/${id}`)).status, 200, 'the active key keeps its customers');
    assert.equal((await active.get('/v1/plans/gold')).status, 200, 'and its plan');
    // The first keys used were the least recently used: forgotten, they start again empty.
    const first = client(mock.url, others[0].key);
    assert.equal((await first.get(`/v1/customers/${others[0].id}`)).status, 404);
    assert.equal((await first.get('/v1/customers', { include: ['total_count'] })).body.total_count, 0);
    // The most recent other key is still whole.
    const last = others.at(-1)!;
    assert.equal((await client(mock.url, last.key).get(`/v1/customers/${last.id}`)).status, 200);
  });

  it('deleting objects gives their room back', async () => {
    const own = await startStripeMock();
    try {
      const api = client(own.url, 'sk_test_limits_delete');
      for (let i = 0; i < 5; i++) assert.equal((await api.post('/v1/plans', { ...plan, id: `p${i}` })).status, 200);
      assert.deepEqual(own.stats(), { keys: 1, objects: 5 });
      for (let i = 0; i < 5; i++) assert.equal((await api.del(`/v1/plans/p${i}`)).status, 200);
      assert.deepEqual(own.stats(), { keys: 1, objects: 0 });
    } finally {
      await own.close();
    }
  });
});

describe('memory bound with the default limits', () => {
  it('holds more objects than they allow down to the per-key and total caps, oldest first', () => {
    const store = new Store();
    const perKey = DEFAULT_LIMITS.objectsPerKey;
    const make = (id: string) => ({ id }) as never;
    const big = store.account('sk_test_big');
    for (let i = 0; i < perKey * 1.5; i++) big.customers.set(`cus_${i}`, make(`cus_${i}`));
    assert.equal(big.objects, perKey);
    assert.equal(big.customers.has(`cus_${perKey / 2 - 1}`), false, 'the oldest forgotten');
    assert.equal(big.customers.has(`cus_${perKey / 2}`), true, 'the newest kept');
    const others = Math.ceil(DEFAULT_LIMITS.objects / perKey);
    for (let k = 0; k < others; k++) {
      const a = store.account(`sk_test_many${k}`);
      for (let i = 0; i < perKey; i++) a.charges.set(`ch_${i}`, make(`ch_${i}`));
    }
    const stats = store.stats();
    assert.ok(stats.objects <= DEFAULT_LIMITS.objects, `${stats.objects} objects`);
    assert.equal(store.account(`sk_test_many${others - 1}`).charges.size, perKey, 'the key in use is whole');
    assert.equal(store.account('sk_test_big').objects, 0, 'the least recently used key was forgotten');
  });

  it('the key being served is never the one forgotten, even when it alone fills the total', () => {
    const store = new Store({ objectsPerKey: 10, objects: 10 });
    const only = store.account('sk_test_only');
    for (let i = 0; i < 15; i++) only.plans.set(`p${i}`, { id: `p${i}` } as never);
    assert.equal(store.account('sk_test_only'), only, 'the same account, not a fresh one');
    assert.deepEqual([...only.plans.keys()], ['p5', 'p6', 'p7', 'p8', 'p9', 'p10', 'p11', 'p12', 'p13', 'p14']);
    assert.deepEqual(store.stats(), { keys: 1, objects: 10 });
  });

  it('a key at its own cap makes room in itself, not by forgetting other keys', () => {
    const store = new Store({ objectsPerKey: 10, objects: 30 });
    for (const key of ['sk_test_a', 'sk_test_b', 'sk_test_c']) {
      const a = store.account(key);
      for (let i = 0; i < 10; i++) a.plans.set(`p${i}`, { id: `p${i}` } as never);
    }
    store.account('sk_test_c').plans.set('one_more', { id: 'one_more' } as never);
    assert.deepEqual(store.stats(), { keys: 3, objects: 30 }, 'sk_test_a is still there');
    assert.equal(store.account('sk_test_a').plans.size, 10);
  });

  it('a shelf that churns keeps its bookkeeping small', () => {
    const owner = { n: 0, added() { this.n++; }, removed() { this.n--; } };
    const shelf = new Shelf<number>(owner);
    for (let i = 0; i < 50_000; i++) {
      shelf.set('same', i);
      shelf.delete('same');
      shelf.set(`k${i % 10}`, i);
    }
    assert.equal(shelf.size, 10);
    assert.equal(owner.n, 10);
    assert.ok((shelf as unknown as { order: string[] }).order.length < 2_000, 'deleted keys are compacted away');
    shelf.forgetOldest();
    assert.equal(shelf.size, 9);
  });
});

/**
 * The bucketed router (router.ts) must pick exactly the route a scan of every pattern in order
 * picks: for each route's own path, for near misses, and for hostile paths.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Router } from '../../src/mock/stripe/router.js';
import { ROUTES } from '../../src/mock/stripe/server.js';

const router = new Router(ROUTES);

function scan(method: string, path: string) {
  return ROUTES.find((r) => r.method === method && r.pattern.test(path));
}

describe('router', () => {
  const samples = ROUTES.flatMap((r) => {
    const filled = r.path.replace(/:id/g, 'x_1');
    return [filled, `${filled}/`, `${filled}/extra`, filled.replace('/v1/', '/v2/'), filled.replace(/x_1/g, 'discount'), filled.replace(/x_1/g, 'sources')];
  });
  const odd = ['/', '', '/v1', '/v1/', '//', '/v1//customers', '/v1/customers//x', '/v1/unknown/x', '/v1/customers/a/b/c/d/e', '/v1/customers/cus_1/cards/card_1/extra'];

  it('finds, for every method and path, the route a full scan finds', () => {
    let matched = 0;
    for (const method of ['GET', 'POST', 'DELETE', 'PUT']) {
      for (const path of [...samples, ...odd]) {
        const expected = scan(method, path);
        const found = router.find(method, path);
        assert.equal(found?.route, expected, `${method} ${path}`);
        if (expected) {
          matched++;
          assert.deepEqual(found!.ids, expected.pattern.exec(path)!.slice(1));
        }
      }
    }
    assert.ok(matched >= ROUTES.length, `every route reached (${matched} matches)`);
  });

  it('works out each route\u2019s response shape once, for expand[]', () => {
    assert.deepEqual(router.find('GET', '/v1/charges')!.shape, { kind: 'charge', list: true });
    assert.deepEqual(router.find('POST', '/v1/customers/cus_1')!.shape, { kind: 'customer', list: false });
  });
});

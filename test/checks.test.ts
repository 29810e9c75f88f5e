/** Unit tests of the checks and HTTP encoding stages: each checker passes on a right value and fails on a wrong one. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkBody, matchPartial } from '../src/checks/body.js';
import { checkHeader } from '../src/checks/headers.js';
import { checkStatus } from '../src/checks/status.js';
import { encodeForm, joinUrl, withQuery } from '../src/http/encode.js';

const span = { file: 'x.yaml', line: 1, col: 1, length: 1 };

describe('status', () => {
  it('passes on an expected code and fails, worded by chai, on another', () => {
    assert.equal(checkStatus({ value: [200], span }, 200).passed, true);
    assert.equal(checkStatus({ value: [200, 404], span }, 404).passed, true);
    const bad = checkStatus({ value: [200, 404], span }, 500);
    assert.equal(bad.passed, false);
    assert.equal(bad.message, '500 is not 200 or 404');
    assert.deepEqual([bad.expected, bad.actual], [[200, 404], 500]);
  });
});

describe('headers', () => {
  it('exact, /regex/flags, and missing', () => {
    const h = { 'content-type': 'application/json; charset=utf-8' };
    assert.equal(checkHeader('content-type', 'application/json; charset=utf-8', h, span).passed, true);
    assert.equal(checkHeader('content-type', 'application/json', h, span).passed, false);
    assert.equal(checkHeader('content-type', '/^APPLICATION\\/JSON/i', h, span).passed, true);
    assert.equal(checkHeader('content-type', '/xml/', h, span).passed, false);
    const missing = checkHeader('x-request-id', '/./', h, span);
    assert.equal(missing.passed, false);
    assert.equal(missing.message, 'header x-request-id is missing');
  });
});

describe('body (partial deep match)', () => {
  const actual = { id: 'a', n: 1, nested: { x: [1, 2, { y: 'z' }], extra: true }, nil: null };
  it('ignores keys not given; compares arrays by position', () => {
    assert.deepEqual(matchPartial({ id: 'a', nested: { x: [1] } }, actual), []);
    assert.deepEqual(matchPartial({ nested: { x: [1, 2, { y: 'z' }] } }, actual), []);
    assert.deepEqual(matchPartial({ nil: null }, actual), []);
  });
  it('lists every mismatch: different, missing, wrong type', () => {
    const m = matchPartial({ id: 'b', gone: 1, nested: { x: [1, 3], extra: { deep: 1 } } }, actual);
    assert.deepEqual(m.map((x) => [x.path, x.reason]), [['body.id', 'different'], ['body.gone', 'missing'], ['body.nested.x[1]', 'different'], ['body.nested.extra', 'type']]);
    const check = checkBody({ id: 'b' }, actual, span);
    assert.equal(check.passed, false);
    assert.equal(check.message, 'body.id is "a", expected "b"');
  });
  it('distinguishes 1 from "1" and [] from {}', () => {
    assert.equal(matchPartial({ n: '1' }, actual).length, 1);
    assert.equal(matchPartial([], {}).length, 1);
  });
});

describe('encoding', () => {
  it('forms nest the way Stripe reads them, with arrays as []', () => {
    assert.equal(decodeURIComponent(encodeForm({ card: { number: '4242', exp_month: 8 }, expand: ['a', 'b'], skip: null, email: 'a+b@c.d' })), 'card[number]=4242&card[exp_month]=8&expand[]=a&expand[]=b&email=a+b@c.d');
    assert.match(encodeForm({ email: 'a+b@c.d' }), /email=a%2Bb%40c\.d/);
  });
  it('joins base URLs and paths, keeping a base path', () => {
    assert.equal(joinUrl('http://h:1/api/', '/v1/x'), 'http://h:1/api/v1/x');
    assert.equal(joinUrl('http://h:1', 'v1/x'), 'http://h:1/v1/x');
    assert.equal(joinUrl('http://h:1', 'https://other/x'), 'https://other/x');
  });
  it('appends queries and leaves out nulls', () => {
    assert.equal(withQuery('http://h/x', { limit: 100, starting_after: null }), 'http://h/x?limit=100');
    assert.equal(withQuery('http://h/x?a=1', { b: 2 }), 'http://h/x?a=1&b=2');
    assert.equal(withQuery('http://h/x', { after: null }), 'http://h/x');
  });
});

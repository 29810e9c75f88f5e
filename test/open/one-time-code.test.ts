/** The browser's one-time code (M3): single use, short-lived, and nothing else trades for the token. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CODE_TTL_MS, OneTimeCodes } from '../../src/open/one-time-code.js';

describe('one-time codes', () => {
  it('trade once, within their lifetime', () => {
    let now = 1_000;
    const codes = new OneTimeCodes(CODE_TTL_MS, () => now);
    const a = codes.issue();
    const b = codes.issue();
    assert.notEqual(a, b);
    assert.match(a, /^[A-Za-z0-9_-]{32}$/);
    assert.equal(codes.trade(a), 'ok');
    assert.equal(codes.trade(a), 'used');
    now += CODE_TTL_MS + 1;
    assert.equal(codes.trade(b), 'expired');
    assert.equal(codes.trade(b), 'used', 'an expired code is spent: it never becomes good');
  });

  it('know nothing of codes they did not issue', () => {
    const codes = new OneTimeCodes();
    const a = codes.issue();
    for (const guess of ['', a.slice(0, -1), `${a}x`, a.toLowerCase() === a ? a.toUpperCase() : a.toLowerCase(), 'token']) assert.equal(codes.trade(guess), 'unknown', guess);
    assert.equal(codes.trade(a), 'ok');
  });
});

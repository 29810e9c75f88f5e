/** Ids (ids.ts): Stripe's shape, from a pooled random source, never repeating across pool refills. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newId } from '../../src/mock/stripe/ids.js';

describe('ids', () => {
  it('have the prefix, an underscore and 14 alphanumerics (or the length asked), and do not repeat', () => {
    assert.match(newId('cus'), /^cus_[A-Za-z0-9]{14}$/);
    assert.match(newId('acct', 16), /^acct_[A-Za-z0-9]{16}$/);
    assert.match(newId(''), /^[A-Za-z0-9]{14}$/);
    const seen = new Set<string>();
    for (let i = 0; i < 50_000; i++) seen.add(newId('req')); // ~170 refills of the 4 KiB pool
    assert.equal(seen.size, 50_000);
    const letters = new Set([...seen].join('').replace(/req_/g, ''));
    assert.equal(letters.size, 62, 'every letter and digit appears');
  });
});

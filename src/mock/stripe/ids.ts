import { randomFillSync } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Random bytes drawn from a pool refilled 4 KiB at a time: one randomBytes() call per id cost
 * more than the rest of a POST (measured: ~8 % of the mock's CPU under load, two ids a request).
 */
const pool = Buffer.alloc(4096);
let used = pool.length;

/** An id with Stripe's prefix and 14 random alphanumerics (cus_6iyQXxYdktOlra). */
export function newId(prefix: string, length = 14): string {
  if (used + length > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  let out = prefix ? `${prefix}_` : '';
  for (let i = 0; i < length; i++) out += ALPHABET[pool[used++] % ALPHABET.length];
  return out;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

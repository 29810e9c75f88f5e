/**
 * The browser's one-time code. The opener (xdg-open, open, start) gets its URL on its command
 * line, which every local user can read in `ps` for as long as the browser it started runs, so
 * that URL must not hold the token. It holds a code instead, which the page trades once for the
 * token (POST /api/code): used once, or after CODE_TTL_MS, the code is worth nothing.
 * The token itself is printed on stdout only, for the user.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** Long enough for a browser to start on a slow, busy machine; short enough to be worthless soon. */
export const CODE_TTL_MS = 120_000;

export type Trade = 'ok' | 'used' | 'expired' | 'unknown';

export class OneTimeCodes {
  private readonly codes = new Map<string, { expires: number; used: boolean }>();

  constructor(private readonly ttlMs = CODE_TTL_MS, private readonly now: () => number = Date.now) {}

  issue(): string {
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { expires: this.now() + this.ttlMs, used: false });
    return code;
  }

  /** Spends the code: 'ok' only the first time, within its lifetime. */
  trade(given: string): Trade {
    const code = [...this.codes.keys()].find((c) => same(c, given));
    if (code === undefined) return 'unknown';
    const entry = this.codes.get(code)!;
    if (entry.used) return 'used';
    entry.used = true; // an expired code is spent too: it can never become good again
    return this.now() > entry.expires ? 'expired' : 'ok';
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

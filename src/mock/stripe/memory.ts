/**
 * How much state the mock keeps, so a long `api-notebook mock` session (or a load test) holds a
 * bounded amount of memory instead of every object ever created:
 * - each key keeps at most `objectsPerKey` objects (all kinds together); past it, the oldest
 *   object of the key's most numerous kind is forgotten (a load test creating customers forgets
 *   old customers, never the plan it subscribes them to);
 * - all keys together keep at most `objects`; past it, the least recently used keys are
 *   forgotten whole (never the key being served);
 * - at most `keys` keys are kept; a new one past it forgets the least recently used.
 * A forgotten object answers 404 like any unknown id; a forgotten key starts again empty.
 * What hangs off an object (a customer's cards and subscriptions, a charge's refunds, an
 * invoice's lines) lives and goes with it and is not counted on its own.
 */
export interface StoreLimits {
  objectsPerKey: number;
  objects: number;
  keys: number;
}

/** Measured with `npm run bench:mock` (README, "The embedded Stripe mock"). */
export const DEFAULT_LIMITS: StoreLimits = { objectsPerKey: 10_000, objects: 50_000, keys: 1_000 };

export interface ShelfOwner {
  added(shelf: Shelf<unknown>): void;
  removed(): void;
}

/**
 * One kind of object in an account (its customers, its charges…): a Map that counts what it
 * holds and remembers the order keys came in. Not the Map's own order: finding a Map's first key
 * after deleting from its front skips every deleted slot, measured at 26–87 µs per eviction at
 * 20,000 entries, more than the rest of a POST.
 */
export class Shelf<V> extends Map<string, V> {
  /** Keys in the order they were added; some may since have been deleted (skipped when met). */
  private order: string[] = [];
  private head = 0;

  constructor(private readonly owner: ShelfOwner) {
    super();
  }

  override set(key: string, value: V): this {
    const size = this.size;
    super.set(key, value);
    if (this.size !== size) {
      this.order.push(key);
      if (this.order.length - this.head > 2 * this.size + 1024) this.compact();
      this.owner.added(this as Shelf<unknown>);
    }
    return this;
  }

  override delete(key: string): boolean {
    const had = super.delete(key);
    if (had) this.owner.removed();
    return had;
  }

  override clear(): void {
    for (const key of [...this.keys()]) this.delete(key);
  }

  /** Forgets the oldest key still held. (A key deleted and added again goes at its first turn.) */
  forgetOldest(): void {
    while (this.head < this.order.length) {
      const key = this.order[this.head++];
      if (this.delete(key)) break;
    }
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }

  /** Drops keys deleted since they were added, and all but the last turn of a key added twice. */
  private compact(): void {
    const seen = new Set<string>();
    const kept: string[] = [];
    for (let i = this.order.length - 1; i >= this.head; i--) {
      const key = this.order[i];
      if (super.has(key) && !seen.has(key)) {
        seen.add(key);
        kept.push(key);
      }
    }
    this.order = kept.reverse();
    this.head = 0;
  }
}

/** Forgets the oldest object of the fullest shelf; on a tie, not of the shelf just added to. */
export function forgetOldest(shelves: ReadonlyArray<Shelf<unknown>>, justAdded: Shelf<unknown>): void {
  let fullest = shelves[0];
  for (const s of shelves) {
    if (s.size > fullest.size || (s.size === fullest.size && fullest === justAdded)) fullest = s;
  }
  fullest.forgetOldest();
}

export function checkLimits(limits: Partial<StoreLimits>): StoreLimits {
  const all = { ...DEFAULT_LIMITS, ...limits };
  for (const [name, value] of Object.entries(all)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`mock limit ${name} must be a positive integer, not ${value}`);
  }
  return { ...all, objectsPerKey: Math.min(all.objectsPerKey, all.objects) };
}

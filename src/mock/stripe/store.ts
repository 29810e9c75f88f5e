/**
 * The mock's state: one account per API key, each seeing only its own objects.
 * Objects are stored as plain records and rendered to Stripe's JSON by render.ts.
 * Node runs one handler at a time and handlers do not await mid-write, so no write is lost.
 */
import { newId, nowSeconds } from './ids.js';
import { checkLimits, forgetOldest, Shelf, type ShelfOwner, type StoreLimits } from './memory.js';

export type { StoreLimits };
export type { Card, CardData, Coupon, Customer, Discount, Plan, Subscription, Token } from './records.js';
import type { Charge, Coupon, Customer, Invoice, Plan, Recipient, Token } from './records.js';

/** The reference (2015): the same response is sent back for a key, whatever the parameters, for 24 hours. */
export interface StoredResponse {
  status: number;
  body: unknown;
  expires: number;
}

export class Account implements ShelfOwner {
  readonly id = newId('acct', 16);
  readonly created = nowSeconds();
  readonly plans = new Shelf<Plan>(this);
  readonly coupons = new Shelf<Coupon>(this);
  readonly customers = new Shelf<Customer>(this);
  readonly tokens = new Shelf<Token>(this);
  readonly charges = new Shelf<Charge>(this);
  readonly invoices = new Shelf<Invoice>(this);
  readonly recipients = new Shelf<Recipient>(this);
  readonly idempotency = new Shelf<StoredResponse>(this);
  /** Objects held, every shelf together. */
  objects = 0;
  private counter = 0;

  constructor(
    readonly key: string,
    private readonly store: Store,
  ) {}

  /** A strictly increasing sequence: orders objects created within the same second. */
  nextSeq(): number {
    return ++this.counter;
  }

  /** The key's own cap first: a key at its cap makes room in itself, not by forgetting others. */
  added(shelf: Shelf<unknown>): void {
    this.objects++;
    if (this.objects > this.store.limits.objectsPerKey) forgetOldest(this.shelves(), shelf);
    this.store.added(this);
  }

  removed(): void {
    this.objects--;
    this.store.removed();
  }

  private shelves(): Array<Shelf<unknown>> {
    return [this.plans, this.coupons, this.customers, this.tokens, this.charges, this.invoices, this.recipients, this.idempotency] as Array<Shelf<unknown>>;
  }
}

/** Newest first, as Stripe lists them. */
export function newestFirst<T extends { seq: number }>(items: Iterable<T>): T[] {
  return [...items].sort((a, b) => b.seq - a.seq);
}

/** One account per key, least recently used first (memory.ts has the bounds). */
export class Store {
  readonly limits: StoreLimits;
  private readonly accounts = new Map<string, Account>();
  private current: Account | undefined;
  private objects = 0;

  constructor(limits: Partial<StoreLimits> = {}) {
    this.limits = checkLimits(limits);
  }

  account(key: string): Account {
    if (this.current?.key === key) return this.current;
    let account = this.accounts.get(key);
    if (account) {
      this.accounts.delete(key); // to the most recent end
      this.accounts.set(key, account);
    } else {
      account = new Account(key, this);
      this.accounts.set(key, account);
      if (this.accounts.size > this.limits.keys) this.forgetLeastRecent(account);
    }
    this.current = account;
    return account;
  }

  /** What the store holds now: tests and the benchmark read it. */
  stats(): { keys: number; objects: number } {
    return { keys: this.accounts.size, objects: this.objects };
  }

  added(account: Account): void {
    this.objects++;
    if (this.objects > this.limits.objects) this.forgetLeastRecent(account);
  }

  removed(): void {
    this.objects--;
  }

  /** Forgets whole keys, least recently used first, until both bounds hold; never `keep`. */
  private forgetLeastRecent(keep: Account): void {
    for (const [key, account] of this.accounts) {
      if (this.objects <= this.limits.objects && this.accounts.size <= this.limits.keys) return;
      if (account === keep) continue;
      this.accounts.delete(key);
      this.objects -= account.objects;
    }
  }
}

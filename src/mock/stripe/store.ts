/**
 * The mock's state: one account per API key, each seeing only its own objects.
 * Objects are stored as plain records and rendered to Stripe's JSON by render.ts.
 * Node runs one handler at a time and handlers do not await mid-write, so no write is lost.
 */
import { newId, nowSeconds } from './ids.js';
import { checkLimits, forgetOldest, Shelf, type ShelfOwner, type StoreLimits } from './memory.js';

export type { StoreLimits };
import type { Charge, Invoice, LineItem, Recipient } from './ledger.js';

export interface Plan {
  id: string;
  amount: number;
  currency: string;
  interval: 'day' | 'week' | 'month' | 'year';
  interval_count: number;
  name: string;
  statement_descriptor: string | null;
  trial_period_days: number | null;
  metadata: Record<string, string>;
  created: number;
  seq: number;
}

export interface Coupon {
  id: string;
  percent_off: number | null;
  amount_off: number | null;
  currency: string | null;
  duration: 'forever' | 'once' | 'repeating';
  duration_in_months: number | null;
  max_redemptions: number | null;
  redeem_by: number | null;
  times_redeemed: number;
  metadata: Record<string, string>;
  created: number;
  seq: number;
  deleted: boolean;
}

export interface CardData {
  brand: string;
  funding: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  country: string;
  fingerprint: string;
  name: string | null;
  address_line1: string | null;
  address_line2: string | null;
  address_city: string | null;
  address_state: string | null;
  address_zip: string | null;
  address_country: string | null;
  cvc_check: 'pass' | 'fail' | 'unchecked' | null;
  /** Full number: kept only to decide the test-card outcome when the card is attached. */
  number: string;
}

export interface Card extends CardData {
  id: string;
  customer: string;
  metadata: Record<string, string>;
  seq: number;
}

export interface Token {
  id: string;
  card: CardData & { id: string };
  created: number;
  used: boolean;
  client_ip: string | null;
}

export interface Discount {
  id: string;
  coupon: Coupon;
  customer: string;
  subscription: string | null;
  start: number;
  end: number | null;
}

export interface Subscription {
  id: string;
  customer: string;
  plan: Plan;
  quantity: number;
  status: 'trialing' | 'active' | 'canceled';
  start: number;
  current_period_start: number;
  current_period_end: number;
  trial_start: number | null;
  trial_end: number | null;
  cancel_at_period_end: boolean;
  canceled_at: number | null;
  ended_at: number | null;
  application_fee_percent: number | null;
  tax_percent: number | null;
  discount: Discount | null;
  metadata: Record<string, string>;
  seq: number;
}

export interface Customer {
  id: string;
  created: number;
  seq: number;
  email: string | null;
  description: string | null;
  account_balance: number;
  currency: string | null;
  delinquent: boolean;
  default_source: string | null;
  discount: Discount | null;
  metadata: Record<string, string>;
  cards: Map<string, Card>;
  subscriptions: Map<string, Subscription>;
  /** Invoice items (prorations) waiting for the next invoice, oldest first. */
  pending: LineItem[];
  deleted: boolean;
}

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

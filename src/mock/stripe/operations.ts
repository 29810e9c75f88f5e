/**
 * Operations shared by several endpoints: find-or-404, coupons, cards, subscriptions.
 * Every write is split in two: a `prepare…`/`check…` half that validates and may throw but changes
 * nothing, and a `commit…` half that cannot fail. Handlers run all the first halves, then all the
 * second ones, so a 4xx or 402 leaves the account exactly as it was.
 */
import { declineFor, readCard } from './cards.js';
import { invalidParam, noSuch, StripeError } from './errors.js';
import { newId, nowSeconds } from './ids.js';
import { couponIsValid } from './render.js';
import type { Account, Card, CardData, Coupon, Customer, Discount, Plan, Subscription, Token } from './store.js';

export function findCustomer(account: Account, id: string, param = 'id', status = 404): Customer {
  const c = account.customers.get(id);
  if (!c || c.deleted) throw noSuch('customer', id, param, status);
  return c;
}

export function findPlan(account: Account, id: string, param = 'id', status = 404): Plan {
  const p = account.plans.get(id);
  if (!p) throw noSuch('plan', id, param, status);
  return p;
}

/** An id is a path segment: one with `/` could be created but never read back. */
export function checkObjectId(id: string, param = 'id'): void {
  if (id.includes('/')) throw invalidParam(param, `Invalid ${param}: ${id} must not contain '/'.`);
}

/** A coupon named in a parameter must exist and still be redeemable (400 otherwise). */
export function checkCoupon(account: Account, couponId: string): Coupon {
  const coupon = account.coupons.get(couponId);
  if (!coupon || coupon.deleted) throw noSuch('coupon', couponId, 'coupon', 400);
  if (!couponIsValid(coupon)) throw invalidParam('coupon', `Coupon expired: ${couponId}`);
  return coupon;
}

/** The discount a checked coupon gives; `redeem` commits it (counts the redemption). */
export function discountFrom(coupon: Coupon, customer: string, subscription: string | null, start = nowSeconds()): Discount {
  const end = coupon.duration === 'forever' ? null : addMonths(start, coupon.duration === 'once' ? 1 : coupon.duration_in_months ?? 1);
  return { id: newId('di'), coupon, customer, subscription, start, end };
}

export function redeem(discount: Discount): Discount {
  discount.coupon.times_redeemed++;
  return discount;
}

/** A card from a token id or a card hash, validated (and declined for the test numbers) but not yet attached. */
export interface PreparedCard {
  data: CardData;
  token?: Token;
}

export function prepareCard(account: Account, source: unknown, param: string, declines = true): PreparedCard {
  if (typeof source === 'string') {
    const token = account.tokens.get(source);
    if (!token) throw noSuch('token', source, param, 400);
    if (token.used) throw new StripeError(400, 'invalid_request_error', `You cannot use a Stripe token more than once: ${source}.`, param);
    const decline = declines ? declineFor(token.card.number) : undefined;
    if (decline) throw decline;
    return { data: token.card, token };
  }
  if (source && typeof source === 'object' && !Array.isArray(source)) {
    const data = readCard(source as Record<string, unknown>, param);
    const decline = declines ? declineFor(data.number) : undefined;
    if (decline) throw decline;
    return { data };
  }
  throw invalidParam(param, `Invalid ${param}: must be a token id or a hash of card details`);
}

/** Attaches a prepared card to its owner (a customer or a recipient); the first card becomes the default. */
export function commitCard(account: Account, owner: { id: string; cards: Map<string, Card> }, prepared: PreparedCard, metadata: Record<string, string> = {}): Card {
  if (prepared.token) prepared.token.used = true;
  const { id: _tokenCardId, ...data } = prepared.data as CardData & { id?: string };
  const card: Card = { ...data, id: newId('card'), customer: owner.id, metadata, seq: account.nextSeq() };
  owner.cards.set(card.id, card);
  return card;
}

/** Token or card hash → a new card on the customer (the default if it had none). */
export function attachCard(account: Account, customer: Customer, source: unknown, param: string, metadata: Record<string, string> = {}): Card {
  const card = commitCard(account, customer, prepareCard(account, source, param), metadata);
  customer.default_source ??= card.id;
  return card;
}

/** The reference: a new `source` replaces the customer's default card (the old default is deleted). */
export function replaceDefaultCard(account: Account, customer: Customer, prepared: PreparedCard): Card {
  const previous = customer.default_source;
  const card = commitCard(account, customer, prepared);
  if (previous) customer.cards.delete(previous);
  customer.default_source = card.id;
  return card;
}

/** Removes a card; the newest remaining card becomes the default (the reference's rule). */
export function removeCard(customer: { cards: Map<string, Card> }, cardId: string, defaultField: { get(): string | null; set(v: string | null): void }): void {
  customer.cards.delete(cardId);
  if (defaultField.get() === cardId) {
    const newest = [...customer.cards.values()].sort((a, b) => b.seq - a.seq)[0];
    defaultField.set(newest?.id ?? null);
  }
}

export interface SubscribeOptions {
  plan: Plan;
  quantity?: number;
  trialEnd?: number | 'now';
  metadata?: Record<string, string>;
  applicationFeePercent?: number;
  taxPercent?: number;
}

/** A new subscription record, not yet stored: its period from the plan's interval or the trial. */
export function newSubscription(account: Account, customer: Customer, o: SubscribeOptions, now = nowSeconds()): Subscription {
  const sub: Subscription = {
    id: newId('sub'),
    customer: customer.id,
    plan: o.plan,
    quantity: o.quantity ?? 1,
    status: 'active',
    start: now,
    current_period_start: now,
    current_period_end: now,
    trial_start: null,
    trial_end: null,
    cancel_at_period_end: false,
    canceled_at: null,
    ended_at: null,
    application_fee_percent: o.applicationFeePercent ?? null,
    tax_percent: o.taxPercent ?? null,
    discount: null,
    metadata: o.metadata ?? {},
    seq: account.nextSeq(),
  };
  setPeriod(sub, o.plan, o.trialEnd, now);
  return sub;
}

/** Trial from trial_end (or the plan's trial_period_days), then periods of the plan's interval. */
export function setPeriod(sub: Subscription, plan: Plan, trialEnd: number | 'now' | undefined, now: number): void {
  const trialUntil = trialEnd === 'now' ? null : trialEnd ?? (plan.trial_period_days ? now + plan.trial_period_days * 86_400 : null);
  if (trialEnd !== undefined && trialEnd !== 'now' && trialEnd <= now) throw invalidParam('trial_end', 'Invalid timestamp: must be an integer Unix timestamp in the future.');
  if (trialUntil) {
    sub.status = 'trialing';
    sub.trial_start = now;
    sub.trial_end = trialUntil;
    sub.current_period_start = now;
    sub.current_period_end = trialUntil;
  } else {
    sub.status = 'active';
    sub.trial_start = trialEnd === 'now' ? sub.trial_start : null;
    sub.trial_end = trialEnd === 'now' ? now : null;
    sub.current_period_start = now;
    sub.current_period_end = addInterval(now, plan.interval, plan.interval_count);
  }
}

export function addInterval(start: number, interval: Plan['interval'], count: number): number {
  switch (interval) {
    case 'day':
      return start + count * 86_400;
    case 'week':
      return start + count * 7 * 86_400;
    case 'month':
      return addMonths(start, count);
    case 'year':
      return addMonths(start, 12 * count);
  }
}

/** Calendar months, clamped to the end of shorter months (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(start: number, months: number): number {
  const d = new Date(start * 1000);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return Math.floor(d.getTime() / 1000);
}

/** The customer's default card, if it has one. */
export function defaultCard(customer: Customer): Card | undefined {
  return customer.default_source ? customer.cards.get(customer.default_source) : undefined;
}

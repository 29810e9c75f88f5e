/** Operations shared by several endpoints: find-or-404, redeem a coupon, attach a card, subscribe. */
import { declineFor, readCard } from './cards.js';
import { invalidParam, noSuch, StripeError } from './errors.js';
import { newId, nowSeconds } from './ids.js';
import { couponIsValid } from './render.js';
import type { Account, Card, Customer, Discount, Plan, Subscription } from './store.js';

export function findCustomer(account: Account, id: string, param = 'id'): Customer {
  const c = account.customers.get(id);
  if (!c || c.deleted) throw noSuch('customer', id, param);
  return c;
}

export function findPlan(account: Account, id: string, param = 'id', status = 404): Plan {
  const p = account.plans.get(id);
  if (!p) throw noSuch('plan', id, param, status);
  return p;
}

/** A coupon named in a parameter must exist: otherwise a bad request (400), not a missing resource. */
export function requireCoupon(account: Account, couponId: string): void {
  const coupon = account.coupons.get(couponId);
  if (!coupon || coupon.deleted) throw noSuch('coupon', couponId, 'coupon', 400);
}

/** Applies a coupon to a customer (or one of its subscriptions): the discount it shows. */
export function redeemCoupon(account: Account, couponId: string, customer: string, subscription: string | null): Discount {
  requireCoupon(account, couponId);
  const coupon = account.coupons.get(couponId)!;
  if (!couponIsValid(coupon)) throw invalidParam('coupon', `Coupon expired: ${couponId}`);
  coupon.times_redeemed++;
  const start = nowSeconds();
  const end = coupon.duration === 'forever' ? null : addMonths(start, coupon.duration === 'once' ? 1 : coupon.duration_in_months ?? 1);
  return { id: newId('di'), coupon, customer, subscription, start, end };
}

/** Attaches a card from a token id or a card hash; test decline numbers fail here (402). */
export function attachCard(account: Account, customer: Customer, source: unknown, param: string): Card {
  let data;
  if (typeof source === 'string') {
    const token = account.tokens.get(source);
    if (!token) throw noSuch('token', source, param, 400);
    if (token.used) throw new StripeError(400, 'invalid_request_error', `You cannot use a Stripe token more than once: ${source}.`, param);
    const decline = declineFor(token.card.number);
    token.used = true;
    if (decline) throw decline;
    data = token.card;
  } else if (source && typeof source === 'object') {
    data = readCard(source as Record<string, unknown>, param);
    const decline = declineFor(data.number);
    if (decline) throw decline;
  } else {
    throw invalidParam(param, `Invalid ${param}: must be a token id or a hash of card details`);
  }
  const card: Card = { ...data, id: newId('card'), customer: customer.id, metadata: {}, seq: account.nextSeq() };
  customer.cards.set(card.id, card);
  if (!customer.default_source) customer.default_source = card.id;
  return card;
}

/** Removes a card; the newest remaining card becomes the default (the reference's rule). */
export function removeCard(customer: Customer, cardId: string): void {
  customer.cards.delete(cardId);
  if (customer.default_source === cardId) {
    const newest = [...customer.cards.values()].sort((a, b) => b.seq - a.seq)[0];
    customer.default_source = newest?.id ?? null;
  }
}

export interface SubscribeOptions {
  plan: Plan;
  quantity?: number;
  coupon?: string;
  trialEnd?: number | 'now';
  metadata?: Record<string, string>;
  applicationFeePercent?: number;
  taxPercent?: number;
}

export function subscribe(account: Account, customer: Customer, o: SubscribeOptions): Subscription {
  const now = nowSeconds();
  const id = newId('sub');
  const sub: Subscription = {
    id,
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
    discount: o.coupon ? redeemCoupon(account, o.coupon, customer.id, id) : null,
    metadata: o.metadata ?? {},
    seq: account.nextSeq(),
  };
  setPeriod(sub, o.plan, o.trialEnd, now);
  customer.subscriptions.set(id, sub);
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

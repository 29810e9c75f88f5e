/** Stored records → Stripe's JSON (API version 2015-07-28), the shapes the reference shows. */
import { zipCheck } from './cards.js';
import { embeddedList } from './list.js';
import { newestFirst, type Account, type Card, type CardData, type Coupon, type Customer, type Discount, type Plan, type Subscription, type Token } from './store.js';

export function renderAccount(a: Account) {
  return {
    id: a.id,
    object: 'account',
    business_logo: null,
    business_name: 'API Notebook test account',
    business_url: null,
    charges_enabled: true,
    country: 'US',
    currencies_supported: ['usd', 'eur', 'gbp', 'cad', 'aud', 'jpy'],
    default_currency: 'usd',
    details_submitted: true,
    display_name: 'API Notebook',
    email: 'notebook@example.com',
    managed: false,
    statement_descriptor: 'API NOTEBOOK',
    support_phone: null,
    timezone: 'Etc/UTC',
    transfers_enabled: true,
  };
}

export function renderPlan(p: Plan) {
  return {
    id: p.id,
    object: 'plan',
    amount: p.amount,
    created: p.created,
    currency: p.currency,
    interval: p.interval,
    interval_count: p.interval_count,
    livemode: false,
    metadata: { ...p.metadata },
    name: p.name,
    statement_descriptor: p.statement_descriptor,
    trial_period_days: p.trial_period_days,
  };
}

export function renderCoupon(c: Coupon) {
  return {
    id: c.id,
    object: 'coupon',
    amount_off: c.amount_off,
    created: c.created,
    currency: c.currency,
    duration: c.duration,
    duration_in_months: c.duration_in_months,
    livemode: false,
    max_redemptions: c.max_redemptions,
    metadata: { ...c.metadata },
    percent_off: c.percent_off,
    redeem_by: c.redeem_by,
    times_redeemed: c.times_redeemed,
    valid: couponIsValid(c),
  };
}

export function couponIsValid(c: Coupon): boolean {
  if (c.deleted) return false;
  if (c.redeem_by !== null && c.redeem_by < Date.now() / 1000) return false;
  if (c.max_redemptions !== null && c.times_redeemed >= c.max_redemptions) return false;
  return true;
}

export function renderDiscount(d: Discount) {
  return { object: 'discount', coupon: renderCoupon(d.coupon), customer: d.customer, end: d.end, start: d.start, subscription: d.subscription };
}

export function cardFields(c: CardData) {
  return {
    address_city: c.address_city,
    address_country: c.address_country,
    address_line1: c.address_line1,
    address_line1_check: c.address_line1 ? 'pass' : null,
    address_line2: c.address_line2,
    address_state: c.address_state,
    address_zip: c.address_zip,
    address_zip_check: zipCheck(c),
    brand: c.brand,
    country: c.country,
    cvc_check: c.cvc_check,
    dynamic_last4: null,
    exp_month: c.exp_month,
    exp_year: c.exp_year,
    fingerprint: c.fingerprint,
    funding: c.funding,
    last4: c.last4,
    name: c.name,
    tokenization_method: null,
  };
}

export function renderCard(c: Card) {
  return { id: c.id, object: 'card', ...cardFields(c), customer: c.customer, metadata: { ...c.metadata } };
}

export function renderToken(t: Token) {
  return {
    id: t.id,
    object: 'token',
    card: { id: t.card.id, object: 'card', ...cardFields(t.card), customer: null, metadata: {} },
    client_ip: t.client_ip,
    created: t.created,
    livemode: false,
    type: 'card',
    used: t.used,
  };
}

export function renderSubscription(s: Subscription) {
  return {
    id: s.id,
    object: 'subscription',
    application_fee_percent: s.application_fee_percent,
    cancel_at_period_end: s.cancel_at_period_end,
    canceled_at: s.canceled_at,
    current_period_end: s.current_period_end,
    current_period_start: s.current_period_start,
    customer: s.customer,
    discount: s.discount ? renderDiscount(s.discount) : null,
    ended_at: s.ended_at,
    metadata: { ...s.metadata },
    plan: renderPlan(s.plan),
    quantity: s.quantity,
    start: s.start,
    status: s.status,
    tax_percent: s.tax_percent,
    trial_end: s.trial_end,
    trial_start: s.trial_start,
  };
}

export function activeSubscriptions(c: Customer): Subscription[] {
  return newestFirst([...c.subscriptions.values()].filter((s) => s.status !== 'canceled'));
}

export function renderCustomer(c: Customer) {
  if (c.deleted) return { id: c.id, object: 'customer', deleted: true as const };
  return {
    id: c.id,
    object: 'customer',
    account_balance: c.account_balance,
    created: c.created,
    currency: c.currency,
    default_source: c.default_source,
    delinquent: c.delinquent,
    description: c.description,
    discount: c.discount ? renderDiscount(c.discount) : null,
    email: c.email,
    livemode: false,
    metadata: { ...c.metadata },
    shipping: null,
    sources: embeddedList(newestFirst(c.cards.values()).map(renderCard), `/v1/customers/${c.id}/sources`),
    subscriptions: embeddedList(activeSubscriptions(c).map(renderSubscription), `/v1/customers/${c.id}/subscriptions`),
  };
}

import { invalidParam, StripeError } from '../errors.js';
import { nowSeconds } from '../ids.js';
import { LIST_PARAMS, paginate } from '../list.js';
import { attachCard, findCustomer, findPlan, redeemCoupon, requireCoupon, setPeriod, subscribe } from '../operations.js';
import { Params } from '../params.js';
import { activeSubscriptions, renderSubscription } from '../render.js';
import type { Customer, Subscription } from '../store.js';
import { includesTotal } from './plans.js';
import { route, type Route } from './types.js';

const BASE = '/v1/customers/:id/subscriptions';
const CREATE = ['plan', 'coupon', 'quantity', 'trial_end', 'metadata', 'source', 'card', 'application_fee_percent', 'tax_percent', 'prorate'];
const UPDATE = ['plan', 'coupon', 'quantity', 'trial_end', 'metadata', 'source', 'card', 'application_fee_percent', 'tax_percent', 'prorate', 'proration_date'];

function findSubscription(customer: Customer, id: string): Subscription {
  const sub = customer.subscriptions.get(id);
  if (!sub || sub.status === 'canceled') {
    throw new StripeError(404, 'invalid_request_error', `Customer ${customer.id} does not have a subscription with ID ${id}`, 'subscription');
  }
  return sub;
}


function percent(p: Params, key: string): number | undefined {
  const raw = p.raw[key];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isFinite(n) || n < 0 || n > 100) throw invalidParam(key, `Invalid ${key}: must be a number between 0 and 100`);
  return n;
}

function attachSourceIfGiven(p: Params, account: Parameters<typeof attachCard>[0], customer: Customer): void {
  const param = p.has('source') ? 'source' : p.has('card') ? 'card' : undefined;
  if (!param) return;
  const card = attachCard(account, customer, p.hashOrString(param), param);
  customer.default_source = card.id;
}

export const subscriptionRoutes: Route[] = [
  route('POST', BASE, ({ account, ids, params }) => {
    const customer = findCustomer(account, ids[0]);
    const p = new Params(params, CREATE);
    p.bool('prorate');
    const plan = findPlan(account, p.string('plan', { required: true })!, 'plan', 400);
    const quantity = p.int('quantity', { min: 0 });
    const trial = p.trialEnd();
    const coupon = p.string('coupon');
    // Check every reference before changing anything, so a failed call changes nothing.
    if (coupon !== undefined) requireCoupon(account, coupon);
    attachSourceIfGiven(p, account, customer);
    const sub = subscribe(account, customer, {
      plan, quantity, trialEnd: trial, coupon, metadata: p.metadata() ?? {},
      applicationFeePercent: percent(p, 'application_fee_percent'), taxPercent: percent(p, 'tax_percent'),
    });
    customer.currency ??= plan.currency;
    return renderSubscription(sub);
  }),
  route('GET', `${BASE}/:id`, ({ account, ids, params }) => {
    new Params(params, []);
    return renderSubscription(findSubscription(findCustomer(account, ids[0]), ids[1]));
  }),
  route('POST', `${BASE}/:id`, ({ account, ids, params }) => {
    const customer = findCustomer(account, ids[0]);
    const sub = findSubscription(customer, ids[1]);
    const p = new Params(params, UPDATE);
    p.bool('prorate');
    p.int('proration_date');
    const plan = p.has('plan') ? findPlan(account, p.string('plan', { required: true })!, 'plan', 400) : undefined;
    const quantity = p.int('quantity', { min: 0 });
    const trial = p.trialEnd();
    attachSourceIfGiven(p, account, customer);
    if (p.has('coupon')) sub.discount = redeemCoupon(account, p.string('coupon', { required: true })!, customer.id, sub.id);
    if (quantity !== undefined) sub.quantity = quantity;
    sub.metadata = p.metadata(sub.metadata) ?? sub.metadata;
    if (p.has('application_fee_percent')) sub.application_fee_percent = percent(p, 'application_fee_percent') ?? null;
    if (p.has('tax_percent')) sub.tax_percent = percent(p, 'tax_percent') ?? null;
    // A new plan or trial starts a new period, as changing plans does on Stripe.
    if (plan || trial !== undefined) {
      sub.plan = plan ?? sub.plan;
      setPeriod(sub, sub.plan, trial, nowSeconds());
    }
    return renderSubscription(sub);
  }),
  route('DELETE', `${BASE}/:id`, ({ account, ids, params }) => {
    const customer = findCustomer(account, ids[0]);
    const sub = findSubscription(customer, ids[1]);
    const p = new Params(params, ['at_period_end']);
    const now = nowSeconds();
    if (p.bool('at_period_end')) {
      sub.cancel_at_period_end = true;
      sub.canceled_at = now;
    } else {
      Object.assign(sub, { status: 'canceled', canceled_at: now, ended_at: now });
    }
    return renderSubscription(sub);
  }),
  route('GET', BASE, ({ account, ids, params, path }) => {
    const p = new Params(params, LIST_PARAMS);
    const customer = findCustomer(account, ids[0]);
    return paginate(activeSubscriptions(customer).map(renderSubscription), p, path, includesTotal(params));
  }),
  route('DELETE', `${BASE}/:id/discount`, ({ account, ids, params }) => {
    new Params(params, []);
    const sub = findSubscription(findCustomer(account, ids[0]), ids[1]);
    if (!sub.discount) throw new StripeError(404, 'invalid_request_error', `No active discount for subscription: ${sub.id}`, 'subscription');
    const { id } = sub.discount;
    sub.discount = null;
    return { deleted: true, id };
  }),
];

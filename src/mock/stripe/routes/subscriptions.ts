import { checkPayment, commitPaidInvoice, draftInvoice, pendingFor, prorationItems, subscriptionLine } from '../billing.js';
import { invalidParam, StripeError } from '../errors.js';
import { nowSeconds } from '../ids.js';
import { LIST_PARAMS, paginate } from '../list.js';
import { checkCoupon, defaultCard, discountFrom, findCustomer, findPlan, newSubscription, prepareCard, redeem, replaceDefaultCard, setPeriod, type PreparedCard } from '../operations.js';
import { Params } from '../params.js';
import { activeSubscriptions, renderSubscription } from '../render.js';
import type { Account, Customer, Discount, Plan, Subscription } from '../store.js';
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

export function percent(p: Params, key: string): number | undefined {
  const raw = p.raw[key];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw === '' || !Number.isFinite(n) || n < 0 || n > 100) throw invalidParam(key, `Invalid ${key}: must be a number between 0 and 100`);
  return n;
}

/** `source` (or the older `card`) on a subscription call: validated now, made the default card on commit. */
function preparedSource(p: Params, account: Account): PreparedCard | undefined {
  const param = p.has('source') ? 'source' : p.has('card') ? 'card' : undefined;
  return param ? prepareCard(account, p.hashOrString(param), param) : undefined;
}

/**
 * Subscribing: the first invoice (the subscription line, with any pending items) is paid at once
 * with the new source or the default card. Everything is checked first; then it all happens.
 */
export function subscribeAndPay(account: Account, customer: Customer, sub: Subscription, o: { source?: PreparedCard; coupon?: string; customerDiscount?: Discount | null }): () => Subscription {
  const discount = o.coupon !== undefined ? discountFrom(checkCoupon(account, o.coupon), customer.id, sub.id) : null;
  const items = pendingFor(customer, null);
  const invoice = draftInvoice(account, customer, [subscriptionLine(account, sub), ...items], {
    subscription: sub.id, discount: discount ?? o.customerDiscount ?? customer.discount, taxPercent: sub.tax_percent,
  });
  checkPayment(invoice, o.source?.data ? { ...o.source.data, id: 'new' } : defaultCard(customer));
  return () => {
    if (o.source) replaceDefaultCard(account, customer, o.source);
    sub.discount = discount && redeem(discount);
    customer.subscriptions.set(sub.id, sub);
    customer.currency ??= sub.plan.currency;
    customer.pending = customer.pending.filter((i) => !items.includes(i));
    commitPaidInvoice(account, customer, invoice);
    return sub;
  };
}

const sameInterval = (a: Plan, b: Plan) => a.interval === b.interval && a.interval_count === b.interval_count;

export const subscriptionRoutes: Route[] = [
  route('POST', BASE, ({ account, ids, params }) => {
    const customer = findCustomer(account, ids[0]);
    const p = new Params(params, CREATE);
    p.bool('prorate');
    const plan = findPlan(account, p.string('plan', { required: true })!, 'plan', 400);
    const sub = newSubscription(account, customer, {
      plan, quantity: p.int('quantity', { min: 0 }), trialEnd: p.trialEnd(), metadata: p.metadata() ?? {},
      applicationFeePercent: percent(p, 'application_fee_percent'), taxPercent: percent(p, 'tax_percent'),
    });
    const commit = subscribeAndPay(account, customer, sub, { source: preparedSource(p, account), coupon: p.string('coupon') });
    return renderSubscription(commit());
  }),
  route('GET', `${BASE}/:id`, ({ account, ids, params }) => {
    new Params(params, []);
    return renderSubscription(findSubscription(findCustomer(account, ids[0]), ids[1]));
  }),
  route('POST', `${BASE}/:id`, ({ account, ids, params }) => {
    const customer = findCustomer(account, ids[0]);
    const sub = findSubscription(customer, ids[1]);
    const p = new Params(params, UPDATE);
    const prorate = p.bool('prorate') ?? true;
    const now = nowSeconds();
    const at = p.int('proration_date', { min: 0 }) ?? now;
    const plan = p.has('plan') ? findPlan(account, p.string('plan', { required: true })!, 'plan', 400) : sub.plan;
    const planChanged = plan.id !== sub.plan.id || plan !== sub.plan;
    // The reference: a new plan does not inherit the quantity (it defaults to 1); otherwise it is kept.
    const quantity = p.int('quantity', { min: 0 }) ?? (planChanged ? 1 : sub.quantity);
    const trial = p.trialEnd();
    const source = preparedSource(p, account);
    const coupon = p.has('coupon') ? checkCoupon(account, p.string('coupon', { required: true })!) : undefined;
    const metadata = p.metadata(sub.metadata) ?? sub.metadata;
    const feePercent = p.has('application_fee_percent') ? percent(p, 'application_fee_percent') ?? null : sub.application_fee_percent;
    const taxPercent = p.has('tax_percent') ? percent(p, 'tax_percent') ?? null : sub.tax_percent;

    // The new state, worked out on a copy: the subscription itself changes only on commit.
    const next: Subscription = { ...sub, plan, quantity, metadata, application_fee_percent: feePercent, tax_percent: taxPercent };
    const crossInterval = planChanged && !sameInterval(plan, sub.plan);
    if (trial !== undefined || crossInterval) setPeriod(next, plan, trial, now); // a new billing date
    const changesPrice = plan.amount * quantity !== sub.plan.amount * sub.quantity;
    const prorations = prorate && sub.status === 'active' && changesPrice && !crossInterval ? prorationItems(account, next, sub.plan, sub.quantity, at) : [];
    const discount = coupon ? discountFrom(coupon, customer.id, sub.id) : undefined;
    // Across intervals the customer is billed at once (with a credit for the unused time when prorating).
    let billNow: (() => void) | undefined;
    if (crossInterval && next.status === 'active') {
      // The credit for the unused time on the old plan (the first of the two items, computed on the old state).
      const credit = prorate ? prorationItems(account, sub, sub.plan, sub.quantity, at).slice(0, 1) : [];
      const invoice = draftInvoice(account, customer, [subscriptionLine(account, next), ...credit, ...pendingFor(customer, null)], {
        subscription: sub.id, discount: discount ?? sub.discount ?? customer.discount, taxPercent: next.tax_percent,
      });
      checkPayment(invoice, source ? { ...source.data, id: 'new' } : defaultCard(customer));
      billNow = () => {
        customer.pending = customer.pending.filter((i) => !invoice.lines.includes(i));
        commitPaidInvoice(account, customer, invoice);
      };
    }

    if (source) replaceDefaultCard(account, customer, source);
    if (discount) next.discount = redeem(discount);
    Object.assign(sub, next);
    customer.pending.push(...prorations);
    billNow?.();
    return renderSubscription(sub);
  }),
  route('DELETE', `${BASE}/:id`, ({ account, ids, params }) => {
    const customer = findCustomer(account, ids[0]);
    const sub = findSubscription(customer, ids[1]);
    const p = new Params(params, ['at_period_end']);
    const atPeriodEnd = p.bool('at_period_end') ?? false;
    const now = nowSeconds();
    if (atPeriodEnd) {
      sub.cancel_at_period_end = true;
      sub.canceled_at = now;
    } else {
      Object.assign(sub, { status: 'canceled', canceled_at: now, ended_at: now });
      // Cancelled at once: its pending prorations are removed (the reference).
      customer.pending = customer.pending.filter((i) => i.subscription !== sub.id);
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

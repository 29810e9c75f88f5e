import { invalidParam, noSuch, StripeError } from '../errors.js';
import { newId, nowSeconds } from '../ids.js';
import { LIST_PARAMS, paginate } from '../list.js';
import { attachCard, findCustomer, findPlan, redeemCoupon, removeCard, requireCoupon, subscribe } from '../operations.js';
import { Params } from '../params.js';
import { renderCustomer } from '../render.js';
import { newestFirst, type Customer } from '../store.js';
import { includesTotal } from './plans.js';
import { route, type Route } from './types.js';

const CREATE = ['email', 'description', 'metadata', 'coupon', 'source', 'card', 'plan', 'quantity', 'trial_end', 'account_balance', 'tax_percent'];
const UPDATE = ['email', 'description', 'metadata', 'coupon', 'source', 'card', 'default_source', 'default_card', 'account_balance'];

/** `source` is the reference's name; `card` is what older clients (and the seed notebook) send. */
function sourceParam(p: Params): { value: unknown; param: string } | undefined {
  if (p.has('source') && p.has('card')) throw invalidParam('card', 'You may only specify one of these parameters: source, card.');
  if (p.has('source')) return { value: p.hashOrString('source'), param: 'source' };
  if (p.has('card')) return { value: p.hashOrString('card'), param: 'card' };
  return undefined;
}


export const customerRoutes: Route[] = [
  route('POST', '/v1/customers', ({ account, params }) => {
    const p = new Params(params, CREATE);
    if (p.has('quantity') && !p.has('plan')) throw invalidParam('quantity', 'Invalid quantity: can only be set with plan.');
    // Validate every reference before anything is created, so a failed call changes nothing.
    const plan = p.has('plan') ? findPlan(account, p.string('plan', { required: true })!, 'plan', 400) : undefined;
    const couponId = p.string('coupon');
    if (couponId !== undefined) requireCoupon(account, couponId);
    const customer: Customer = {
      id: newId('cus'),
      created: nowSeconds(),
      seq: account.nextSeq(),
      email: p.string('email', { max: 512 }) ?? null,
      description: p.string('description', { max: 5000 }) ?? null,
      account_balance: p.int('account_balance') ?? 0,
      currency: null,
      delinquent: false,
      default_source: null,
      discount: null,
      metadata: p.metadata() ?? {},
      cards: new Map(),
      subscriptions: new Map(),
      deleted: false,
    };
    const source = sourceParam(p);
    if (source) attachCard(account, customer, source.value, source.param);
    if (couponId !== undefined) customer.discount = redeemCoupon(account, couponId, customer.id, null);
    if (plan) {
      subscribe(account, customer, { plan, quantity: p.int('quantity', { min: 0 }), trialEnd: p.trialEnd() });
      customer.currency = plan.currency;
    }
    account.customers.set(customer.id, customer);
    return renderCustomer(customer);
  }),
  route('GET', '/v1/customers/:id', ({ account, ids, params }) => {
    new Params(params, []);
    // A deleted customer still retrieves, as `{ id, deleted: true }`.
    const c = account.customers.get(ids[0]);
    if (!c) throw noSuch('customer', ids[0]);
    return renderCustomer(c);
  }),
  route('POST', '/v1/customers/:id', ({ account, ids, params }) => {
    const customer = findCustomer(account, ids[0]);
    const p = new Params(params, UPDATE);
    const couponId = p.string('coupon');
    if (couponId !== undefined) requireCoupon(account, couponId);
    const defaultSource = p.string('default_source') ?? p.string('default_card');
    if (defaultSource !== undefined && !customer.cards.has(defaultSource)) throw noSuch('source', defaultSource, p.has('default_source') ? 'default_source' : 'default_card', 400);
    if (p.has('email')) customer.email = p.nullableString('email', 512) ?? null;
    if (p.has('description')) customer.description = p.nullableString('description', 5000) ?? null;
    if (p.has('account_balance')) customer.account_balance = p.int('account_balance')!;
    customer.metadata = p.metadata(customer.metadata) ?? customer.metadata;
    const source = sourceParam(p);
    if (source) {
      // The reference: a new source replaces the customer's default one.
      const previous = customer.default_source;
      const card = attachCard(account, customer, source.value, source.param);
      if (previous) removeCard(customer, previous);
      customer.default_source = card.id;
    }
    if (defaultSource !== undefined) customer.default_source = defaultSource;
    if (couponId !== undefined) customer.discount = redeemCoupon(account, couponId, customer.id, null);
    return renderCustomer(customer);
  }),
  route('DELETE', '/v1/customers/:id', ({ account, ids, params }) => {
    new Params(params, []);
    const customer = findCustomer(account, ids[0]);
    customer.deleted = true;
    const now = nowSeconds();
    for (const sub of customer.subscriptions.values()) {
      if (sub.status !== 'canceled') Object.assign(sub, { status: 'canceled', canceled_at: now, ended_at: now });
    }
    return { deleted: true, id: customer.id };
  }),
  route('GET', '/v1/customers', ({ account, params, path }) => {
    const p = new Params(params, LIST_PARAMS);
    const live = newestFirst([...account.customers.values()].filter((c) => !c.deleted));
    return paginate(live.map(renderCustomer), p, path, includesTotal(params));
  }),
  route('DELETE', '/v1/customers/:id/discount', ({ account, ids, params }) => {
    new Params(params, []);
    const customer = findCustomer(account, ids[0]);
    if (!customer.discount) throw new StripeError(404, 'invalid_request_error', `No active discount for customer: ${customer.id}`, 'customer');
    const { id } = customer.discount;
    customer.discount = null;
    return { deleted: true, id };
  }),
];


import { invalidParam, noSuch, StripeError } from '../errors.js';
import { newId, nowSeconds } from '../ids.js';
import { CREATED_LIST_PARAMS, filterCreated } from '../list.js';
import { paginate } from '../list.js';
import { checkCoupon, commitCard, discountFrom, findCustomer, findPlan, newSubscription, prepareCard, redeem, replaceDefaultCard } from '../operations.js';
import { Params } from '../params.js';
import { renderCustomer } from '../render.js';
import { newestFirst, type Customer } from '../store.js';
import { includesTotal } from './plans.js';
import { percent, subscribeAndPay } from './subscriptions.js';
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
    // trial_end and tax_percent "only apply when the plan parameter is also provided" (the reference).
    if (!p.has('plan')) p.trialEnd();
    const taxPercent = percent(p, 'tax_percent');
    // Everything is validated (and the first invoice's payment checked) before anything is created.
    const plan = p.has('plan') ? findPlan(account, p.string('plan', { required: true })!, 'plan', 400) : undefined;
    const coupon = p.has('coupon') ? checkCoupon(account, p.string('coupon', { required: true })!) : undefined;
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
      pending: [],
      deleted: false,
    };
    const source = sourceParam(p);
    const prepared = source ? prepareCard(account, source.value, source.param) : undefined;
    const discount = coupon ? discountFrom(coupon, customer.id, null) : null;
    const subscribe = plan
      ? subscribeAndPay(account, customer, newSubscription(account, customer, { plan, quantity: p.int('quantity', { min: 0 }), trialEnd: p.trialEnd(), taxPercent }), { source: prepared, customerDiscount: discount })
      : undefined;
    if (prepared && !subscribe) customer.default_source = commitCard(account, customer, prepared).id;
    customer.discount = discount && redeem(discount);
    subscribe?.();
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
    // Every value is read and checked first; the customer changes only once nothing can fail.
    const coupon = p.has('coupon') ? checkCoupon(account, p.string('coupon', { required: true })!) : undefined;
    const defaultSource = p.string('default_source') ?? p.string('default_card');
    if (defaultSource !== undefined && !customer.cards.has(defaultSource)) throw noSuch('source', defaultSource, p.has('default_source') ? 'default_source' : 'default_card', 400);
    const email = p.has('email') ? p.nullableString('email', 512) ?? null : customer.email;
    const description = p.has('description') ? p.nullableString('description', 5000) ?? null : customer.description;
    const balance = p.int('account_balance') ?? customer.account_balance;
    const metadata = p.metadata(customer.metadata) ?? customer.metadata;
    const source = sourceParam(p);
    const prepared = source ? prepareCard(account, source.value, source.param) : undefined;
    Object.assign(customer, { email, description, account_balance: balance, metadata });
    // The reference: a new source replaces the customer's default one.
    if (prepared) replaceDefaultCard(account, customer, prepared);
    if (defaultSource !== undefined) customer.default_source = defaultSource;
    if (coupon) customer.discount = redeem(discountFrom(coupon, customer.id, null));
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
    customer.pending = [];
    return { deleted: true, id: customer.id };
  }),
  route('GET', '/v1/customers', ({ account, params, path }) => {
    const p = new Params(params, CREATED_LIST_PARAMS);
    const live = newestFirst([...account.customers.values()].filter((c) => !c.deleted));
    return paginate(filterCreated(live, params.created).map(renderCustomer), p, path, includesTotal(params));
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


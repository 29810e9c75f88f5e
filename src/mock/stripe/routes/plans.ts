import { invalidParam, StripeError } from '../errors.js';
import { nowSeconds } from '../ids.js';
import { CREATED_LIST_PARAMS, filterCreated, paginate } from '../list.js';
import { checkObjectId, findPlan } from '../operations.js';
import { Params } from '../params.js';
import { renderPlan } from '../render.js';
import { newestFirst, type Plan } from '../store.js';
import { route, type Route } from './types.js';

const INTERVALS = ['day', 'week', 'month', 'year'] as const;
/** Stripe's limit: a billing period of at most one year. */
const MAX_COUNT = { day: 365, week: 52, month: 12, year: 1 };

export const planRoutes: Route[] = [
  route('POST', '/v1/plans', ({ account, params }) => {
    const p = new Params(params, ['id', 'amount', 'currency', 'interval', 'interval_count', 'name', 'trial_period_days', 'metadata', 'statement_descriptor']);
    const id = p.string('id', { required: true, max: 200 })!;
    checkObjectId(id);
    const amount = p.int('amount', { required: true, min: 0, max: 99_999_999 })!;
    const currency = p.currency('currency', true)!;
    const interval = p.string('interval', { required: true, oneOf: INTERVALS }) as Plan['interval'];
    const name = p.string('name', { required: true, max: 5000 })!;
    const count = p.int('interval_count', { min: 1 }) ?? 1;
    if (count > MAX_COUNT[interval]) throw invalidParam('interval_count', `Invalid interval_count: the maximum billing period is one year (${MAX_COUNT[interval]} ${interval}s).`);
    if (account.plans.has(id)) throw new StripeError(400, 'invalid_request_error', 'Plan already exists.', 'id');
    const plan: Plan = {
      id,
      amount,
      currency,
      interval,
      interval_count: count,
      name,
      statement_descriptor: p.string('statement_descriptor', { max: 22 }) ?? null,
      trial_period_days: p.int('trial_period_days', { min: 0, max: 730 }) ?? null,
      metadata: p.metadata() ?? {},
      created: nowSeconds(),
      seq: account.nextSeq(),
    };
    account.plans.set(id, plan);
    return renderPlan(plan);
  }),
  route('GET', '/v1/plans/:id', ({ account, ids, params }) => {
    new Params(params, []);
    return renderPlan(findPlan(account, ids[0]));
  }),
  route('POST', '/v1/plans/:id', ({ account, ids, params }) => {
    const plan = findPlan(account, ids[0]);
    // The reference: only the name and descriptive fields of a plan can change.
    const p = new Params(params, ['name', 'metadata', 'statement_descriptor']);
    const name = p.has('name') ? p.string('name', { required: true, max: 5000 })! : plan.name;
    const descriptor = p.has('statement_descriptor') ? p.nullableString('statement_descriptor', 22) ?? null : plan.statement_descriptor;
    const metadata = p.metadata(plan.metadata) ?? plan.metadata;
    Object.assign(plan, { name, statement_descriptor: descriptor, metadata });
    return renderPlan(plan);
  }),
  route('DELETE', '/v1/plans/:id', ({ account, ids, params }) => {
    new Params(params, []);
    const plan = findPlan(account, ids[0]);
    account.plans.delete(plan.id);
    return { deleted: true, id: plan.id };
  }),
  route('GET', '/v1/plans', ({ account, params, path }) => {
    const p = new Params(params, CREATED_LIST_PARAMS);
    return paginate(filterCreated(newestFirst(account.plans.values()), params.created).map(renderPlan), p, path, includesTotal(params));
  }),
];

export function includesTotal(params: Record<string, unknown>): boolean {
  const include = params.include;
  return Array.isArray(include) ? include.includes('total_count') : include === 'total_count';
}

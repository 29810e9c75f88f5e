import { randomBytes } from 'node:crypto';
import { invalidParam, noSuch, StripeError } from '../errors.js';
import { nowSeconds } from '../ids.js';
import { CREATED_LIST_PARAMS, filterCreated, paginate } from '../list.js';
import { checkObjectId } from '../operations.js';
import { Params } from '../params.js';
import { renderCoupon } from '../render.js';
import { newestFirst, type Account, type Coupon } from '../store.js';
import { includesTotal } from './plans.js';
import { route, type Route } from './types.js';

function findCoupon(account: Account, id: string): Coupon {
  const c = account.coupons.get(id);
  if (!c || c.deleted) throw noSuch('coupon', id);
  return c;
}

export const couponRoutes: Route[] = [
  route('POST', '/v1/coupons', ({ account, params }) => {
    const p = new Params(params, ['id', 'duration', 'percent_off', 'amount_off', 'currency', 'duration_in_months', 'max_redemptions', 'redeem_by', 'metadata']);
    const id = p.string('id', { max: 200 }) ?? randomBytes(6).toString('hex').slice(0, 8);
    checkObjectId(id);
    const duration = p.string('duration', { required: true, oneOf: ['forever', 'once', 'repeating'] }) as Coupon['duration'];
    const percentOff = p.int('percent_off', { min: 1, max: 100 }) ?? null;
    const amountOff = p.int('amount_off', { min: 1 }) ?? null;
    const currency = p.currency('currency') ?? null;
    if (percentOff === null && amountOff === null) throw invalidParam('percent_off', 'Coupons must have either a percent_off or an amount_off.');
    if (percentOff !== null && amountOff !== null) throw invalidParam('amount_off', 'Coupons may not have both a percent_off and an amount_off.');
    if (amountOff !== null && currency === null) throw invalidParam('currency', 'You must pass currency when passing amount_off.');
    const months = p.int('duration_in_months', { min: 1, max: 1200 }) ?? null;
    if (duration === 'repeating' && months === null) throw invalidParam('duration_in_months', 'Missing required param: duration_in_months. It is required when duration is repeating.');
    if (duration !== 'repeating' && months !== null) throw invalidParam('duration_in_months', 'Invalid duration_in_months: can only be set when duration is repeating.');
    const redeemBy = p.int('redeem_by') ?? null;
    if (redeemBy !== null && redeemBy <= nowSeconds()) throw invalidParam('redeem_by', 'Invalid redeem_by: must be a Unix timestamp in the future.');
    if (account.coupons.get(id) && !account.coupons.get(id)!.deleted) throw new StripeError(400, 'invalid_request_error', 'Coupon already exists.', 'id');
    const coupon: Coupon = {
      id,
      percent_off: percentOff,
      amount_off: amountOff,
      currency,
      duration,
      duration_in_months: months,
      max_redemptions: p.int('max_redemptions', { min: 1 }) ?? null,
      redeem_by: redeemBy,
      times_redeemed: 0,
      metadata: p.metadata() ?? {},
      created: nowSeconds(),
      seq: account.nextSeq(),
      deleted: false,
    };
    account.coupons.set(id, coupon);
    return renderCoupon(coupon);
  }),
  route('GET', '/v1/coupons/:id', ({ account, ids, params }) => {
    new Params(params, []);
    return renderCoupon(findCoupon(account, ids[0]));
  }),
  route('POST', '/v1/coupons/:id', ({ account, ids, params }) => {
    const coupon = findCoupon(account, ids[0]);
    const p = new Params(params, ['metadata']);
    coupon.metadata = p.metadata(coupon.metadata) ?? coupon.metadata;
    return renderCoupon(coupon);
  }),
  route('DELETE', '/v1/coupons/:id', ({ account, ids, params }) => {
    new Params(params, []);
    const coupon = findCoupon(account, ids[0]);
    // Existing discounts keep their coupon: the record stays, marked deleted, out of lists.
    coupon.deleted = true;
    account.coupons.delete(coupon.id);
    return { deleted: true, id: coupon.id };
  }),
  route('GET', '/v1/coupons', ({ account, params, path }) => {
    const p = new Params(params, CREATED_LIST_PARAMS);
    return paginate(filterCreated(newestFirst(account.coupons.values()), params.created).map(renderCoupon), p, path, includesTotal(params));
  }),
];

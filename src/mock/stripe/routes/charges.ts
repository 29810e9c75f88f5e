import { invalidParam, noSuch, StripeError } from '../errors.js';
import { newId } from '../ids.js';
import type { Charge, ChargeSource, Shipping } from '../records.js';
import { CREATED_LIST_PARAMS, filterCreated, LIST_PARAMS, paginate } from '../list.js';
import { defaultCard, findCustomer, prepareCard } from '../operations.js';
import { Params } from '../params.js';
import { checkCapture, checkChargeAmount, checkRefund, commitCapture, commitRefund, declined, missingCard, newCharge, sourceOf, storeCharge } from '../payments.js';
import { renderCharge, renderRefund } from '../render-billing.js';
import { newestFirst, type Account } from '../store.js';
import { includesTotal } from './plans.js';
import { route, type Route } from './types.js';

const CREATE = ['amount', 'currency', 'customer', 'source', 'card', 'description', 'metadata', 'capture', 'statement_descriptor', 'receipt_email', 'shipping', 'destination', 'application_fee'];
const UPDATE = ['description', 'metadata', 'receipt_email', 'fraud_details', 'shipping'];
const REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;

/** The reference: up to 22 characters, and none of `<>"'`. */
function readDescriptor(p: Params): string | undefined {
  const value = p.string('statement_descriptor', { max: 22 });
  if (value !== undefined && /[<>"']/.test(value)) throw invalidParam('statement_descriptor', `Invalid statement_descriptor: it may not include <>"' characters.`);
  return value;
}

export function findCharge(account: Account, id: string, param = 'id'): Charge {
  const charge = account.charges.get(id);
  if (!charge) throw noSuch('charge', id, param);
  return charge;
}

const connectOnly = (param: string) =>
  new StripeError(400, 'invalid_request_error', `Can only apply ${param === 'destination' ? 'a destination' : 'an application_fee'} when the request is made on behalf of another account (Stripe Connect).`, param);

/** `shipping[name]`, `shipping[address][line1]`, …: name and address line 1 are required. */
function readShipping(p: Params): Shipping | null | undefined {
  const raw = p.raw.shipping;
  if (raw === undefined) return undefined;
  if (raw === '') return null;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalidParam('shipping', 'Invalid shipping: must be a hash (shipping[name], shipping[address][line1], …)');
  const s = new Params(raw as Record<string, unknown>, ['name', 'address', 'carrier', 'phone', 'tracking_number'], 'shipping');
  const address = s.raw.address;
  if (address === undefined) throw invalidParam('shipping[address]', 'Missing required param: shipping[address].');
  if (!address || typeof address !== 'object' || Array.isArray(address)) throw invalidParam('shipping[address]', 'Invalid shipping[address]: must be a hash');
  const a = new Params(address as Record<string, unknown>, ['line1', 'line2', 'city', 'state', 'postal_code', 'country'], 'shipping[address]');
  return {
    name: s.string('name', { required: true, max: 5000 })!,
    address: {
      line1: a.string('line1', { required: true, max: 5000 })!,
      line2: a.string('line2') ?? null, city: a.string('city') ?? null, state: a.string('state') ?? null,
      postal_code: a.string('postal_code') ?? null, country: a.string('country') ?? null,
    },
    carrier: s.string('carrier') ?? null,
    phone: s.string('phone') ?? null,
    tracking_number: s.string('tracking_number') ?? null,
  };
}

/** The card to charge: a customer's card (default, or the one `source` names), a token, or a card hash. */
function chargeSource(account: Account, p: Params): { source: ChargeSource; customer: string | null; consume?: () => void } {
  const param = p.has('source') ? 'source' : 'card';
  const given = p.hashOrString(param);
  if (p.has('customer')) {
    const customer = findCustomer(account, p.string('customer', { required: true })!, 'customer', 400);
    if (given === undefined) {
      const card = defaultCard(customer);
      if (!card) throw missingCard();
      return { source: sourceOf(card, customer.id, card.metadata), customer: customer.id };
    }
    if (typeof given !== 'string') throw invalidParam(param, `Invalid ${param}: with a customer, ${param} must be the id of one of its cards.`);
    const card = customer.cards.get(given);
    if (!card) throw new StripeError(400, 'invalid_request_error', `Customer ${customer.id} does not have a linked card with ID ${given}.`, param);
    return { source: sourceOf(card, customer.id, card.metadata), customer: customer.id };
  }
  if (given === undefined) throw new StripeError(400, 'invalid_request_error', 'Must provide source or customer.');
  // The charge itself declines the test cards (and records the failure), not the card's validation.
  const prepared = prepareCard(account, given, param, false);
  const { id: _tokenCard, ...data } = prepared.data as typeof prepared.data & { id?: string };
  return {
    source: { ...data, id: (prepared.data as { id?: string }).id ?? newId('card'), customer: null, metadata: {} },
    customer: null,
    consume: () => {
      if (prepared.token) prepared.token.used = true;
    },
  };
}

export const chargeRoutes: Route[] = [
  route('POST', '/v1/charges', ({ account, params }) => {
    const p = new Params(params, CREATE);
    if (p.has('destination')) throw connectOnly('destination');
    if (p.has('application_fee')) throw connectOnly('application_fee');
    const amount = p.int('amount', { required: true })!;
    const currency = p.currency('currency', true)!;
    checkChargeAmount(amount);
    const capture = p.bool('capture');
    const description = p.string('description', { max: 5000 });
    const statementDescriptor = readDescriptor(p);
    const receiptEmail = p.string('receipt_email', { max: 800 });
    const metadata = p.metadata() ?? {};
    const shipping = readShipping(p);
    const { source, customer, consume } = chargeSource(account, p);
    const { charge, decline } = newCharge(account, { amount, currency, source, customer, capture, description, metadata, statementDescriptor, receiptEmail, shipping });
    // A declined charge is still a charge: stored (paid: false, status: failed) and named in the 402.
    consume?.();
    storeCharge(account, charge);
    if (decline) throw declined(decline, charge);
    return renderCharge(charge);
  }),
  route('GET', '/v1/charges/:id', ({ account, ids, params }) => {
    new Params(params, []);
    return renderCharge(findCharge(account, ids[0]));
  }),
  route('POST', '/v1/charges/:id', ({ account, ids, params }) => {
    const charge = findCharge(account, ids[0]);
    const p = new Params(params, UPDATE);
    const description = p.has('description') ? p.nullableString('description', 5000) ?? null : charge.description;
    const receiptEmail = p.has('receipt_email') ? p.nullableString('receipt_email', 800) ?? null : charge.receipt_email;
    const metadata = p.metadata(charge.metadata) ?? charge.metadata;
    const shipping = readShipping(p);
    let fraud = charge.fraud_details;
    if (p.has('fraud_details')) {
      const raw = p.raw.fraud_details;
      if (raw === '') fraud = {};
      else {
        if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalidParam('fraud_details', 'Invalid fraud_details: must be a hash (fraud_details[user_report]=safe)');
        const f = new Params(raw as Record<string, unknown>, ['user_report'], 'fraud_details');
        fraud = { ...fraud, user_report: f.string('user_report', { required: true, oneOf: ['safe', 'fraudulent'] })! };
      }
    }
    Object.assign(charge, { description, receipt_email: receiptEmail, metadata, fraud_details: fraud });
    if (shipping !== undefined) charge.shipping = shipping;
    return renderCharge(charge);
  }),
  route('POST', '/v1/charges/:id/capture', ({ account, ids, params }) => {
    const charge = findCharge(account, ids[0]);
    const p = new Params(params, ['amount', 'application_fee', 'receipt_email', 'statement_descriptor']);
    if (p.has('application_fee')) throw connectOnly('application_fee');
    const amount = checkCapture(charge, p.int('amount', { min: 0 }));
    const receiptEmail = p.string('receipt_email', { max: 800 });
    const descriptor = readDescriptor(p);
    commitCapture(account, charge, amount);
    if (receiptEmail !== undefined) charge.receipt_email = receiptEmail;
    if (descriptor !== undefined) charge.statement_descriptor = descriptor;
    return renderCharge(charge);
  }),
  route('GET', '/v1/charges', ({ account, params, path }) => {
    const p = new Params(params, [...CREATED_LIST_PARAMS, 'customer']);
    const customerId = p.string('customer');
    if (customerId !== undefined && !account.customers.has(customerId)) throw noSuch('customer', customerId, 'customer', 400);
    const all = newestFirst(account.charges.values()).filter((c) => customerId === undefined || c.customer === customerId);
    return paginate(filterCreated(all, params.created).map(renderCharge), p, path, includesTotal(params));
  }),
];

function findRefund(charge: Charge, id: string) {
  const refund = charge.refunds.find((r) => r.id === id);
  if (!refund) throw noSuch('refund', id);
  return refund;
}

export const refundRoutes: Route[] = [
  route('POST', '/v1/charges/:id/refunds', ({ account, ids, params }) => {
    const charge = findCharge(account, ids[0]);
    const p = new Params(params, ['amount', 'reason', 'metadata', 'refund_application_fee', 'reverse_transfer']);
    p.bool('refund_application_fee');
    p.bool('reverse_transfer');
    const reason = (p.string('reason', { oneOf: REASONS }) ?? null) as (typeof REASONS)[number] | null;
    const metadata = p.metadata() ?? {};
    const amount = checkRefund(charge, p.int('amount', { min: 1 }));
    return renderRefund(commitRefund(account, charge, amount, reason, metadata));
  }),
  route('GET', '/v1/charges/:id/refunds/:id', ({ account, ids, params }) => {
    new Params(params, []);
    return renderRefund(findRefund(findCharge(account, ids[0]), ids[1]));
  }),
  route('POST', '/v1/charges/:id/refunds/:id', ({ account, ids, params }) => {
    const refund = findRefund(findCharge(account, ids[0]), ids[1]);
    const p = new Params(params, ['metadata']);
    refund.metadata = p.metadata(refund.metadata) ?? refund.metadata;
    return renderRefund(refund);
  }),
  route('GET', '/v1/charges/:id/refunds', ({ account, ids, params, path }) => {
    const p = new Params(params, LIST_PARAMS);
    const charge = findCharge(account, ids[0]);
    return paginate(newestFirst(charge.refunds).map(renderRefund), p, path, includesTotal(params));
  }),
];

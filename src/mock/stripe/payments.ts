/**
 * Charges and refunds as the 2015 reference describes them: a charge is made on a card (a token,
 * a card hash, a customer's default card or one of its cards), succeeds or fails with a stored
 * record, can be authorized and captured later (capturing less refunds the rest), and is refunded
 * in full or in parts until nothing is left.
 */
import { chargeDeclineFor } from './cards.js';
import { cardError, invalidParam, StripeError } from './errors.js';
import { newId, nowSeconds } from './ids.js';
import type { Charge, ChargeSource, Refund, Shipping } from './records.js';
import type { Account, Card, CardData } from './store.js';

/** Stripe's minimum charge: 50 cents (or the equivalent). */
export const MINIMUM_CHARGE = 50;
const MAXIMUM_CHARGE = 99_999_999;

export function checkChargeAmount(amount: number, param = 'amount'): void {
  if (amount < MINIMUM_CHARGE) throw invalidParam(param, 'Amount must be at least 50 cents');
  if (amount > MAXIMUM_CHARGE) throw invalidParam(param, 'Amount must be no more than $999,999.99');
}

/** Charging a customer with no card: the reference's `missing` card error. */
export const missingCard = () => cardError('missing', 'This customer has no attached card', 'card');

export function sourceOf(card: CardData & { id: string }, customer: string | null, metadata: Record<string, string> = {}): ChargeSource {
  const { seq: _seq, customer: _owner, metadata: _meta, ...data } = card as Card;
  return { ...data, id: card.id, customer, metadata: { ...metadata } };
}

export interface ChargeRequest {
  amount: number;
  currency: string;
  source: ChargeSource;
  customer: string | null;
  invoice?: string | null;
  capture?: boolean;
  description?: string | null;
  metadata?: Record<string, string>;
  statementDescriptor?: string | null;
  receiptEmail?: string | null;
  shipping?: Shipping | null;
}

/** A charge record, not yet stored: failed (with the decline's code and message) when the test card declines. */
export function newCharge(account: Account, r: ChargeRequest, now = nowSeconds()): { charge: Charge; decline?: StripeError } {
  const decline = chargeDeclineFor(r.source);
  const charge: Charge = {
    id: newId('ch'),
    created: now,
    seq: account.nextSeq(),
    amount: r.amount,
    currency: r.currency,
    paid: !decline,
    captured: !decline && r.capture !== false,
    status: decline ? 'failed' : 'succeeded',
    amount_refunded: 0,
    refunds: [],
    source: r.source,
    customer: r.customer,
    invoice: r.invoice ?? null,
    description: r.description ?? null,
    metadata: r.metadata ?? {},
    statement_descriptor: r.statementDescriptor ?? null,
    receipt_email: r.receiptEmail ?? null,
    fraud_details: {},
    shipping: r.shipping ?? null,
    failure_code: decline?.code ?? null,
    failure_message: decline ? decline.message : null,
  };
  return { charge, decline };
}

/** The 402 a declined charge answers: the card error, carrying the failed charge's id. */
export function declined(decline: StripeError, charge: Charge): StripeError {
  return new StripeError(402, 'card_error', decline.message, decline.param, decline.code, { ...decline.extra, charge: charge.id });
}

export function storeCharge(account: Account, charge: Charge): Charge {
  account.charges.set(charge.id, charge);
  return charge;
}

const dollars = (cents: number) => `$${(cents / 100).toFixed(2)}`;

/** Checks a refund of `amount` (default: all that remains) and returns the amount to refund. */
export function checkRefund(charge: Charge, amount: number | undefined): number {
  if (!charge.paid) throw new StripeError(400, 'invalid_request_error', `Charge ${charge.id} has failed and cannot be refunded.`);
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining <= 0) throw new StripeError(400, 'invalid_request_error', `Charge ${charge.id} has already been refunded.`);
  const value = amount ?? remaining;
  if (value > remaining) throw invalidParam('amount', `Refund amount (${dollars(value)}) is greater than unrefunded amount on charge (${dollars(remaining)})`);
  if (!charge.captured && value !== remaining) throw invalidParam('amount', `Charge ${charge.id} has not been captured: an uncaptured charge can only be refunded in full.`);
  return value;
}

/** Records a checked refund on the charge, keeping `amount_refunded`, `refunded` and `refunds` in step. */
export function commitRefund(account: Account, charge: Charge, amount: number, reason: Refund['reason'] = null, metadata: Record<string, string> = {}): Refund {
  const refund: Refund = { id: newId('re'), amount, currency: charge.currency, charge: charge.id, created: nowSeconds(), seq: account.nextSeq(), reason, metadata };
  charge.refunds.push(refund);
  charge.amount_refunded += amount;
  return refund;
}

/** Checks a capture (of `amount`, default the whole authorization) and returns the amount captured. */
export function checkCapture(charge: Charge, amount: number | undefined): number {
  if (!charge.paid) throw new StripeError(400, 'invalid_request_error', `Charge ${charge.id} has failed and cannot be captured.`);
  if (charge.captured) throw new StripeError(400, 'invalid_request_error', `Charge ${charge.id} has already been captured.`);
  if (charge.amount_refunded >= charge.amount) throw new StripeError(400, 'invalid_request_error', `Charge ${charge.id} has already been refunded.`);
  const value = amount ?? charge.amount;
  if (value > charge.amount) throw invalidParam('amount', `Invalid amount: the amount to capture (${value}) must be less than or equal to the original amount (${charge.amount}).`);
  checkChargeAmount(value);
  return value;
}

/** Captures a checked amount; whatever was authorized beyond it is refunded, as the reference says. */
export function commitCapture(account: Account, charge: Charge, amount: number): void {
  charge.captured = true;
  if (amount < charge.amount) commitRefund(account, charge, charge.amount - amount);
}

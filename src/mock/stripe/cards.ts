/**
 * Card details from a token or a card hash, and the test-mode card numbers' outcomes
 * (test/fixtures/stripe/stripe-facts.md): a malformed number or an expiry in the past fails when
 * the card is read; the decline numbers fail when the card is attached to a customer or charged;
 * 4000000000000341 attaches but every charge on it is declined; 4000000000000036 fails the zip
 * check, and this mock's account rejects zip failures when charging (`incorrect_zip`).
 */
import { createHash } from 'node:crypto';
import { cardError, StripeError } from './errors.js';
import { Params } from './params.js';
import type { CardData } from './store.js';

const CARD_FIELDS = ['object', 'number', 'exp_month', 'exp_year', 'cvc', 'name', 'address_line1', 'address_line2', 'address_city', 'address_state', 'address_zip', 'address_country'];

const DECLINES: Record<string, () => StripeError> = {
  '4000000000000002': () => cardError('card_declined', 'Your card was declined.', undefined, { decline_code: 'generic_decline' }),
  '4000000000000069': () => cardError('expired_card', 'Your card has expired.', 'exp_month'),
  '4000000000000127': () => cardError('incorrect_cvc', "Your card's security code is incorrect.", 'cvc'),
  '4000000000000119': () => cardError('processing_error', 'An error occurred while processing your card. Try again in a little bit.'),
};

/** Declined only when charged: attaching it to a customer works. */
const CHARGE_DECLINES = '4000000000000341';
const ZIP_FAILS = '4000000000000036';

export function luhnValid(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function brandOf(number: string): string {
  if (/^4/.test(number)) return 'Visa';
  if (/^(5[1-5]|2[2-7])/.test(number)) return 'MasterCard';
  if (/^3[47]/.test(number)) return 'American Express';
  if (/^(6011|65|64[4-9])/.test(number)) return 'Discover';
  if (/^35/.test(number)) return 'JCB';
  if (/^3(0[0-5]|[68])/.test(number)) return 'Diners Club';
  return 'Unknown';
}

/**
 * Reads `card[...]` (or `source[...]`) details into card data, with Stripe's card errors
 * for what is wrong with the details themselves. `param` is the hash's own name.
 */
export function readCard(raw: Record<string, unknown>, param: string): CardData {
  const p = new Params(raw, CARD_FIELDS, param);
  if (p.has('object') && raw.object !== 'card') throw new StripeError(400, 'invalid_request_error', `Invalid ${param}[object]: must be card`, `${param}[object]`);
  const number = p.string('number', { required: true })!.replace(/[\s-]/g, '');
  const expMonth = p.int('exp_month', { required: true })!;
  const expYear = p.int('exp_year', { required: true })!;
  const cvc = p.string('cvc');
  // Not a card number at all (letters, too short or long) vs a well-formed number that fails Luhn.
  if (!/^\d{12,19}$/.test(number)) throw cardError('invalid_number', 'The card number is not a valid credit card number.', 'number');
  if (!luhnValid(number)) throw cardError('incorrect_number', 'Your card number is incorrect.', 'number');
  const year = expYear < 100 ? 2000 + expYear : expYear;
  checkExpiry(expMonth, year);
  if (cvc !== undefined && !/^\d{3,4}$/.test(cvc)) throw cardError('invalid_cvc', "Your card's security code is invalid.", 'cvc');
  return {
    number,
    brand: brandOf(number),
    funding: 'credit',
    last4: number.slice(-4),
    exp_month: expMonth,
    exp_year: year,
    country: 'US',
    fingerprint: createHash('sha256').update(number).digest('base64url').slice(0, 16),
    name: p.string('name') ?? null,
    address_line1: p.string('address_line1') ?? null,
    address_line2: p.string('address_line2') ?? null,
    address_city: p.string('address_city') ?? null,
    address_state: p.string('address_state') ?? null,
    address_zip: p.string('address_zip') ?? null,
    address_country: p.string('address_country') ?? null,
    cvc_check: cvc === undefined ? null : number === '4000000000000127' ? 'fail' : 'pass',
  };
}

/** Month 1–12, and not in the past: the card errors Stripe gives for an expiry (creating or updating a card). */
export function checkExpiry(month: number, year: number): void {
  const now = new Date();
  if (month < 1 || month > 12) throw cardError('invalid_expiry_month', "Your card's expiration month is invalid.", 'exp_month');
  if (year < now.getUTCFullYear() || year > now.getUTCFullYear() + 50) throw cardError('invalid_expiry_year', "Your card's expiration year is invalid.", 'exp_year');
  if (year === now.getUTCFullYear() && month < now.getUTCMonth() + 1) throw cardError('invalid_expiry_month', "Your card's expiration month is invalid.", 'exp_month');
}

/** The outcome Stripe's test mode gives this number when the card is attached or charged. */
export function declineFor(number: string): StripeError | undefined {
  // Own entries only: the number comes from the request (`constructor` is not a test card).
  return Object.hasOwn(DECLINES, number) ? DECLINES[number]!() : undefined;
}

/** The outcome of charging this card: the attach declines, plus the charge-only ones. */
export function chargeDeclineFor(card: CardData): StripeError | undefined {
  if (card.number === CHARGE_DECLINES) return cardError('card_declined', 'Your card was declined.', undefined, { decline_code: 'generic_decline' });
  if (zipCheck(card) === 'fail') return cardError('incorrect_zip', 'The zip code you supplied failed validation.', 'address_zip');
  return declineFor(card.number);
}

/** `address_zip_check`: checked when a zip was given; the test number 4000000000000036 fails it. */
export function zipCheck(card: CardData): 'pass' | 'fail' | null {
  if (!card.address_zip) return null;
  return card.number === ZIP_FAILS ? 'fail' : 'pass';
}


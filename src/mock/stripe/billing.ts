/**
 * Billing as it worked in 2015: subscribing creates the subscription's first invoice and pays it
 * with a charge on the customer's default card; plan and quantity changes leave proration items
 * pending (or, across billing intervals, bill at once); `POST /v1/invoices` gathers the pending
 * items. Every function here either computes (and may throw) or commits (and cannot fail).
 */
import { chargeDeclineFor } from './cards.js';
import { newId, nowSeconds } from './ids.js';
import type { Invoice, LineItem } from './records.js';
import { defaultCard } from './operations.js';
import { declined, MINIMUM_CHARGE, missingCard, newCharge, sourceOf, storeCharge } from './payments.js';
import type { Account, CardData, Customer, Discount, Plan, Subscription } from './store.js';

/** What the subscription line of an invoice bills: the plan times the quantity, nothing during a trial. */
export function subscriptionLine(account: Account, sub: Subscription): LineItem {
  return {
    id: sub.id,
    type: 'subscription',
    amount: sub.status === 'trialing' ? 0 : sub.plan.amount * sub.quantity,
    currency: sub.plan.currency,
    proration: false,
    period: { start: sub.current_period_start, end: sub.current_period_end },
    subscription: null,
    quantity: sub.quantity,
    plan: sub.plan,
    description: null,
    discountable: true,
    metadata: {},
    seq: account.nextSeq(),
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/**
 * `01 Aug 2015`, as Stripe wrote the date in a proration's description. Written out rather than
 * toLocaleDateString: loading ICU's locale data for it was ~20 ms of every npm start, and its
 * months change with the ICU a Node ships (en-GB's September is now "Sept").
 */
const day = (t: number) => {
  const d = new Date(t * 1000);
  return `${String(d.getUTCDate()).padStart(2, '0')} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
};

/**
 * The proration items of changing `sub` from (oldPlan × oldQty) to (its plan × quantity) at `at`:
 * a credit for the unused time on the old, a debit for the remaining time on the new.
 */
export function prorationItems(account: Account, sub: Subscription, oldPlan: Plan, oldQty: number, at: number): LineItem[] {
  const { current_period_start: start, current_period_end: end } = sub;
  if (end <= start || at >= end) return [];
  const share = (end - Math.max(at, start)) / (end - start);
  const item = (plan: Plan, quantity: number, sign: 1 | -1, words: string): LineItem => ({
    id: newId('ii'),
    type: 'invoiceitem',
    amount: sign * Math.round(plan.amount * quantity * share),
    currency: plan.currency,
    proration: true,
    period: { start: at, end },
    subscription: sub.id,
    quantity,
    plan,
    description: `${words} ${plan.name} after ${day(at)}`,
    discountable: false,
    metadata: {},
    seq: account.nextSeq(),
  });
  return [item(oldPlan, oldQty, -1, 'Unused time on'), item(sub.plan, sub.quantity, 1, 'Remaining time on')];
}

export interface InvoiceOptions {
  subscription: string | null;
  discount: Discount | null;
  taxPercent: number | null;
  description?: string | null;
  statementDescriptor?: string | null;
  metadata?: Record<string, string>;
}

/** An invoice over `lines`, with Stripe's totals: subtotal, discount on discountable lines, tax, balance. */
export function draftInvoice(account: Account, customer: Customer, lines: LineItem[], o: InvoiceOptions, now = nowSeconds()): Invoice {
  // The reference: invoice items newest first, then the subscription.
  const ordered = [...lines].sort((a, b) => (a.type === b.type ? b.seq - a.seq : a.type === 'invoiceitem' ? -1 : 1));
  const subtotal = ordered.reduce((sum, l) => sum + l.amount, 0);
  const discountable = Math.max(0, ordered.filter((l) => l.discountable).reduce((sum, l) => sum + l.amount, 0));
  const off = o.discount ? discountAmount(o.discount, discountable) : 0;
  const afterDiscount = subtotal - off;
  const tax = o.taxPercent === null ? null : Math.round((Math.max(0, afterDiscount) * o.taxPercent) / 100);
  const total = afterDiscount + (tax ?? 0);
  const due = total + customer.account_balance;
  const periods = ordered.map((l) => l.period);
  return {
    id: newId('in'),
    customer: customer.id,
    subscription: o.subscription,
    date: now,
    seq: account.nextSeq(),
    period_start: periods.length ? Math.min(...periods.map((p) => p.start)) : now,
    period_end: now,
    lines: ordered,
    currency: ordered[0]?.currency ?? customer.currency ?? 'usd',
    subtotal,
    discount: o.discount,
    tax_percent: o.taxPercent,
    tax,
    total,
    starting_balance: customer.account_balance,
    ending_balance: null,
    amount_due: Math.max(0, due),
    attempted: false,
    attempt_count: 0,
    paid: false,
    closed: false,
    charge: null,
    next_payment_attempt: now + 3600,
    description: o.description ?? null,
    statement_descriptor: o.statementDescriptor ?? null,
    metadata: o.metadata ?? {},
  };
}

function discountAmount(d: Discount, base: number): number {
  if (d.coupon.percent_off !== null) return Math.round((base * d.coupon.percent_off) / 100);
  return Math.min(base, d.coupon.amount_off ?? 0);
}

/**
 * Checks that the invoice can be paid now: below the minimum charge nothing is charged (the amount
 * moves to the customer's balance); otherwise the card must exist and not decline (402).
 */
export function checkPayment(invoice: Invoice, card: (CardData & { id: string }) | undefined): void {
  if (invoice.amount_due < MINIMUM_CHARGE) return;
  if (!card) throw missingCard();
  const decline = chargeDeclineFor(card);
  if (decline) throw decline;
}

/** Stores a checked invoice, paid: with a charge on the card, or through the customer's balance. */
export function commitPaidInvoice(account: Account, customer: Customer, invoice: Invoice, card = defaultCard(customer)): Invoice {
  const due = invoice.total + invoice.starting_balance;
  invoice.attempted = true;
  invoice.attempt_count = 1;
  invoice.paid = true;
  invoice.closed = true;
  invoice.next_payment_attempt = null;
  if (invoice.amount_due >= MINIMUM_CHARGE && card) {
    const { charge, decline } = newCharge(account, {
      amount: invoice.amount_due, currency: invoice.currency, source: sourceOf(card, customer.id, card.metadata), customer: customer.id, invoice: invoice.id,
    });
    if (decline) throw declined(decline, charge); // checkPayment ran first: unreachable
    storeCharge(account, charge);
    invoice.charge = charge.id;
    invoice.ending_balance = 0;
  } else {
    // Under the minimum (or a credit): carried to the customer's balance for the next invoice.
    invoice.ending_balance = due;
    invoice.amount_due = 0;
  }
  customer.account_balance = invoice.ending_balance;
  account.invoices.set(invoice.id, invoice);
  return invoice;
}

/** Stores an invoice as `POST /v1/invoices` leaves it: open, to be paid about an hour later. */
export function commitOpenInvoice(account: Account, customer: Customer, invoice: Invoice): Invoice {
  customer.pending = customer.pending.filter((item) => !invoice.lines.includes(item));
  account.invoices.set(invoice.id, invoice);
  return invoice;
}

/** The pending items an invoice for `subscription` (or for everything, when null) gathers. */
export function pendingFor(customer: Customer, subscription: string | null): LineItem[] {
  return customer.pending.filter((item) => subscription === null || item.subscription === subscription);
}

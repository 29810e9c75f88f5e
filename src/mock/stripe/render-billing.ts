/** Charges, refunds, invoices, line items and recipients → Stripe's JSON (API version 2015-07-28). */
import type { Charge, Invoice, LineItem, Recipient, Refund } from './records.js';
import { embeddedList } from './list.js';
import { cardFields, renderDiscount, renderPlan } from './render.js';
import { newestFirst, type Card } from './store.js';

export function renderRefund(r: Refund) {
  return {
    id: r.id,
    object: 'refund',
    amount: r.amount,
    balance_transaction: `txn_${r.id.slice(3)}`,
    charge: r.charge,
    created: r.created,
    currency: r.currency,
    metadata: { ...r.metadata },
    reason: r.reason,
    receipt_number: null,
  };
}

export function renderCharge(c: Charge) {
  return {
    id: c.id,
    object: 'charge',
    amount: c.amount,
    amount_refunded: c.amount_refunded,
    application_fee: null,
    balance_transaction: c.paid && c.captured ? `txn_${c.id.slice(3)}` : null,
    captured: c.captured,
    created: c.created,
    currency: c.currency,
    customer: c.customer,
    description: c.description,
    destination: null,
    dispute: null,
    failure_code: c.failure_code,
    failure_message: c.failure_message,
    fraud_details: { ...c.fraud_details },
    invoice: c.invoice,
    livemode: false,
    metadata: { ...c.metadata },
    paid: c.paid,
    receipt_email: c.receipt_email,
    receipt_number: null,
    refunded: c.amount_refunded >= c.amount,
    refunds: embeddedList(newestFirst(c.refunds).map(renderRefund), `/v1/charges/${c.id}/refunds`),
    shipping: c.shipping ? { ...c.shipping, address: { ...c.shipping.address } } : null,
    source: { id: c.source.id, object: 'card', ...cardFields(c.source), customer: c.source.customer, metadata: { ...c.source.metadata } },
    statement_descriptor: c.statement_descriptor,
    status: c.status,
  };
}

export function renderLineItem(l: LineItem) {
  return {
    id: l.id,
    object: 'line_item',
    amount: l.amount,
    currency: l.currency,
    description: l.description,
    discountable: l.discountable,
    livemode: false,
    metadata: { ...l.metadata },
    period: { ...l.period },
    plan: l.plan ? renderPlan(l.plan) : null,
    proration: l.proration,
    quantity: l.quantity,
    subscription: l.subscription,
    type: l.type,
  };
}

export function renderInvoice(i: Invoice) {
  return {
    id: i.id,
    object: 'invoice',
    amount_due: i.amount_due,
    application_fee: null,
    attempt_count: i.attempt_count,
    attempted: i.attempted,
    charge: i.charge,
    closed: i.closed,
    currency: i.currency,
    customer: i.customer,
    date: i.date,
    description: i.description,
    discount: i.discount ? renderDiscount(i.discount) : null,
    ending_balance: i.ending_balance,
    forgiven: false,
    lines: { ...embeddedList(i.lines.map(renderLineItem), `/v1/invoices/${i.id}/lines`), has_more: i.lines.length > 10 },
    livemode: false,
    metadata: { ...i.metadata },
    next_payment_attempt: i.next_payment_attempt,
    paid: i.paid,
    period_end: i.period_end,
    period_start: i.period_start,
    receipt_number: null,
    starting_balance: i.starting_balance,
    statement_descriptor: i.statement_descriptor,
    subscription: i.subscription,
    subtotal: i.subtotal,
    tax: i.tax,
    tax_percent: i.tax_percent,
    total: i.total,
    webhooks_delivered_at: i.date,
  };
}

export function renderRecipientCard(c: Card) {
  return { id: c.id, object: 'card', ...cardFields(c), metadata: { ...c.metadata }, recipient: c.customer };
}

export function renderRecipient(r: Recipient) {
  if (r.deleted) return { id: r.id, object: 'recipient', deleted: true as const };
  return {
    id: r.id,
    object: 'recipient',
    active_account: null,
    cards: embeddedList(newestFirst(r.cards.values()).map(renderRecipientCard), `/v1/recipients/${r.id}/cards`),
    created: r.created,
    default_card: r.default_card,
    description: r.description,
    email: r.email,
    livemode: false,
    metadata: { ...r.metadata },
    name: r.name,
    type: r.type,
  };
}

/**
 * Records of money moving: charges and their refunds, invoices and their line items, pending
 * invoice items (prorations), and the recipients that own recipient cards. Stored like the rest of
 * the state in store.ts, rendered to Stripe's JSON by render-billing.ts.
 */
import type { CardData, Discount, Plan } from './store.js';

/** The card a charge was made on, as it was at the time (rendered as the charge's `source`). */
export interface ChargeSource extends CardData {
  id: string;
  customer: string | null;
  metadata: Record<string, string>;
}

export interface Shipping {
  name: string;
  address: Record<string, string | null>;
  carrier: string | null;
  phone: string | null;
  tracking_number: string | null;
}

export interface Refund {
  id: string;
  amount: number;
  currency: string;
  charge: string;
  created: number;
  seq: number;
  reason: 'duplicate' | 'fraudulent' | 'requested_by_customer' | null;
  metadata: Record<string, string>;
}

export interface Charge {
  id: string;
  created: number;
  seq: number;
  amount: number;
  currency: string;
  paid: boolean;
  captured: boolean;
  status: 'succeeded' | 'failed';
  amount_refunded: number;
  refunds: Refund[];
  source: ChargeSource;
  customer: string | null;
  invoice: string | null;
  description: string | null;
  metadata: Record<string, string>;
  statement_descriptor: string | null;
  receipt_email: string | null;
  fraud_details: Record<string, string>;
  shipping: Shipping | null;
  failure_code: string | null;
  failure_message: string | null;
}

export interface LineItem {
  /** `sub_…` for a subscription line, `ii_…` for an invoice item (a proration). */
  id: string;
  type: 'subscription' | 'invoiceitem';
  amount: number;
  currency: string;
  proration: boolean;
  period: { start: number; end: number };
  /** For an invoice item, the subscription it pertains to; null on a subscription line. */
  subscription: string | null;
  quantity: number | null;
  plan: Plan | null;
  description: string | null;
  discountable: boolean;
  metadata: Record<string, string>;
  /** When a pending item was created: the invoice lists invoice items newest first. */
  seq: number;
}

export interface Invoice {
  id: string;
  customer: string;
  subscription: string | null;
  date: number;
  seq: number;
  period_start: number;
  period_end: number;
  lines: LineItem[];
  currency: string;
  subtotal: number;
  discount: Discount | null;
  tax_percent: number | null;
  tax: number | null;
  total: number;
  starting_balance: number;
  ending_balance: number | null;
  amount_due: number;
  attempted: boolean;
  attempt_count: number;
  paid: boolean;
  closed: boolean;
  charge: string | null;
  next_payment_attempt: number | null;
  description: string | null;
  statement_descriptor: string | null;
  metadata: Record<string, string>;
}

export interface Recipient {
  id: string;
  created: number;
  seq: number;
  name: string;
  type: 'individual' | 'corporation';
  email: string | null;
  description: string | null;
  metadata: Record<string, string>;
  default_card: string | null;
  /** Cards reuse the customer card record; their `customer` field holds the recipient's id. */
  cards: Map<string, import('./store.js').Card>;
  deleted: boolean;
}

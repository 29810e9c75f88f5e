/**
 * The records the mock keeps, as plain data: the customer side (plans, coupons, customers with their
 * cards and subscriptions, tokens, discounts) and the money side (charges and their refunds,
 * invoices and their line items, pending invoice items, recipients and their cards). One file of
 * types with no imports, so the store (store.ts) and the code that moves money can both use them
 * without importing each other. Rendered to Stripe's JSON by render.ts and render-billing.ts.
 */
export interface Plan {
  id: string;
  amount: number;
  currency: string;
  interval: 'day' | 'week' | 'month' | 'year';
  interval_count: number;
  name: string;
  statement_descriptor: string | null;
  trial_period_days: number | null;
  metadata: Record<string, string>;
  created: number;
  seq: number;
}

export interface Coupon {
  id: string;
  percent_off: number | null;
  amount_off: number | null;
  currency: string | null;
  duration: 'forever' | 'once' | 'repeating';
  duration_in_months: number | null;
  max_redemptions: number | null;
  redeem_by: number | null;
  times_redeemed: number;
  metadata: Record<string, string>;
  created: number;
  seq: number;
  deleted: boolean;
}

export interface CardData {
  brand: string;
  funding: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  country: string;
  fingerprint: string;
  name: string | null;
  address_line1: string | null;
  address_line2: string | null;
  address_city: string | null;
  address_state: string | null;
  address_zip: string | null;
  address_country: string | null;
  cvc_check: 'pass' | 'fail' | 'unchecked' | null;
  /** Full number: kept only to decide the test-card outcome when the card is attached. */
  number: string;
}

export interface Card extends CardData {
  id: string;
  customer: string;
  metadata: Record<string, string>;
  seq: number;
}

export interface Token {
  id: string;
  card: CardData & { id: string };
  created: number;
  used: boolean;
  client_ip: string | null;
}

export interface Discount {
  id: string;
  coupon: Coupon;
  customer: string;
  subscription: string | null;
  start: number;
  end: number | null;
}

export interface Subscription {
  id: string;
  customer: string;
  plan: Plan;
  quantity: number;
  status: 'trialing' | 'active' | 'canceled';
  start: number;
  current_period_start: number;
  current_period_end: number;
  trial_start: number | null;
  trial_end: number | null;
  cancel_at_period_end: boolean;
  canceled_at: number | null;
  ended_at: number | null;
  application_fee_percent: number | null;
  tax_percent: number | null;
  discount: Discount | null;
  metadata: Record<string, string>;
  seq: number;
}

export interface Customer {
  id: string;
  created: number;
  seq: number;
  email: string | null;
  description: string | null;
  account_balance: number;
  currency: string | null;
  delinquent: boolean;
  default_source: string | null;
  discount: Discount | null;
  metadata: Record<string, string>;
  cards: Map<string, Card>;
  subscriptions: Map<string, Subscription>;
  /** Invoice items (prorations) waiting for the next invoice, oldest first. */
  pending: LineItem[];
  deleted: boolean;
}

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
  cards: Map<string, Card>;
  deleted: boolean;
}

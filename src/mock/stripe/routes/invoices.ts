import { noSuch, StripeError } from '../errors.js';
import { CREATED_LIST_PARAMS, filterCreated, LIST_PARAMS, paginate } from '../list.js';
import { commitOpenInvoice, draftInvoice, pendingFor } from '../billing.js';
import { findCustomer } from '../operations.js';
import { Params } from '../params.js';
import { renderInvoice, renderLineItem } from '../render-billing.js';
import { newestFirst, type Account } from '../store.js';
import { includesTotal } from './plans.js';
import { percent } from './subscriptions.js';
import { route, type Route } from './types.js';

function findInvoice(account: Account, id: string) {
  const invoice = account.invoices.get(id);
  if (!invoice) throw noSuch('invoice', id);
  return invoice;
}

export const invoiceRoutes: Route[] = [
  /** The reference: gathers the customer's pending invoice items (prorations) into an invoice, paid later. */
  route('POST', '/v1/invoices', ({ account, params }) => {
    const p = new Params(params, ['customer', 'subscription', 'description', 'metadata', 'statement_descriptor', 'tax_percent', 'application_fee']);
    if (p.has('application_fee')) throw new StripeError(400, 'invalid_request_error', 'Can only apply an application_fee when the request is made on behalf of another account (Stripe Connect).', 'application_fee');
    const customer = findCustomer(account, p.string('customer', { required: true })!, 'customer', 400);
    const subscriptionId = p.string('subscription') ?? null;
    const subscription = subscriptionId === null ? undefined : customer.subscriptions.get(subscriptionId);
    if (subscriptionId !== null && !subscription) throw noSuch('subscription', subscriptionId, 'subscription', 400);
    const description = p.string('description', { max: 5000 });
    const statementDescriptor = p.string('statement_descriptor', { max: 22 });
    const metadata = p.metadata() ?? {};
    const items = pendingFor(customer, subscriptionId);
    if (items.length === 0) throw new StripeError(400, 'invalid_request_error', 'Nothing to invoice for customer');
    const invoice = draftInvoice(account, customer, items, {
      subscription: subscriptionId,
      discount: subscription?.discount ?? customer.discount,
      taxPercent: percent(p, 'tax_percent') ?? subscription?.tax_percent ?? null,
      description, statementDescriptor, metadata,
    });
    return renderInvoice(commitOpenInvoice(account, customer, invoice));
  }),
  route('GET', '/v1/invoices/:id', ({ account, ids, params }) => {
    new Params(params, []);
    return renderInvoice(findInvoice(account, ids[0]));
  }),
  route('GET', '/v1/invoices', ({ account, params, path }) => {
    const p = new Params(params, [...CREATED_LIST_PARAMS, 'customer']);
    const customerId = p.string('customer');
    const all = newestFirst(account.invoices.values()).filter((i) => customerId === undefined || i.customer === customerId);
    const dated = filterCreated(all.map((i) => ({ ...i, created: i.date })), params.created);
    return paginate(dated.map(renderInvoice), p, path, includesTotal(params));
  }),
  route('GET', '/v1/invoices/:id/lines', ({ account, ids, params, path }) => {
    const p = new Params(params, LIST_PARAMS);
    return paginate(findInvoice(account, ids[0]).lines.map(renderLineItem), p, path, includesTotal(params));
  }),
];

/**
 * `expand[]`, as the reference describes it: an id in a response replaced by the object it names,
 * nested with dots (`invoice.customer` on a charge), `data.x` on lists. The fields that expand are
 * those the 2015 reference's objects hold ids of. Paths are checked against the response's type
 * before the request runs (an unknown path is a 400 and changes nothing), then applied to the body.
 */
import { StripeError } from './errors.js';
import { renderCharge, renderInvoice, renderRecipient, renderRecipientCard } from './render-billing.js';
import { renderCard, renderCustomer, renderSubscription } from './render.js';
import type { Account } from './store.js';

type Kind = 'charge' | 'refund' | 'customer' | 'card' | 'recipient_card' | 'subscription' | 'invoice' | 'recipient' | 'other';

/** Which fields of which object expand, and into what. */
const EXPANDABLE: Record<Kind, Record<string, Kind>> = {
  charge: { customer: 'customer', invoice: 'invoice' },
  refund: { charge: 'charge' },
  customer: { default_source: 'card' },
  card: { customer: 'customer' },
  recipient_card: { recipient: 'recipient' },
  subscription: { customer: 'customer' },
  invoice: { customer: 'customer', charge: 'charge', subscription: 'subscription' },
  recipient: { default_card: 'recipient_card' },
  other: {},
};

/** What a route answers, from its path pattern: the object kind, and whether it is a list. */
export interface ResponseShape {
  kind: Kind;
  list: boolean;
}

const COLLECTIONS: Record<string, Kind> = {
  charges: 'charge', refunds: 'refund', customers: 'customer', sources: 'card', subscriptions: 'subscription', invoices: 'invoice', recipients: 'recipient',
};

export function responseShape(method: string, path: string): ResponseShape {
  const parts = path.split('/').filter(Boolean).slice(1); // drop "v1"
  const last = parts.at(-1)!;
  const named = last === ':id' ? parts.at(-2)! : last;
  if (named === 'capture') return { kind: 'charge', list: false };
  if (named === 'discount' || named === 'lines') return { kind: 'other', list: named === 'lines' };
  const kind: Kind = named === 'cards' ? (parts[0] === 'recipients' ? 'recipient_card' : 'card') : COLLECTIONS[named] ?? 'other';
  if (method === 'DELETE' && kind !== 'subscription') return { kind: 'other', list: false };
  return { kind, list: method === 'GET' && last !== ':id' };
}

/** `expand[]=a.b` (or `expand=a`) → the paths; each checked against the shape, or a 400. */
export function expandPaths(raw: unknown, shape: ResponseShape): string[] {
  if (raw === undefined) return [];
  const paths = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : undefined;
  if (!paths || paths.some((p) => typeof p !== 'string')) throw new StripeError(400, 'invalid_request_error', 'Invalid expand: must be an array of strings (expand[]=customer).', 'expand');
  for (const path of paths as string[]) check(path, shape);
  return paths as string[];
}

function cannotExpand(path: string): StripeError {
  return new StripeError(400, 'invalid_request_error', `This property cannot be expanded (${path}).`, 'expand');
}

function check(path: string, shape: ResponseShape): void {
  const segments = path.split('.');
  if (shape.list && segments.shift() !== 'data') throw cannotExpand(path);
  let kind = shape.kind;
  for (const segment of segments) {
    // Own fields only: `constructor.prototype` is a path the client wrote, not a field (it was a 500).
    const next = Object.hasOwn(EXPANDABLE[kind], segment) ? EXPANDABLE[kind][segment] : undefined;
    if (!next) throw cannotExpand(path);
    kind = next;
  }
}

/** Applies checked paths to a rendered body. */
export function expand(account: Account, body: unknown, paths: string[], shape: ResponseShape): unknown {
  for (const path of paths) {
    const segments = path.split('.');
    if (shape.list) {
      segments.shift();
      for (const item of (body as { data: unknown[] }).data) expandIn(account, item as Obj, shape.kind, segments);
    } else {
      expandIn(account, body as Obj, shape.kind, segments);
    }
  }
  return body;
}

type Obj = Record<string, unknown>;

/** A field that holds an id, or the object already expanded in its place. */
const idOf = (v: unknown): string => (v && typeof v === 'object' ? String((v as Obj).id) : String(v));

function expandIn(account: Account, obj: Obj | null, kind: Kind, segments: string[]): void {
  if (!obj || typeof obj !== 'object' || obj.deleted === true || segments.length === 0) return;
  const [field, ...rest] = segments;
  if (!Object.hasOwn(EXPANDABLE[kind], field)) return;
  const target = EXPANDABLE[kind][field];
  if (typeof obj[field] === 'string') obj[field] = resolve(account, obj, target, obj[field] as string) ?? obj[field];
  if (obj[field] && typeof obj[field] === 'object') expandIn(account, obj[field] as Obj, target, rest);
}

/** The rendered object an id names, found from the object that holds the id. */
function resolve(account: Account, holder: Obj, kind: Kind, id: string): unknown {
  switch (kind) {
    case 'customer': {
      const c = account.customers.get(id);
      return c && renderCustomer(c);
    }
    case 'charge': {
      const c = account.charges.get(id);
      return c && renderCharge(c);
    }
    case 'invoice': {
      const i = account.invoices.get(id);
      return i && renderInvoice(i);
    }
    case 'card': {
      const card = account.customers.get(String(holder.id))?.cards.get(id);
      return card && renderCard(card);
    }
    case 'subscription': {
      const sub = account.customers.get(idOf(holder.customer))?.subscriptions.get(id);
      return sub && renderSubscription(sub);
    }
    case 'recipient': {
      const r = account.recipients.get(id);
      return r && renderRecipient(r);
    }
    case 'recipient_card': {
      const card = account.recipients.get(String(holder.id))?.cards.get(id);
      return card && renderRecipientCard(card);
    }
    default:
      return undefined;
  }
}

import { checkExpiry, readCard } from '../cards.js';
import { invalidParam, missingParam, noSuch, StripeError } from '../errors.js';
import { newId, nowSeconds } from '../ids.js';
import { LIST_PARAMS, paginate } from '../list.js';
import { attachCard, findCustomer, removeCard } from '../operations.js';
import { Params } from '../params.js';
import { renderCard, renderToken } from '../render.js';
import { newestFirst, type Card, type Customer } from '../store.js';
import { includesTotal } from './plans.js';
import { route, type Route, type Ctx } from './types.js';

const UPDATE = ['name', 'address_line1', 'address_line2', 'address_city', 'address_state', 'address_zip', 'address_country', 'exp_month', 'exp_year', 'metadata'];
const ADDRESS = ['name', 'address_line1', 'address_line2', 'address_city', 'address_state', 'address_zip', 'address_country'] as const;

/** The seed notebook calls /cards; the reference documents /sources. Both are served, alike. */
function findCard(customer: Customer, cardId: string, path: string): Card {
  const card = customer.cards.get(cardId);
  if (!card) {
    if (path.includes('/cards/')) throw new StripeError(404, 'invalid_request_error', `Customer ${customer.id} does not have card with ID ${cardId}`, 'id');
    throw noSuch('source', cardId);
  }
  return card;
}

/**
 * A card update's new values, all validated before any is applied. An expiry that is not a month
 * (13) or lies in the past is a 402 card error naming the field that is wrong, as creating one is.
 */
export function readCardUpdate(card: Card, params: Record<string, unknown>): Partial<Card> {
  const p = new Params(params, UPDATE);
  const month = p.int('exp_month');
  const year = p.int('exp_year');
  const next: Partial<Card> = {};
  if (month !== undefined || year !== undefined) {
    const y = year === undefined ? card.exp_year : year < 100 ? 2000 + year : year;
    checkExpiry(month ?? card.exp_month, y);
    next.exp_month = month ?? card.exp_month;
    next.exp_year = y;
  }
  for (const field of ADDRESS) if (p.has(field)) next[field] = p.nullableString(field, 5000) ?? null;
  const metadata = p.metadata(card.metadata);
  if (metadata) next.metadata = metadata;
  return next;
}

function cardRoutes(collection: 'cards' | 'sources'): Route[] {
  const base = `/v1/customers/:id/${collection}`;
  return [
    route('POST', base, ({ account, ids, params }: Ctx) => {
      const customer = findCustomer(account, ids[0]);
      const p = new Params(params, ['source', 'card', 'metadata']);
      const param = p.has('source') ? 'source' : 'card';
      if (!p.has(param)) throw missingParam(collection === 'cards' ? 'card' : 'source');
      const metadata = p.metadata() ?? {};
      return renderCard(attachCard(account, customer, p.hashOrString(param), param, metadata));
    }),
    route('GET', `${base}/:id`, ({ account, ids, params, path }: Ctx) => {
      new Params(params, []);
      return renderCard(findCard(findCustomer(account, ids[0]), ids[1], path));
    }),
    route('POST', `${base}/:id`, ({ account, ids, params, path }: Ctx) => {
      const card = findCard(findCustomer(account, ids[0]), ids[1], path);
      Object.assign(card, readCardUpdate(card, params));
      return renderCard(card);
    }),
    route('DELETE', `${base}/:id`, ({ account, ids, params, path }: Ctx) => {
      new Params(params, []);
      const customer = findCustomer(account, ids[0]);
      const card = findCard(customer, ids[1], path);
      removeCard(customer, card.id, { get: () => customer.default_source, set: (v) => (customer.default_source = v) });
      return { deleted: true, id: card.id };
    }),
    route('GET', base, ({ account, ids, params, path }: Ctx) => {
      const p = new Params(params, [...LIST_PARAMS, 'object']);
      if (p.has('object') && params.object !== 'card') throw invalidParam('object', 'Invalid object: only card sources are supported');
      const customer = findCustomer(account, ids[0]);
      return paginate(newestFirst(customer.cards.values()).map(renderCard), p, path, includesTotal(params));
    }),
  ];
}

export const sourceRoutes: Route[] = [
  ...cardRoutes('cards'),
  ...cardRoutes('sources'),
  route('POST', '/v1/tokens', ({ account, params }) => {
    const p = new Params(params, ['card', 'customer']);
    const raw = p.hashOrString('card');
    if (raw === undefined) throw missingParam('card');
    if (typeof raw === 'string') throw invalidParam('card', 'Invalid card: must be a hash of card details (card[number], card[exp_month], card[exp_year])');
    const card = readCard(raw, 'card');
    const token = { id: newId('tok'), card: { ...card, id: newId('card') }, created: nowSeconds(), used: false, client_ip: '127.0.0.1' };
    account.tokens.set(token.id, token);
    return renderToken(token);
  }),
  route('GET', '/v1/tokens/:id', ({ account, ids, params }) => {
    new Params(params, []);
    const token = account.tokens.get(ids[0]);
    if (!token) throw noSuch('token', ids[0]);
    return renderToken(token);
  }),
];

/**
 * Recipients, only as far as their cards need them: the reference documents the five
 * recipient-card endpoints, and a card needs an owner. Create, retrieve and delete a recipient;
 * its cards are added, read, updated, deleted and listed like a customer's (without charges,
 * so the decline test numbers do not decline here).
 */
import { invalidParam, missingParam, noSuch, StripeError } from '../errors.js';
import { newId, nowSeconds } from '../ids.js';
import type { Recipient } from '../records.js';
import { LIST_PARAMS, paginate } from '../list.js';
import { commitCard, prepareCard, removeCard } from '../operations.js';
import { Params } from '../params.js';
import { renderRecipient, renderRecipientCard } from '../render-billing.js';
import { newestFirst, type Account } from '../store.js';
import { includesTotal } from './plans.js';
import { readCardUpdate } from './sources.js';
import { route, type Route } from './types.js';

function findRecipient(account: Account, id: string): Recipient {
  const r = account.recipients.get(id);
  if (!r || r.deleted) throw noSuch('recipient', id);
  return r;
}

function findCard(recipient: Recipient, id: string) {
  const card = recipient.cards.get(id);
  if (!card) throw new StripeError(404, 'invalid_request_error', `Recipient ${recipient.id} does not have card with ID ${id}`, 'id');
  return card;
}

const BASE = '/v1/recipients/:id/cards';

export const recipientRoutes: Route[] = [
  route('POST', '/v1/recipients', ({ account, params }) => {
    const p = new Params(params, ['name', 'type', 'email', 'description', 'metadata', 'card']);
    const name = p.string('name', { required: true, max: 5000 })!;
    const type = p.string('type', { required: true, oneOf: ['individual', 'corporation'] }) as Recipient['type'];
    const email = p.string('email', { max: 512 }) ?? null;
    const description = p.string('description', { max: 5000 }) ?? null;
    const metadata = p.metadata() ?? {};
    const prepared = p.has('card') ? prepareCard(account, p.hashOrString('card'), 'card', false) : undefined;
    const recipient: Recipient = {
      id: newId('rp'), created: nowSeconds(), seq: account.nextSeq(), name, type, email, description, metadata,
      default_card: null, cards: new Map(), deleted: false,
    };
    if (prepared) recipient.default_card = commitCard(account, recipient, prepared).id;
    account.recipients.set(recipient.id, recipient);
    return renderRecipient(recipient);
  }),
  route('GET', '/v1/recipients/:id', ({ account, ids, params }) => {
    new Params(params, []);
    const r = account.recipients.get(ids[0]);
    if (!r) throw noSuch('recipient', ids[0]);
    return renderRecipient(r);
  }),
  route('DELETE', '/v1/recipients/:id', ({ account, ids, params }) => {
    new Params(params, []);
    findRecipient(account, ids[0]).deleted = true;
    return { deleted: true, id: ids[0] };
  }),
  route('POST', BASE, ({ account, ids, params }) => {
    const recipient = findRecipient(account, ids[0]);
    const p = new Params(params, ['card', 'metadata']);
    if (!p.has('card')) throw missingParam('card');
    const metadata = p.metadata() ?? {};
    const card = commitCard(account, recipient, prepareCard(account, p.hashOrString('card'), 'card', false), metadata);
    recipient.default_card ??= card.id;
    return renderRecipientCard(card);
  }),
  route('GET', `${BASE}/:id`, ({ account, ids, params }) => {
    new Params(params, []);
    return renderRecipientCard(findCard(findRecipient(account, ids[0]), ids[1]));
  }),
  route('POST', `${BASE}/:id`, ({ account, ids, params }) => {
    const card = findCard(findRecipient(account, ids[0]), ids[1]);
    Object.assign(card, readCardUpdate(card, params));
    return renderRecipientCard(card);
  }),
  route('DELETE', `${BASE}/:id`, ({ account, ids, params }) => {
    new Params(params, []);
    const recipient = findRecipient(account, ids[0]);
    const card = findCard(recipient, ids[1]);
    removeCard(recipient, card.id, { get: () => recipient.default_card, set: (v) => (recipient.default_card = v) });
    return { deleted: true, id: card.id };
  }),
  route('GET', BASE, ({ account, ids, params, path }) => {
    const p = new Params(params, LIST_PARAMS);
    const recipient = findRecipient(account, ids[0]);
    if (p.has('object') && params.object !== 'card') throw invalidParam('object', 'Invalid object: only cards are supported');
    return paginate(newestFirst(recipient.cards.values()).map(renderRecipientCard), p, path, includesTotal(params));
  }),
];

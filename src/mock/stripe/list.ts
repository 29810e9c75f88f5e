/**
 * Stripe's list envelope and cursor pagination: newest first, `limit` 1–100 (default 10),
 * `starting_after` / `ending_before` by object id, `has_more` in the direction of travel.
 */
import { invalidParam } from './errors.js';
import type { Params } from './params.js';

export const LIST_PARAMS = ['limit', 'starting_after', 'ending_before'] as const;

export interface ListEnvelope<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
  total_count?: number;
}

/** `items` must already be newest first. */
export function paginate<T extends { id: string }>(items: T[], params: Params, url: string, withTotal = false): ListEnvelope<T> {
  const limit = params.int('limit', { min: 1, max: 100 }) ?? 10;
  const after = params.string('starting_after');
  const before = params.string('ending_before');
  if (after && before) throw invalidParam('ending_before', 'You may only specify one of these parameters: starting_after, ending_before.');
  let data: T[];
  let hasMore: boolean;
  if (after) {
    const at = indexOf(items, after, 'starting_after');
    data = items.slice(at + 1, at + 1 + limit);
    hasMore = at + 1 + limit < items.length;
  } else if (before) {
    const at = indexOf(items, before, 'ending_before');
    const start = Math.max(0, at - limit);
    data = items.slice(start, at);
    hasMore = start > 0;
  } else {
    data = items.slice(0, limit);
    hasMore = items.length > limit;
  }
  const list: ListEnvelope<T> = { object: 'list', data, has_more: hasMore, url };
  if (withTotal) list.total_count = items.length;
  return list;
}

function indexOf(items: Array<{ id: string }>, id: string, param: string): number {
  const at = items.findIndex((x) => x.id === id);
  if (at === -1) throw invalidParam(param, `Invalid ${param} id: ${id}: no such object in this list`);
  return at;
}

/** Embedded lists (a customer's sources and subscriptions) show the 10 newest with total_count. */
export function embeddedList<T>(items: T[], url: string): ListEnvelope<T> {
  return { object: 'list', total_count: items.length, has_more: items.length > 10, url, data: items.slice(0, 10) };
}

/**
 * Stripe's list envelope and cursor pagination: newest first, `limit` 1–100 (default 10),
 * `starting_after` / `ending_before` by object id, `has_more` in the direction of travel.
 */
import { invalidParam, unknownParam } from './errors.js';
import type { Params } from './params.js';

export const LIST_PARAMS = ['limit', 'starting_after', 'ending_before'] as const;
/** Lists the reference lets filter by creation time also take `created`. */
export const CREATED_LIST_PARAMS = [...LIST_PARAMS, 'created'] as const;

const BOUNDS = ['gt', 'gte', 'lt', 'lte'] as const;

/**
 * The reference's `created` filter: a Unix timestamp (exactly then), or a hash of `gt`, `gte`,
 * `lt`, `lte` bounds (`created[gte]=1438560000`).
 */
export function filterCreated<T extends { created: number }>(items: T[], raw: unknown): T[] {
  if (raw === undefined) return items;
  const int = (v: unknown, name: string): number => {
    if (typeof v !== 'string' || !/^\d+$/.test(v)) throw invalidParam(name, `Invalid integer: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
    return Number(v);
  };
  if (typeof raw === 'string') {
    const at = int(raw, 'created');
    return items.filter((x) => x.created === at);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw invalidParam('created', 'Invalid created: must be a Unix timestamp or a hash of gt, gte, lt, lte.');
  const bounds: Partial<Record<(typeof BOUNDS)[number], number>> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!(BOUNDS as readonly string[]).includes(key)) throw unknownParam(`created[${key}]`);
    bounds[key as (typeof BOUNDS)[number]] = int(value, `created[${key}]`);
  }
  return items.filter((x) =>
    (bounds.gt === undefined || x.created > bounds.gt) && (bounds.gte === undefined || x.created >= bounds.gte) &&
    (bounds.lt === undefined || x.created < bounds.lt) && (bounds.lte === undefined || x.created <= bounds.lte));
}

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

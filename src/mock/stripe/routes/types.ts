import type { Account } from '../store.js';

export interface Ctx {
  account: Account;
  method: string;
  /** The request path, e.g. /v1/customers/cus_x/cards (lists echo it as their url). */
  path: string;
  /** Form body for POST, query for GET and DELETE. */
  params: Record<string, unknown>;
  /** Path segments captured by the route's pattern. */
  ids: string[];
}

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** The documented path, `:id` for each id segment (`/v1/charges/:id/refunds`). */
  path: string;
  pattern: RegExp;
  handle(ctx: Ctx): unknown;
}

const ID = '([^/]+)';

/** `/v1/customers/:id/cards/:id` → an anchored pattern capturing each `:id`. */
export function route(method: Route['method'], path: string, handle: Route['handle']): Route {
  return { method, path, pattern: new RegExp(`^${path.replace(/:id/g, ID)}$`), handle };
}

/** Request bodies and query strings, encoded the way Stripe and most form APIs read them. */
import qs from 'qs';

/** `card[number]=4242&expand[]=a`: nested objects in brackets, arrays with `[]`, nulls left out. */
export function encodeForm(value: unknown): string {
  if (typeof value === 'string') return value;
  return qs.stringify(value, { arrayFormat: 'brackets', skipNulls: true, encodeValuesOnly: true });
}

/** Appends a query object to a URL; null and undefined values are left out (a first page has no cursor). */
export function withQuery(url: string, query: unknown): string {
  if (query === null || query === undefined) return url;
  const text = encodeForm(query);
  if (!text) return url;
  return url + (url.includes('?') ? '&' : '?') + text;
}

/** Joins a base URL and a path, keeping the base's own path (`http://h/api` + `/v1/x`). */
export function joinUrl(base: string, path: string): string {
  if (/^https?:\/\//i.test(path)) return path;
  return base.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '');
}

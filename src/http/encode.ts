/** Request bodies and query strings, encoded the way Stripe and most form APIs read them. */
import qs from 'qs';

/**
 * How arrays are written: `tag[]=a&tag[]=b` (brackets: Stripe, PHP, Rails, qs), `tag=a&tag=b`
 * (repeat: Go, Python, Java/Spring, ASP.NET), `tag=a,b` (comma: some, e.g. OpenAPI's
 * `explode: false`). A comma inside a value stays encoded (%2C) in the comma form.
 */
export type ArrayFormat = 'brackets' | 'repeat' | 'comma';

/** `card[number]=4242&expand[]=a`: nested objects in brackets, arrays with `[]`, nulls left out. */
export function encodeForm(value: unknown, arrayFormat: ArrayFormat = 'brackets'): string {
  if (typeof value === 'string') return value;
  return qs.stringify(value, { arrayFormat, skipNulls: true, encodeValuesOnly: true });
}

/** Appends a query object to a URL; null and undefined values are left out (a first page has no cursor). */
export function withQuery(url: string, query: unknown, arrayFormat: ArrayFormat = 'brackets'): string {
  if (query === null || query === undefined) return url;
  const text = encodeForm(query, arrayFormat);
  if (!text) return url;
  return url + (url.includes('?') ? '&' : '?') + text;
}

/** Joins a base URL and a path, keeping the base's own path (`http://h/api` + `/v1/x`). */
export function joinUrl(base: string, path: string): string {
  if (/^https?:\/\//i.test(path)) return path;
  return base.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '');
}

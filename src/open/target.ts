/**
 * The one decision about which path a request names. The guard and the router both use the
 * value decided here, once per request, so no spelling of a path can be read one way by the
 * guard and another way by the router (`/./api/state`, `/%2e/api/…`, `/x/../api/…`, the
 * absolute form `http://host/api/…` were all `/api/…` to the router and "not the API" to a guard
 * that looked at the raw target).
 *
 * Only targets written the way the page itself writes them are accepted: origin-form (`/…`), a
 * path of plain characters with no empty, `.` or `..` segment, which the WHATWG URL parser (what
 * a browser does) leaves exactly as written. Anything else is refused with a 400, not repaired:
 * this server has a handful of fixed paths and no legitimate client spells them another way.
 */

/** Longer than any path of this server with room to spare; longer targets are refused. */
export const MAX_TARGET = 1024;

export type Target = { path: string } | { refused: string };

/** Letters, digits and `-._~` in segments separated by single slashes: nothing to decode or resolve. */
const PLAIN_PATH = /^(\/[A-Za-z0-9\-_~]+(\.[A-Za-z0-9\-_~]+)*)*\/?$/;

export function requestPath(rawTarget: string | undefined): Target {
  const target = rawTarget ?? '';
  if (target.length > MAX_TARGET) return { refused: `the request target is longer than ${MAX_TARGET} characters` };
  if (!target.startsWith('/') || target.startsWith('//')) return { refused: 'the request target must be a path (origin-form, `/…`)' };
  const query = target.indexOf('?');
  const path = query === -1 ? target : target.slice(0, query);
  if (!PLAIN_PATH.test(path)) return { refused: 'the request path must be written plainly (no `.`/`..` segments, `//`, `\\`, `;`, `#` or %-escapes)' };
  // The same path as a browser (and the WHATWG URL parser) reads it, or no path at all.
  let normalised: string;
  try {
    normalised = new URL(target, 'http://api-notebook.invalid').pathname;
  } catch {
    return { refused: 'the request target is not a valid URL path' };
  }
  if (normalised !== path) return { refused: 'the request path normalises to another path' };
  return { path };
}

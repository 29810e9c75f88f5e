/**
 * What a step's expressions read of the run's HTTP state, beside status, headers and body:
 * - `cookies`: the jar's cookies for the current request's URL, name → value: while the request
 *   is rendered, its own URL (`X-CSRF-Token: ${cookies.csrftoken}`); after the response, the
 *   final URL, with what the response just set; in a step without a request, the base URL.
 *   Read lazily: a step that never names `cookies` never asks the jar.
 * - `url`: the final URL (after any redirects); `redirects`: each followed hop, `{ status, url,
 *   location }` (url: the request that got the redirect; location: where it pointed).
 * - headerValues(name): every value of a response header apart (see src/expr/functions.ts); it
 *   reads the step's header lists under HEADER_LISTS, a name no expression can write.
 */
import type { Scope } from '../expr/index.js';
import { HEADER_LISTS } from '../expr/functions.js';
import type { CookieJar } from '../http/cookies.js';
import type { RedirectHop } from '../http/flow.js';
import type { HeaderLists } from '../http/headers.js';

/** Where the step stands: the URL `cookies` is read for. */
export interface StepPlace {
  url: string;
}

/** `base` with `cookies` read from the jar, unless the step or the notebook gives a value of that name. */
export function withCookies(base: Scope, own: (name: string) => boolean, jar: CookieJar, place: StepPlace): Scope {
  return (name) => {
    if (name === 'cookies' && !own(name)) return { found: true, value: jar.values(place.url) };
    return base(name);
  };
}

/** The step-local names a response gives (beside status, headers, body). */
export function setResponseNames(local: Map<string, unknown>, finalUrl: string, hops: readonly RedirectHop[], lists: HeaderLists): void {
  local.set('url', finalUrl);
  local.set('redirects', hops.map((h) => ({ status: h.status, url: h.url, location: h.location })));
  local.set(HEADER_LISTS, lists);
}

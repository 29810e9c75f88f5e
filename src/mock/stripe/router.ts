/**
 * Finds the route for a request without trying every pattern: routes are bucketed by method,
 * number of path segments and resource name (`/v1/customers/…`), in their declared order, so a
 * request tests the one to four patterns that could match instead of all forty-odd.
 * Each route's response shape (for expand[]) is worked out once here, not per request.
 */
import { responseShape, type ResponseShape } from './expand.js';
import type { Route } from './routes/types.js';

export interface Match {
  route: Route;
  shape: ResponseShape;
  ids: string[];
}

interface Entry {
  route: Route;
  shape: ResponseShape;
  order: number;
}

const ANY = '*';

/** method → resource (`customers`, or ANY for a route with an id there) → segment count → routes. */
type Buckets = Map<string, Map<string, Entry[][]>>;

export class Router {
  private readonly buckets: Buckets = new Map();

  constructor(routes: readonly Route[]) {
    routes.forEach((route, order) => {
      const segments = route.path.split('/');
      const resource = segments[2] && !segments[2].startsWith(':') ? segments[2] : ANY;
      const entry = { route, shape: responseShape(route.method, route.path), order };
      let byResource = this.buckets.get(route.method);
      if (!byResource) this.buckets.set(route.method, (byResource = new Map()));
      let byCount = byResource.get(resource);
      if (!byCount) byResource.set(resource, (byCount = []));
      (byCount[segments.length] ??= []).push(entry);
    });
  }

  /** `path` is already percent-decoded. The first declared route that matches wins. */
  find(method: string, path: string): Match | undefined {
    const byResource = this.buckets.get(method);
    if (!byResource) return undefined;
    // Split by hand: this runs on every request, and only the count and the resource are needed.
    let count = 1;
    let second = -1;
    let third = -1;
    for (let i = 0; i < path.length; i++) {
      if (path.charCodeAt(i) !== 47 /* / */) continue;
      count++;
      if (count === 3) second = i;
      else if (count === 4) third = i;
    }
    const resource = second === -1 ? '' : path.slice(second + 1, third === -1 ? path.length : third);
    const exact = byResource.get(resource)?.[count];
    const wild = byResource.get(ANY)?.[count];
    const candidates = !wild ? exact : !exact ? wild : [...exact, ...wild].sort((a, b) => a.order - b.order);
    if (!candidates) return undefined;
    for (const { route, shape } of candidates) {
      const m = route.pattern.exec(path);
      if (m) return { route, shape, ids: m.slice(1) };
    }
    return undefined;
  }
}

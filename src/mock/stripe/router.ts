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

export class Router {
  private readonly buckets = new Map<string, Entry[]>();

  constructor(routes: readonly Route[]) {
    routes.forEach((route, order) => {
      const segments = route.path.split('/');
      const resource = segments[2] && !segments[2].startsWith(':') ? segments[2] : ANY;
      const key = bucketKey(route.method, segments.length, resource);
      const entry = { route, shape: responseShape(route.method, route.path), order };
      const bucket = this.buckets.get(key);
      if (bucket) bucket.push(entry);
      else this.buckets.set(key, [entry]);
    });
  }

  /** `path` is already percent-decoded. The first declared route that matches wins. */
  find(method: string, path: string): Match | undefined {
    const segments = path.split('/');
    const exact = this.buckets.get(bucketKey(method, segments.length, segments[2] ?? ''));
    const wild = this.buckets.get(bucketKey(method, segments.length, ANY));
    const candidates = !wild ? exact : !exact ? wild : [...exact, ...wild].sort((a, b) => a.order - b.order);
    if (!candidates) return undefined;
    for (const { route, shape } of candidates) {
      const m = route.pattern.exec(path);
      if (m) return { route, shape, ids: m.slice(1) };
    }
    return undefined;
  }
}

function bucketKey(method: string, segments: number, resource: string): string {
  return `${method} ${segments} ${resource}`;
}

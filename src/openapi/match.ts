/**
 * Which operation of a description a request answers. A description's `servers` say where the
 * API is served in production (`https://api.realworld.show/api`); a run may reach the same API
 * elsewhere — a mock such as Prism serves it at `/`, a staging host under another prefix. So the
 * request's path is tried, in order:
 *
 * 1. relative to the run's base URL's path (`--base-url` stands in for the servers, as it does
 *    for Schemathesis and Dredd);
 * 2. relative to each server's base path (server variables at their defaults);
 * 3. unless `strictPaths`, with the template's last path parameter spanning several segments
 *    (`/api/contents/{path}` answers `/api/contents/dir/file`, and `/api/contents/{path}/checkpoints`
 *    `/api/contents/dir/file/checkpoints`, as Jupyter's description means them), when no template
 *    of that method matches segment by segment; templates with longer literal parts first.
 *
 * Concrete paths win over templates at each stage. A request nothing matches gets what was tried.
 */
import type { Operation } from './operation.js';

export interface MatchOptions {
  /** The run's base URL: its path is the first base tried. */
  baseUrl?: string;
  /** No trailing parameter spanning segments (the long form's `strictPaths: true`). */
  strictPaths?: boolean;
}

export type Match =
  | { kind: 'operation'; operation: Operation; /** Path parameters, percent-decoded. */ params: Record<string, string>; /** The path the template matched. */ relative: string }
  | { kind: 'unknown-path'; path: string; bases: string[]; /** Each path tried, and against what. */ tried: string[]; /** The paths tried, bare. */ relatives: string[] }
  | { kind: 'unknown-method'; path: string; template: string; methods: string[] };

/** `ordered`: the operations in matching order; `bases`: the server base paths, as the description lists them. */
export function matchOperation(ordered: readonly Operation[], bases: readonly string[], method: string, url: string, options: MatchOptions): Match {
  const path = pathnameOf(url);
  const candidates = relativePaths(ordered, path, options.baseUrl);
  let other: Operation | undefined;
  const methods = new Set<string>();
  const otherMethod = (op: Operation) => {
    if (!other || other.path === op.path) {
      other = op;
      methods.add(op.method);
    }
  };
  for (const c of candidates) {
    for (const op of ordered) {
      if (!c.ops.has(op)) continue;
      const m = op.pattern.exec(c.relative);
      if (!m) continue;
      if (op.method === method) return found(op, m, c.relative);
      otherMethod(op);
    }
  }
  if (!options.strictPaths) {
    // Longer literal parts first: `/api/contents/{path}/checkpoints` before `/api/contents/{path}` before `/api/{anything}`.
    const literal = (op: Operation) => op.path.replace(/\{[^}]+\}/g, '').length;
    const spanning = ordered.filter((op) => op.spanning).sort((a, b) => literal(b) - literal(a));
    for (const c of candidates) {
      for (const op of spanning) {
        if (!c.ops.has(op)) continue;
        const m = op.spanning!.exec(c.relative);
        if (m && op.method === method) return found(op, m, c.relative);
        if (m) otherMethod(op);
      }
    }
  }
  if (other) return { kind: 'unknown-method', path, template: other.path, methods: [...methods] };
  const tried = candidates.map((c) => `${c.relative} (${c.from})`);
  if (!candidates.length) tried.push('no server base path is a prefix of it');
  if (!options.strictPaths && candidates.length && ordered.some((op) => op.spanning)) tried.push('a last path parameter spanning segments');
  return { kind: 'unknown-path', path, bases: bases.filter(Boolean), tried, relatives: candidates.map((c) => c.relative) };
}

/**
 * `/articles/{slug}` → /^\/articles\/(?<p0>[^/]+)\/?$/. `spanning`: the template's last parameter,
 * when it is a whole segment, may hold slashes (`/contents/{path}/checkpoints` answers
 * `/contents/a/b/checkpoints`); undefined when the template has no such parameter.
 */
export function templatePattern(template: string, spanning: true): RegExp | undefined;
export function templatePattern(template: string): RegExp;
export function templatePattern(template: string, spanning = false): RegExp | undefined {
  const trimmed = template.replace(/\/$/, '');
  const parts = trimmed.split(/(\{[^}]+\})/);
  const isParam = (part: string) => /^\{[^}]+\}$/.test(part);
  let last = parts.length - 1;
  while (last >= 0 && !isParam(parts[last]!)) last--;
  if (spanning && !(last > 0 && parts[last - 1]!.endsWith('/') && (parts[last + 1] === '' || parts[last + 1]!.startsWith('/')))) return undefined;
  let n = 0;
  const source = parts
    .map((part, i) => {
      if (!isParam(part)) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      // Named by position: a parameter's name may be any text; paramNames() maps them back.
      return `(?<p${n++}>${spanning && i === last ? '[^/]+(?:/[^/]+)*' : '[^/]+'})`;
    })
    .join('');
  return new RegExp(`^${source}/?$`);
}

/** The parameter names of a template, in order: `/a/{x}/{y}` → [x, y]. */
function paramNames(template: string): string[] {
  return [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}

function found(op: Operation, m: RegExpExecArray, relative: string): Match {
  const params: Record<string, string> = {};
  paramNames(op.path).forEach((name, i) => {
    const raw = m.groups?.[`p${i}`];
    if (raw !== undefined) params[name] = decode(raw);
  });
  return { kind: 'operation', operation: op, params, relative };
}

/** `a%2Fb` → `a/b`; a malformed escape stays as sent. */
function decode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

interface Candidate {
  relative: string;
  /** Where the base came from, for the message of a non-match. */
  from: string;
  /** The operations this base applies to (a server base path is only its operations'). */
  ops: Set<Operation>;
}

/** The request path relative to the base URL's path, then to each server base path (each once). */
function relativePaths(ordered: readonly Operation[], path: string, baseUrl: string | undefined): Candidate[] {
  const out: Candidate[] = [];
  const { all, bases } = basesOf(ordered);
  // The sets are shared between requests: a merge makes a new one.
  const add = (base: string, from: string, ops: Set<Operation>) => {
    if (base && !(path === base || path.startsWith(`${base}/`))) return;
    const relative = path.slice(base.length) || '/';
    const existing = out.find((c) => c.relative === relative);
    if (existing) existing.ops = new Set([...existing.ops, ...ops]);
    else out.push({ relative, from, ops });
  };
  if (baseUrl !== undefined) {
    const base = basePathOf(baseUrl);
    add(base, `relative to the base URL's path ${base || '/'}`, all);
  }
  for (const { base, ops } of bases) add(base, base ? `relative to the server base path ${base}` : 'the servers have no base path', ops);
  return out;
}

/**
 * The operations by server base path, longest first: the same for every request of a
 * description, made once (each request made them anew: ~90 µs a step against Stripe's).
 */
const basesCache = new WeakMap<readonly Operation[], { all: Set<Operation>; bases: Array<{ base: string; ops: Set<Operation> }> }>();

function basesOf(ordered: readonly Operation[]) {
  let found = basesCache.get(ordered);
  if (!found) {
    const bases = [...new Set(ordered.flatMap((o) => o.bases))].sort((a, b) => b.length - a.length);
    found = { all: new Set(ordered), bases: bases.map((base) => ({ base, ops: new Set(ordered.filter((o) => o.bases.includes(base))) })) };
    basesCache.set(ordered, found);
  }
  return found;
}

function basePathOf(url: string): string {
  try {
    return new URL(url).pathname.replace(/\/+$/, '');
  } catch {
    return '';
  }
}

function pathnameOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split(/[?#]/)[0]!;
  }
}

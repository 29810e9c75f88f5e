/**
 * A parameter's value as the request carries it, read back the way its `style` and `explode` say
 * (OpenAPI 3, "Style Values"), into the string, list or object its schema then validates (the
 * text validator converts `"7"` to 7 where the schema says integer):
 *
 * | style | where | list `[3,4]` | object `{a: 1}` |
 * | --- | --- | --- | --- |
 * | simple | path, header | `3,4` | `a,1` (explode: `a=1`) |
 * | label | path | `.3,4` (explode: `.3.4`) | `.a,1` (explode: `.a=1`) |
 * | matrix | path | `;id=3,4` (explode: `;id=3;id=4`) | `;id=a,1` (explode: `;a=1`) |
 * | form | query, cookie | `id=3,4` (explode: `id=3&id=4`) | `id=a,1` (explode: `a=1`) |
 * | spaceDelimited, pipeDelimited | query | `id=3%204`, `id=3\|4` | — |
 * | deepObject | query | — | `id[a]=1` |
 *
 * An exploded list in a query is also read from `id[]=3&id[]=4` (the brackets our own `query:`
 * writes by default, and PHP's and Rails' habit). A parameter with `content` (not `schema`) is
 * JSON text.
 */
import type { Parameter } from './description.js';

export type Shape = 'primitive' | 'array' | 'object';

/** Undefined when the request does not carry the parameter. */
export type Read = { value: unknown } | { error: string } | undefined;

export function shapeOf(schema: unknown): Shape {
  const s = (schema ?? {}) as { type?: unknown; items?: unknown; properties?: unknown };
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (types.includes('array') || (s.type === undefined && s.items !== undefined)) return 'array';
  if (types.includes('object') || (s.type === undefined && s.properties !== undefined)) return 'object';
  return 'primitive';
}

/** A path parameter from its decoded text. */
export function pathValue(p: Parameter, text: string, shape: Shape): Read {
  if (p.media) return json(text);
  if (p.style === 'label') {
    if (!text.startsWith('.')) return { error: `a label-style value starts with "." (got ${JSON.stringify(text)})` };
    const rest = text.slice(1);
    return { value: p.explode ? shaped(rest.split('.'), shape, true) : shaped(rest.split(','), shape, false) };
  }
  if (p.style === 'matrix') {
    const prefix = `;${p.name}=`;
    if (shape === 'object' && p.explode) {
      if (!text.startsWith(';')) return { error: `a matrix-style value starts with ";" (got ${JSON.stringify(text)})` };
      return { value: pairs(text.slice(1).split(';')) };
    }
    if (!text.startsWith(prefix) && text !== `;${p.name}`) return { error: `a matrix-style value starts with ${JSON.stringify(prefix)} (got ${JSON.stringify(text)})` };
    if (shape === 'array' && p.explode) return { value: text.slice(1).split(';').map((part) => part.slice(p.name.length + 1)) };
    return { value: shaped(text.slice(prefix.length).split(','), shape, false) };
  }
  return simple(text, shape, p.explode);
}

/** A header's value (always `simple`). */
export function headerValue(p: Parameter, text: string, shape: Shape): Read {
  return p.media ? json(text) : simple(text, shape, p.explode);
}

/** A cookie's value from the request's Cookie header, or undefined. */
export function cookieValue(p: Parameter, cookieHeader: string | undefined, shape: Shape): Read {
  for (const part of (cookieHeader ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== p.name) continue;
    const text = decode(part.slice(eq + 1).trim());
    return p.media ? json(text) : { value: shape === 'primitive' ? text : shaped(text.split(','), shape, false) };
  }
  return undefined;
}

/** A query parameter from the URL's query; `properties`: the names an exploded form object may take. */
export function queryValue(p: Parameter, query: URLSearchParams, shape: Shape, properties: readonly string[]): Read {
  const values = query.getAll(p.name);
  if (p.media) return values.length ? json(values[0]!) : undefined;
  if (p.style === 'deepObject') {
    const out: Record<string, string> = {};
    let found = false;
    for (const [key, value] of query) {
      const m = /^(.+?)\[([^\]]*)\]$/.exec(key);
      if (m && m[1] === p.name) {
        out[m[2]!] = value;
        found = true;
      }
    }
    return found ? { value: out } : undefined;
  }
  if (shape === 'object' && p.explode && (p.style === 'form' || !p.style)) {
    const out: Record<string, string> = {};
    for (const name of properties) {
      const v = query.get(name);
      if (v !== null) out[name] = v;
    }
    return Object.keys(out).length ? { value: out } : undefined;
  }
  if (shape === 'array') {
    const all = [...values, ...query.getAll(`${p.name}[]`)];
    if (all.length === 0) return undefined;
    if (p.explode) return { value: all };
    const separator = p.style === 'spaceDelimited' ? ' ' : p.style === 'pipeDelimited' ? '|' : ',';
    return { value: all.flatMap((v) => v.split(separator)) };
  }
  if (values.length === 0) return undefined;
  if (shape === 'object') return { value: pairs(values[0]!.split(','), false) };
  // The same name twice for one value: the list is what the schema then rejects.
  return { value: values.length === 1 ? values[0] : values };
}

function simple(text: string, shape: Shape, explode: boolean): Read {
  if (shape === 'primitive') return { value: text };
  return { value: shaped(text.split(','), shape, explode) };
}

/** Split parts as the shape reads them: a list as it is, an object from `k=v` parts (explode) or alternating `k,v`. */
function shaped(parts: string[], shape: Shape, explode: boolean): unknown {
  if (shape === 'array') return parts;
  if (shape === 'object') return pairs(parts, explode);
  return parts.join(explode ? '.' : ',');
}

function pairs(parts: string[], explode = true): Record<string, string> {
  const out: Record<string, string> = {};
  if (explode) {
    for (const part of parts) {
      const eq = part.indexOf('=');
      if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
    }
  } else {
    for (let i = 0; i + 1 < parts.length; i += 2) out[parts[i]!] = parts[i + 1]!;
  }
  return out;
}

function json(text: string): Read {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { error: `is not JSON (its content is application/json): ${JSON.stringify(text.slice(0, 60))}` };
  }
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

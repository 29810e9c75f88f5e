/** A Postman request (URL, headers, body, auth) → a notebook request, `{{var}}` → `${var}`. */
import { dict } from './dict.js';
import type { DraftStep } from './draft.js';
import type { Positions } from './positions.js';

interface KeyValue {
  key: string;
  value?: string;
  disabled?: boolean;
  type?: string;
  src?: unknown;
}
export interface PmRequest {
  method?: string;
  url?: string | { raw?: string; query?: KeyValue[] };
  header?: KeyValue[] | string;
  body?: { mode?: string; raw?: string; urlencoded?: KeyValue[]; formdata?: KeyValue[]; options?: { raw?: { language?: string } }; disabled?: boolean };
  auth?: unknown;
  description?: string | { content?: string };
}

export interface RequestNames {
  request(postmanName: string): string;
}

const DYNAMIC: Record<string, string> = { $guid: 'uuid()', $randomUUID: 'uuid()', $timestamp: 'unixtime()', $isoTimestamp: 'string(now())', $randomInt: 'now() % 1000' };

/** `{{name}}` → `${name}`; Postman's dynamic variables → the nearest function. */
export function templated(text: string, names: RequestNames): string {
  return text.replace(/\{\{\s*([^{}]+?)\s*\}\}/g, (_, name: string) => (name.startsWith('$') ? `\${${DYNAMIC[name] ?? 'uuid()'}}` : `\${${names.request(name)}}`));
}

export function requestOf(req: PmRequest, names: RequestNames, step: DraftStep, path: Array<string | number>, pos: Positions, auth: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { method: (req.method ?? 'GET').toUpperCase() };
  const raw = typeof req.url === 'string' ? req.url : (req.url?.raw ?? '');
  const [base, ...queryParts] = raw.split('?');
  out.url = templated(base!.trim(), names);
  const query = queryOf(req.url, queryParts.join('?'), names);
  if (Object.keys(query).length) out.query = query;
  const headers: Record<string, string> = dict();
  for (const h of Array.isArray(req.header) ? req.header : []) if (!h.disabled && h.key) headers[h.key] = templated(h.value ?? '', names);
  const body = bodyOf(req.body, names, step, [...path, 'body'], pos);
  if (body) {
    Object.assign(out, body);
    // The notebook sets Content-Type itself for json and form bodies.
    if (!('body' in body)) for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-type') delete headers[k];
  } else {
    for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-type' && /json/.test(headers[k]!)) delete headers[k];
  }
  authInto(auth, out, headers, step, names, [...path, 'auth'], pos);
  if (Object.keys(headers).length) out.headers = headers;
  return out;
}

function queryOf(url: PmRequest['url'], rawQuery: string, names: RequestNames): Record<string, string> {
  const query: Record<string, string> = dict();
  const list = typeof url === 'object' && Array.isArray(url.query) ? url.query : undefined;
  if (list) {
    for (const q of list) if (!q.disabled && q.key) query[q.key] = templated(q.value ?? '', names);
  } else if (rawQuery) {
    for (const part of rawQuery.split('&').filter(Boolean)) {
      const eq = part.indexOf('=');
      const key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
      query[key] = templated(eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1)), names);
    }
  }
  return query;
}

function bodyOf(body: PmRequest['body'], names: RequestNames, step: DraftStep, path: Array<string | number>, pos: Positions): Record<string, unknown> | undefined {
  if (!body || body.disabled || !body.mode) return undefined;
  if (body.mode === 'raw') {
    const raw = body.raw ?? '';
    if (!raw.trim()) return undefined;
    const json = parseJsonWithVariables(raw);
    if (json !== undefined) return { json: mapStrings(json, (s) => templated(s, names)) };
    return { body: templated(raw, names) };
  }
  if (body.mode === 'urlencoded' || body.mode === 'formdata') {
    const form: Record<string, string> = dict();
    for (const [i, field] of (body[body.mode] ?? []).entries()) {
      if (field.disabled || !field.key) continue;
      if (field.type === 'file') {
        step.kept.push({ line: pos.line([...path, body.mode, i]), why: `the form-data file field "${field.key}" is not sent (files are not supported); the text fields are sent url-encoded`, source: JSON.stringify(field) });
        continue;
      }
      form[field.key] = templated(field.value ?? '', names);
    }
    return Object.keys(form).length ? { form } : undefined;
  }
  step.kept.push({ line: pos.line(path), why: `a ${body.mode} body is not translated`, source: JSON.stringify(body).slice(0, 400) });
  return undefined;
}

/** JSON text whose `{{var}}` placeholders may stand outside strings (`"n": {{count}}`). */
export function parseJsonWithVariables(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    try {
      // A bare placeholder becomes a string that is exactly one ${…}: the notebook keeps its type.
      return JSON.parse(raw.replace(/("(?:[^"\\]|\\.)*")|\{\{\s*([^{}]+?)\s*\}\}/g, (m, str: string | undefined) => (str ? m : `"${m}"`)));
    } catch {
      return undefined;
    }
  }
}

export function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value && typeof value === 'object') return Object.assign(dict(), Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)])));
  return value;
}

/** v2.1 auth keeps its settings as [{key, value}]; v2.0 as an object. Both read the same here. */
function authSettings(auth: Record<string, unknown>, type: string): Record<string, string> {
  const raw = auth[type];
  if (Array.isArray(raw)) return Object.fromEntries(raw.map((kv: KeyValue) => [kv.key, String(kv.value ?? '')]));
  return (raw ?? {}) as Record<string, string>;
}

function authInto(auth: unknown, out: Record<string, unknown>, headers: Record<string, string>, step: DraftStep, names: RequestNames, path: Array<string | number>, pos: Positions): void {
  if (!auth || typeof auth !== 'object') return;
  const a = auth as Record<string, unknown>;
  const type = String(a.type ?? '');
  const s = authSettings(a, type);
  const t = (v: string | undefined) => templated(v ?? '', names);
  switch (type) {
    case 'noauth':
      step.auth = 'none';
      return;
    case 'basic':
      step.auth = { basic: { username: t(s.username), password: t(s.password) } };
      return;
    case 'bearer':
      step.auth = { bearer: t(s.token) };
      return;
    case 'apikey': {
      const key = s.key || 'X-API-Key';
      if (s.in === 'query') out.query = { ...(out.query as object), [key]: t(s.value) };
      else headers[key] = t(s.value);
      return;
    }
    case 'oauth2':
      if ((s.grant_type ?? 'client_credentials') === 'client_credentials' && s.accessTokenUrl) {
        step.auth = { oauth2: { tokenUrl: t(s.accessTokenUrl), clientId: t(s.clientId), clientSecret: t(s.clientSecret), ...(s.scope ? { scopes: t(s.scope).split(/\s+/) } : {}) } };
        return;
      }
      break;
  }
  step.kept.push({ line: pos.line(path), why: `${type || 'this'} auth${type === 'oauth2' ? ` (grant ${s.grant_type})` : ''} is not translated; the notebook has basic, bearer and oauth2 client credentials`, source: JSON.stringify(auth) });
}

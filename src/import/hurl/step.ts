/** One Hurl entry → one step: the request with its sections and options, then what the response must be. */
import { dict, type Dict } from '../dict.js';
import { identifier, newStep, type DraftStep } from '../draft.js';
import { notebookPath, type FilePlace } from '../curl/files.js';
import type { Inputs } from '../curl/inputs.js';
import { looksSecret } from '../curl/inputs.js';
import type { HurlNames } from './names.js';
import type { Entry, Line, Part } from './parse.js';
import { assertExpr, captureExpr, Untranslatable } from './query.js';

export interface HurlContext {
  names: HurlNames;
  inputs: Inputs;
  place: FilePlace;
}

/** `name: value` of a section or header line, with Hurl's escapes (`\u{5b}`, `\:`) read. */
export function keyValue(l: Line): { key: string; value: string } | undefined {
  const m = /^((?:[^:\\]|\\.)+?)\s*:\s?(.*)$/.exec(l.text);
  if (!m) return undefined;
  return { key: unescape(m[1]!.trim()), value: unquote(unescape(m[2]!.trim())) };
}

function unescape(s: string): string {
  return s.replace(/\\u\{([0-9A-Fa-f]+)\}|\\(.)/g, (_, hex: string | undefined, c: string | undefined) => (hex ? String.fromCodePoint(parseInt(hex, 16)) : ({ n: '\n', t: '\t' } as Record<string, string>)[c!] ?? c!));
}

function unquote(s: string): string {
  return /^"(.*)"$/.test(s) ? s.slice(1, -1) : s;
}

export function stepOf(entry: Entry, ctx: HurlContext): DraftStep {
  const step = newStep(`${entry.method} ${entry.url}`);
  const keep = (line: number, why: string, source: string) => step.kept.push({ line, why, source });
  const request: Dict<unknown> = dict();
  request.method = entry.method;
  request.url = ctx.names.text(entry.url);
  const headers: Dict<string> = dict();
  for (const l of entry.request.headers) {
    const kv = keyValue(l)!;
    const value = ctx.names.text(kv.value);
    headers[kv.key] = looksSecret(kv.key, kv.value) && !value.includes('${') ? ctx.inputs.secret(kv.value, kv.key, `the ${kv.key} header of the Hurl file`) : value;
  }
  for (const [name, lines] of entry.request.sections) sectionInto(name, lines, entry.request, request, headers, step, ctx, keep);
  bodyInto(entry.request.body, request, headers, ctx, keep);
  if (Object.keys(headers).length) request.headers = headers;
  step.request = request;
  responseInto(entry, step, ctx, keep);
  return step;
}

type Keep = (line: number, why: string, source: string) => void;

function sectionInto(name: string, lines: Line[], part: Part, request: Dict<unknown>, headers: Dict<string>, step: DraftStep, ctx: HurlContext, keep: Keep): void {
  const pairs = lines.map((l) => ({ l, kv: keyValue(l) }));
  const map = () => {
    const out: Dict<string> = dict();
    for (const { kv } of pairs) if (kv) out[kv.key] = ctx.names.text(kv.value);
    return out;
  };
  switch (name) {
    case 'QueryStringParams':
    case 'Query':
      request.query = map();
      return;
    case 'FormParams':
    case 'Form':
      request.form = map();
      return;
    case 'MultipartFormData':
    case 'Multipart': {
      const parts: Dict<unknown> = dict();
      for (const { l, kv } of pairs) {
        if (!kv) continue;
        const file = /^file,\s*([^;]+);\s*(\S+)?$/.exec(kv.value);
        if (!file) {
          parts[kv.key] = ctx.names.text(kv.value);
          continue;
        }
        const where = notebookPath(file[1]!.trim(), ctx.place);
        if ('why' in where) keep(l.line, where.why, l.text);
        else parts[kv.key] = { file: where.path, ...(file[2] ? { contentType: file[2] } : {}) };
      }
      if (Object.keys(parts).length) request.multipart = parts;
      return;
    }
    case 'Cookies':
      headers.Cookie = pairs.filter((p) => p.kv).map(({ kv }) => `${kv!.key}=${ctx.names.text(kv!.value)}`).join('; ');
      return;
    case 'BasicAuth': {
      const kv = pairs[0]?.kv;
      if (!kv) return;
      const password = kv.value.includes('{{') ? ctx.names.text(kv.value) : ctx.inputs.secret(kv.value, 'password', 'the [BasicAuth] password of the Hurl file');
      step.auth = { basic: { username: ctx.names.text(kv.key), password } };
      return;
    }
    case 'Options':
      for (const { l, kv } of pairs) if (kv) option(kv.key, kv.value, l, request, headers, step, ctx, keep);
      return;
    default:
      keep(part.sectionLines.get(name) ?? lines[0]?.line ?? 0, `the [${name}] section is not translated`, [`[${name}]`, ...lines.map((l) => l.text)].join('\n'));
  }
}

function option(key: string, value: string, l: Line, request: Dict<unknown>, headers: Dict<string>, step: DraftStep, ctx: HurlContext, keep: Keep): void {
  const yes = value === 'true';
  const n = Number(value);
  switch (key) {
    case 'location':
      if (yes) request.followRedirects = true;
      return;
    case 'max-redirs':
      if (Number.isInteger(n)) request.followRedirects = n;
      return;
    case 'insecure':
      if (yes) request.tls = { ...(request.tls as object), insecure: true };
      return;
    case 'http2':
      if (yes) request.http2 = true;
      return;
    case 'compressed':
      if (yes) headers['Accept-Encoding'] = 'gzip, deflate, br';
      return;
    case 'retry':
      if (Number.isInteger(n) && n > 0) step.retries = n;
      else keep(l.line, `retry: ${value} (unbounded) has no notebook form; give retries a number`, l.text);
      return;
    case 'retry-interval':
      if (n > 0) step.retryDelayMs = n;
      return;
    case 'variable': {
      const eq = value.indexOf('=');
      if (eq > 0) ctx.names.set.set(identifier(value.slice(0, eq)), value.slice(eq + 1));
      return;
    }
    case 'cacert': {
      const where = notebookPath(value, ctx.place);
      if ('path' in where) request.tls = { ...(request.tls as object), ca: where.path };
      else keep(l.line, where.why, l.text);
      return;
    }
    default:
      keep(l.line, `the option ${key} is not translated`, l.text);
  }
}

function bodyInto(body: Line[] | undefined, request: Dict<unknown>, headers: Dict<string>, ctx: HurlContext, keep: Keep): void {
  if (!body?.length) return;
  const read = bodyText(body);
  if (read.kind === 'kept') {
    keep(body[0]!.line, read.why, body.map((l) => l.text).join('\n'));
    return;
  }
  if (read.kind === 'file') {
    const where = notebookPath(read.text, ctx.place);
    if ('path' in where) request.body = { file: where.path };
    else keep(body[0]!.line, where.why, body[0]!.text);
    return;
  }
  if (read.kind === 'json') {
    const json = jsonWithTemplates(read.text, ctx.names);
    if (json !== undefined) {
      request.json = json;
      return;
    }
  }
  request.body = ctx.names.text(read.text);
  void headers;
}

type BodyRead = { kind: 'json' | 'text' | 'file'; text: string } | { kind: 'kept'; why: string };

/** A body's text: JSON, ``` multiline ```, `one line`, XML, or `file,…;`; bytes (base64, hex) are not read. */
export function bodyText(body: Line[]): BodyRead {
  const first = body[0]!.text.trim();
  const all = body.map((l) => l.text).join('\n').trim();
  if (first.startsWith('```')) {
    const one = /^```(.*)```$/.exec(all);
    if (one) return { kind: 'text', text: one[1]! };
    const lang = first.slice(3).trim();
    const inner = body.slice(1, -1).map((l) => l.text).join('\n');
    return { kind: lang === 'json' ? 'json' : 'text', text: lang ? inner : `${inner}\n` };
  }
  if (/^`.*`$/.test(all)) return { kind: 'text', text: all.slice(1, -1).replace(/\\`/g, '`') };
  if (first.startsWith('{') || first.startsWith('[')) return { kind: 'json', text: all };
  if (first.startsWith('<')) return { kind: 'text', text: all };
  const file = /^file,\s*([^;]+);$/.exec(all);
  if (file) return { kind: 'file', text: file[1]!.trim() };
  // Bytes written as hex or base64 that are UTF-8 text (`hex,48656c6c6f;`) are that text.
  const bytes = /^(hex|base64),\s*([0-9A-Za-z+/=\s]*);$/.exec(all);
  if (bytes) {
    const buffer = Buffer.from(bytes[2]!.replace(/\s+/g, ''), bytes[1] === 'hex' ? 'hex' : 'base64');
    const text = new TextDecoder('utf-8', { fatal: false }).decode(buffer);
    if (!text.includes('\uFFFD') && !/[\0-\x08\x0e-\x1f]/.test(text)) return { kind: 'text', text };
  }
  return { kind: 'kept', why: `a ${/^(base64|hex),/.test(first) ? 'bytes' : 'raw'} body is not translated` };
}

/** JSON with `{{x}}` placeholders, in strings or bare (`"n": {{count}}`): a bare one keeps its type. */
export function jsonWithTemplates(text: string, names: HurlNames): unknown {
  const quoted = text.replace(/("(?:[^"\\]|\\.)*")|\{\{\s*([A-Za-z_][\w-]*)\s*\}\}/g, (m, str: string | undefined) => (str ? m : `"${m}"`));
  try {
    return mapStrings(JSON.parse(quoted), (s) => names.text(s));
  } catch {
    return undefined;
  }
}

function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value && typeof value === 'object') {
    const out: Dict<unknown> = dict();
    for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, fn);
    return out;
  }
  return value;
}

function responseInto(entry: Entry, step: DraftStep, ctx: HurlContext, keep: Keep): void {
  if (entry.status === '*') keep(entry.statusLine!, 'HTTP * accepts any status; a step fails on 4xx and 5xx unless expect.status lists them', `HTTP *`);
  else if (entry.status !== undefined) step.expect = { status: entry.status };
  const res = entry.response;
  if (!res) return;
  const expectHeaders: Dict<string> = dict();
  for (const l of res.headers) {
    const kv = keyValue(l)!;
    const name = kv.key.toLowerCase();
    if (name in expectHeaders) keep(l.line, `a second ${kv.key} header is checked with an assert on headerValues('${name}')`, l.text);
    else expectHeaders[name] = ctx.names.text(kv.value);
  }
  if (Object.keys(expectHeaders).length) step.expect = { ...step.expect, headers: expectHeaders } as DraftStep['expect'];
  for (const [name, lines] of res.sections) {
    if (name === 'Captures') {
      for (const l of lines) {
        const kv = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(l.text);
        try {
          if (!kv) throw new Untranslatable('a capture is written name: query');
          const n = identifier(kv[1]!);
          (step.capture ??= dict())[n] = captureExpr(kv[2]!, ctx.names);
          ctx.names.captured.add(n);
        } catch (err) {
          if (!(err instanceof Untranslatable)) throw err;
          if (kv) ctx.names.lost.add(identifier(kv[1]!));
          keep(l.line, err.message, l.text);
        }
      }
    } else if (name === 'Asserts') {
      for (const l of lines) {
        try {
          const expr = assertExpr(l.text, ctx.names);
          const lost = [...ctx.names.lost].find((n) => new RegExp(`\\b${n}\\b`).test(expr));
          if (lost) throw new Untranslatable(`it reads ${lost}, whose capture is not translated`);
          (step.assert ??= []).push({ expr, note: l.text });
        } catch (err) {
          if (!(err instanceof Untranslatable)) throw err;
          keep(l.line, err.message, l.text);
        }
      }
    } else keep(res.sectionLines.get(name)!, `the [${name}] section of a response is not translated`, [`[${name}]`, ...lines.map((l) => l.text)].join('\n'));
  }
  if (res.body?.length) expectBody(res.body, step, ctx, keep);
}

/** The response body Hurl expects: text → `expect.text` (exact), JSON → `expect.body` (a partial match). */
function expectBody(body: Line[], step: DraftStep, ctx: HurlContext, keep: Keep): void {
  const read = bodyText(body);
  if (read.kind === 'text') {
    if (/\{\{/.test(read.text)) keep(body[0]!.line, 'a response body with {{…}} is not translated', body.map((l) => l.text).join('\n'));
    else step.expect = { ...step.expect, text: read.text } as DraftStep['expect'];
    return;
  }
  if (read.kind === 'json') {
    const json = jsonWithTemplates(read.text, ctx.names);
    if (json && typeof json === 'object' && !Array.isArray(json)) {
      step.expect = { ...step.expect, body: json as Record<string, unknown> };
      return;
    }
  }
  keep(body[0]!.line, read.kind === 'kept' ? read.why.replace('a ', 'an expected ') : `an expected ${read.kind} body is not translated`, body.map((l) => l.text).join('\n'));
}

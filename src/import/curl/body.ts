/**
 * curl's body options → the notebook's body keys. `-d` and its kin join their parts with `&` and,
 * without a Content-Type, are sent as a form (curl's default type): a body of `name=value`
 * pairs becomes `form:` (readable, each value a template), anything else the raw text. A JSON
 * Content-Type (or `--json`) with JSON text becomes `json:`; `@file` parts become a file body;
 * `-F` parts become `multipart:`.
 */
import { dict, type Dict } from '../dict.js';
import type { Kept } from '../draft.js';
import { notebookPath, type FilePlace } from './files.js';
import type { Opt } from './parse.js';

export interface BodyContext {
  place: FilePlace;
  kept: Kept[];
  /** Makes a word safe for the notebook: `$NAME` references → inputs. */
  text(word: string): string;
  /** A field value that is a credential → `${input}`. */
  field(name: string, value: string): string;
}

const DATA = new Set(['data', 'data-raw', 'data-binary', 'data-ascii', 'data-urlencode', 'json']);

export function hasData(options: Opt[]): boolean {
  return options.some((o) => DATA.has(o.name));
}

/** The `-d …` parts as curl sends them, or a file body when the data is one `@file`. */
export function dataText(options: Opt[], ctx: BodyContext): { text: string } | { file: string } | undefined {
  const parts: string[] = [];
  const data = options.filter((o) => DATA.has(o.name));
  if (data.length === 0) return undefined;
  for (const o of data) {
    const v = o.value ?? '';
    if (o.name === 'data-urlencode') {
      const part = urlencoded(v);
      if (part === undefined) ctx.kept.push({ line: o.line, why: `${o.written} ${v}: a value read from a file is not sent; put the value in the step`, source: `${o.written} ${v}` });
      else parts.push(part);
    } else if (v.startsWith('@') && o.name !== 'data-raw') {
      if (data.length === 1) {
        const where = notebookPath(v.slice(1), ctx.place);
        if ('path' in where) return { file: where.path };
        ctx.kept.push({ line: o.line, why: where.why, source: `${o.written} ${v}` });
      } else ctx.kept.push({ line: o.line, why: `${o.written} ${v}: a body made of a file and other parts is not translated; put the body in one file or in the step`, source: `${o.written} ${v}` });
    } else parts.push(v);
  }
  return { text: parts.join(data.every((o) => o.name === 'json') ? '' : '&') };
}

/** `--data-urlencode`: `content`, `=content`, `name=content` (encoded); `@file`, `name@file` are not read. */
function urlencoded(v: string): string | undefined {
  const eq = v.indexOf('=');
  const at = v.indexOf('@');
  if (at >= 0 && (eq < 0 || at < eq)) return undefined;
  if (eq < 0) return encodeURIComponent(v);
  const name = v.slice(0, eq);
  return `${name ? `${name}=` : ''}${encodeURIComponent(v.slice(eq + 1))}`;
}

/**
 * `a=1&b=two%20words` → `{ a: "1", b: "two words" }`, when the pairs say the same thing as a map
 * (names unique and plain, values decodable); undefined otherwise, so the text is sent as written.
 */
export function pairs(text: string, ctx: BodyContext): Dict<string> | undefined {
  const out: Dict<string> = dict();
  if (!text) return undefined;
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(part.slice(0, eq).replace(/\+/g, ' '));
      value = decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      return undefined;
    }
    // The form encoder writes names as they are: only names it can write back unchanged.
    if (!/^[\w.\-[\]]+$/.test(name) || name in out || name.includes('\u0001')) return undefined;
    out[name] = ctx.field(name, ctx.text(value));
  }
  return out;
}

/** `-F name=value`, `-F name=@file;type=…;filename=…`, `--form-string name=value` → `multipart:`. */
export function multipart(options: Opt[], ctx: BodyContext): Dict<unknown> | undefined {
  const parts: Dict<unknown[]> = dict();
  for (const o of options) {
    if (o.name !== 'form' && o.name !== 'form-string') continue;
    const v = o.value ?? '';
    const eq = v.indexOf('=');
    if (eq <= 0) {
      ctx.kept.push({ line: o.line, why: `${o.written} ${v}: a form part is written name=value`, source: `${o.written} ${v}` });
      continue;
    }
    const name = v.slice(0, eq);
    const part = o.name === 'form-string' ? ctx.text(v.slice(eq + 1)) : formPart(v.slice(eq + 1), ctx, o);
    if (part !== undefined) (parts[name] ??= []).push(part);
  }
  const out: Dict<unknown> = dict();
  for (const [name, list] of Object.entries(parts)) out[name] = list.length === 1 ? list[0] : list;
  return Object.keys(out).length ? out : undefined;
}

function formPart(spec: string, ctx: BodyContext, o: Opt): unknown {
  const [head, ...attrs] = splitAttrs(spec);
  const settings: Dict<string> = dict();
  for (const a of attrs) {
    const eq = a.indexOf('=');
    if (eq > 0) settings[a.slice(0, eq).trim().toLowerCase()] = a.slice(eq + 1).replace(/^"|"$/g, '');
  }
  const value = head!;
  if (value.startsWith('<')) {
    ctx.kept.push({ line: o.line, why: `${o.written} ${spec}: a text part read from a file is not translated; put the text in the step`, source: `${o.written} ${spec}` });
    return undefined;
  }
  if (value.startsWith('@')) {
    const where = notebookPath(value.slice(1), ctx.place);
    if ('why' in where) {
      ctx.kept.push({ line: o.line, why: where.why, source: `${o.written} ${spec}` });
      return undefined;
    }
    return { file: where.path, ...(settings.type ? { contentType: settings.type } : {}), ...(settings.filename ? { filename: settings.filename } : {}) };
  }
  const text = ctx.text(value);
  return settings.type ? { value: text, contentType: settings.type } : text;
}

/** `@a.png;type=image/png;filename="x;y.png"`: `;` inside quotes is part of the value. */
function splitAttrs(spec: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const c of spec) {
    if (c === '"') quoted = !quoted;
    if (c === ';' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

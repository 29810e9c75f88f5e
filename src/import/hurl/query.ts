/**
 * Hurl queries, filters and predicates → notebook expressions (docs/notebook-format.md,
 * "Expressions"). `jsonpath "$.a[0]"` → `body.a[0]`, `header "X"` → `headers['x']`,
 * `xpath "//p"` → `xpath(body, '//p')`, `regex "…"` → `regex(body, '…')`, `count` → `length(…)`;
 * predicates `==`, `!=`, `>`, `contains`, `startsWith`, `matches`, `exists`, `isEmpty` … become
 * comparisons and function calls. What the expressions cannot say (jsonpath filters, cookie
 * attributes, certificates, dates, type tests) is reported as untranslatable, never guessed.
 */

export class Untranslatable extends Error {}

/** A Hurl value text reader: quoted strings, /regex/, numbers, `{{var}}`, words. */
class Reader {
  constructor(private text: string, private at = 0) {}
  rest(): string {
    return this.text.slice(this.at).trim();
  }
  done(): boolean {
    this.skip();
    return this.at >= this.text.length;
  }
  skip(): void {
    while (this.text[this.at] === ' ' || this.text[this.at] === '\t') this.at++;
  }
  word(): string {
    this.skip();
    const m = /^[A-Za-z][A-Za-z0-9]*|^(==|!=|>=|<=|>|<)/.exec(this.text.slice(this.at));
    if (!m) return '';
    this.at += m[0].length;
    return m[0];
  }
  peekWord(): string {
    const save = this.at;
    const w = this.word();
    this.at = save;
    return w;
  }
  /** A quoted string (JSON escapes, `\u{…}` too). */
  string(): string {
    this.skip();
    if (this.text[this.at] !== '"') throw new Untranslatable(`expected a quoted string at \`${this.rest()}\``);
    let out = '';
    for (let i = this.at + 1; i < this.text.length; i++) {
      const c = this.text[i]!;
      if (c === '"') {
        this.at = i + 1;
        return out;
      }
      if (c === '\\') {
        const n = this.text[i + 1]!;
        const u = /^u\{([0-9A-Fa-f]+)\}/.exec(this.text.slice(i + 1));
        if (u) {
          out += String.fromCodePoint(parseInt(u[1]!, 16));
          i += u[0].length;
          continue;
        }
        out += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/', '#': '#' } as Record<string, string>)[n] ?? n;
        i++;
        continue;
      }
      out += c;
    }
    throw new Untranslatable('a string is never closed');
  }
  /** A predicate value: string, /regex/, number, boolean, null, {{var}}. */
  value(templ: (s: string) => string): string {
    this.skip();
    const rest = this.text.slice(this.at);
    if (rest.startsWith('"')) return templ(this.string());
    const regex = /^\/((?:[^/\\]|\\.)*)\//.exec(rest);
    if (regex) {
      this.at += regex[0].length;
      return literal(regex[1]!.replace(/\\\//g, '/'));
    }
    const variable = /^\{\{\s*([A-Za-z_][\w-]*)\s*\}\}/.exec(rest);
    if (variable) {
      this.at += variable[0].length;
      return templ(variable[0]);
    }
    const scalar = /^(-?\d+(\.\d+)?|true|false|null)\b/.exec(rest);
    if (scalar) {
      this.at += scalar[0].length;
      return scalar[0];
    }
    throw new Untranslatable(`the value \`${rest.slice(0, 40)}\` is not one the expressions take`);
  }
  integer(): number {
    this.skip();
    const m = /^\d+/.exec(this.text.slice(this.at));
    if (!m) throw new Untranslatable('expected a number');
    this.at += m[0].length;
    return Number(m[0]);
  }
}

/** An expression string literal for `text`. */
export function literal(text: string): string {
  return JSON.stringify(text);
}

/** `$.a.b[0]`, `$['a b']` → `body.a.b[0]`, `body['a b']`; anything else (filters, `..`, `*`) is untranslatable. */
export function jsonPath(path: string, base = 'body'): string {
  if (!path.startsWith('$')) throw new Untranslatable(`the jsonpath ${path} does not start at $`);
  let out = base;
  const re = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;
  let at = 1;
  while (at < path.length) {
    re.lastIndex = at;
    const m = re.exec(path);
    if (!m) throw new Untranslatable(`the jsonpath ${path} uses more than names and indexes`);
    if (m[1] !== undefined) out += /^[A-Za-z_$][\w$]*$/.test(m[1]) ? `.${m[1]}` : `[${literal(m[1])}]`;
    else if (m[2] !== undefined) out += `[${m[2]}]`;
    else out += `[${literal(m[3] ?? m[4]!)}]`;
    at = re.lastIndex;
  }
  return out;
}

export interface QueryContext {
  /** A Hurl variable name → the notebook's name for it. */
  name(hurl: string): string;
  /** A Hurl template text (`"id={{id}}"`) → an expression. */
  templ(text: string): string;
}

/** A query and its filters (`header "X" regex "(\\d+)" toInt`) → one expression. */
export function queryExpr(r: Reader, ctx: QueryContext): string {
  const kind = r.word();
  let expr: string;
  let headerName: string | undefined;
  switch (kind) {
    case 'status':
    case 'body':
    case 'url':
    case 'duration':
      expr = kind;
      break;
    case 'header':
      headerName = r.string().toLowerCase();
      expr = `headers[${literal(headerName)}]`;
      break;
    case 'jsonpath':
      expr = jsonPath(r.string());
      break;
    case 'xpath':
      expr = `xpath(body, ${literal(r.string())})`;
      break;
    case 'regex':
      expr = `regex(body, ${regexArg(r)})`;
      break;
    case 'cookie': {
      const name = r.string();
      if (/\[/.test(name)) throw new Untranslatable(`the cookie attribute ${name} is not readable (the jar holds values)`);
      expr = `cookies[${literal(name)}]`;
      break;
    }
    case 'variable':
      expr = ctx.name(r.string());
      break;
    case 'sha256':
      expr = 'sha256(body)';
      break;
    default:
      throw new Untranslatable(`the query \`${kind || r.rest()}\` has no expression`);
  }
  return filters(r, expr, headerName);
}

function regexArg(r: Reader): string {
  r.skip();
  const rest = r.rest();
  if (rest.startsWith('/')) return r.value((s) => s);
  return literal(r.string());
}

const FILTERS = new Set(['count', 'nth', 'regex', 'toInt', 'toFloat', 'toString', 'split', 'replace', 'base64Decode', 'base64Encode', 'jsonpath', 'xpath', 'decode', 'format', 'toDate', 'dateFormat', 'daysAfterNow', 'daysBeforeNow', 'htmlEscape', 'htmlUnescape', 'urlDecode', 'urlEncode', 'location', 'toHex', 'first', 'last']);

function filters(r: Reader, start: string, headerName: string | undefined): string {
  let expr = start;
  // A header counted or indexed is read as its list of values (`header "X-Fruit" count == 4`).
  if (headerName && ['count', 'nth', 'first', 'last'].includes(r.peekWord())) expr = `headerValues(${literal(headerName)})`;
  for (;;) {
    const w = r.peekWord();
    if (!FILTERS.has(w)) return expr;
    r.word();
    switch (w) {
      case 'count':
        expr = `length(${expr})`;
        break;
      case 'nth':
        expr = `${expr}[${r.integer()}]`;
        break;
      case 'first':
        expr = `first(${expr})`;
        break;
      case 'last':
        expr = `last(${expr})`;
        break;
      case 'regex':
        expr = `regex(${expr}, ${regexArg(r)})`;
        break;
      case 'toInt':
      case 'toFloat':
        expr = `number(${expr})`;
        break;
      case 'toString':
        expr = `string(${expr})`;
        break;
      case 'split':
        expr = `split(${expr}, ${literal(r.string())})`;
        break;
      case 'replace':
        expr = `replace(${expr}, ${regexArg(r)}, ${literal(r.string())})`;
        break;
      case 'base64Decode':
        expr = `unbase64(${expr})`;
        break;
      case 'base64Encode':
        expr = `base64(${expr})`;
        break;
      case 'jsonpath':
        expr = jsonPath(r.string(), `json(${expr})`);
        break;
      case 'xpath':
        expr = `xpath(${expr}, ${literal(r.string())})`;
        break;
      default:
        throw new Untranslatable(`the filter ${w} has no expression`);
    }
  }
}

/** `query filters predicate` (an `[Asserts]` line) → a bare expression that must be true. */
export function assertExpr(text: string, ctx: QueryContext): string {
  const r = new Reader(text);
  const expr = queryExpr(r, ctx);
  let negate = false;
  if (r.peekWord() === 'not') {
    r.word();
    negate = true;
  }
  const op = r.word();
  let test: string;
  switch (op) {
    case '==':
    case '!=':
    case '>':
    case '>=':
    case '<':
    case '<=':
      test = `${expr} ${op} ${r.value(ctx.templ)}`;
      break;
    case 'contains':
    case 'includes':
      test = `contains(${expr}, ${r.value(ctx.templ)})`;
      break;
    case 'startsWith':
    case 'endsWith':
      test = `${op}(${expr}, ${r.value(ctx.templ)})`;
      break;
    case 'matches':
      test = `matches(${expr}, ${r.value(ctx.templ)})`;
      break;
    case 'exists':
      test = `${expr} != null`;
      break;
    case 'isEmpty':
      test = `length(${expr}) == 0`;
      break;
    default:
      throw new Untranslatable(`the predicate ${op || r.rest()} has no expression`);
  }
  if (!r.done()) throw new Untranslatable(`\`${r.rest()}\` after the predicate is not read`);
  return negate ? `!(${test})` : test;
}

/** A `[Captures]` line's value (`jsonpath "$.id"`) → a capture expression. */
export function captureExpr(text: string, ctx: QueryContext): string {
  const r = new Reader(text);
  const expr = queryExpr(r, ctx);
  if (!r.done()) throw new Untranslatable(`\`${r.rest()}\` is not read`);
  return expr;
}

/**
 * `${…}` templates inside notebook values. A string that is exactly one `${…}` keeps the value's
 * type; any other string with placeholders renders as text. Compiled once, rendered per request.
 */
import { compileExpr, ExprSyntaxError, type Expr, type Scope } from './compile.js';
import { bounded } from './limits.js';
import { memoByText } from './memo.js';

export interface Template {
  /** Every expression inside, with its offset in the string it came from (for diagnostics). */
  readonly exprs: readonly Expr[];
  render(scope: Scope): unknown;
}

export interface Placeholder {
  /** Offset of `${` in the text. */
  start: number;
  /** Offset just past the closing `}`. */
  end: number;
  source: string;
}

/** Thrown with the offset, within the text, of the problem. */
export class TemplateSyntaxError extends ExprSyntaxError {}

/** Finds `${…}` spans, honouring quotes and nested braces inside the expression. */
export function findPlaceholders(text: string): Placeholder[] {
  const found: Placeholder[] = [];
  let i = text.indexOf('${');
  while (i !== -1) {
    let depth = 0;
    let quote: string | null = null;
    let j = i + 2;
    for (; j < text.length; j++) {
      const ch = text[j];
      if (quote) {
        if (ch === '\\') j++;
        else if (ch === quote) quote = null;
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '{') depth++;
      else if (ch === '}') {
        if (depth === 0) break;
        depth--;
      }
    }
    if (j >= text.length) throw new TemplateSyntaxError('`${` is never closed with `}`', i);
    found.push({ start: i, end: j + 1, source: text.slice(i + 2, j) });
    i = text.indexOf('${', j + 1);
  }
  return found;
}

/** Compiled strings by text: the loader checks leaves one by one and then whole values. */
const compileWithPlaceholders = memoByText(compileStringUncached);

function compileString(text: string): Template | string {
  // Only text with a placeholder is compiled and kept.
  return text.includes('${') ? compileWithPlaceholders(text) : text;
}

function compileStringUncached(text: string): Template | string {
  const holes = findPlaceholders(text);
  if (holes.length === 0) return text;
  const exprs = holes.map((h) => {
    try {
      if (!h.source.trim()) throw new ExprSyntaxError('empty `${}`', 0);
      return compileExpr(h.source);
    } catch (err) {
      if (err instanceof ExprSyntaxError) throw new TemplateSyntaxError(err.message, h.start + 2 + err.index, err.hint);
      throw err;
    }
  });
  if (holes.length === 1 && holes[0].start === 0 && holes[0].end === text.length) {
    const only = exprs[0];
    return { exprs, render: (scope) => only.evaluate(scope) };
  }
  return {
    exprs,
    render(scope) {
      let out = '';
      let at = 0;
      holes.forEach((h, k) => {
        const v = exprs[k].evaluate(scope);
        out += text.slice(at, h.start) + (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
        at = h.end;
      });
      return bounded(out + text.slice(at), 'a text with `${…}`');
    },
  };
}

/**
 * Compiles any YAML value: strings with placeholders become templates; objects and arrays are walked.
 * Values with no placeholder anywhere render as themselves at no cost.
 */
export function compileTemplate(value: unknown): Template {
  const exprs: Expr[] = [];
  const build = (v: unknown): ((scope: Scope) => unknown) => {
    if (typeof v === 'string') {
      const t = compileString(v);
      if (typeof t === 'string') return () => t;
      exprs.push(...t.exprs);
      return t.render;
    }
    if (Array.isArray(v)) {
      const items = v.map(build);
      return (scope) => items.map((f) => f(scope));
    }
    if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v).map(([k, x]) => [k, build(x)] as const);
      return (scope) => Object.fromEntries(entries.map(([k, f]) => [k, f(scope)]));
    }
    return () => v;
  };
  const render = build(value);
  return { exprs, render };
}

/** A bare expression, or one `${…}` around it (what `if` and `forEach` accept). */
export function compileBareOrTemplate(text: string): Expr {
  const trimmed = text.trim();
  if (trimmed.startsWith('${') && trimmed.endsWith('}')) {
    const holes = findPlaceholders(trimmed);
    if (holes.length === 1 && holes[0].end === trimmed.length) {
      try {
        return compileExpr(holes[0].source);
      } catch (err) {
        if (err instanceof ExprSyntaxError) throw new TemplateSyntaxError(err.message, text.indexOf('${') + 2 + err.index, err.hint);
        throw err;
      }
    }
  }
  return compileExpr(text);
}

/**
 * Bruno's `assert { res.body.id: isDefined }` table → notebook checks. Each operator has one
 * expression with Bruno's meaning; where the expression language reads a missing field as null
 * (isNull / isUndefined / isDefined), a field of an object is tested with `contains(parent,
 * 'name')` so "absent" and "null" stay apart as in Bruno.
 */
import { quote, quotePattern } from '../js.js';
import type { DraftStep, Kept } from '../draft.js';
import type { BruPair } from './parse.js';

export interface AssertNames {
  request(name: string): string;
}

const UNARY = new Set(['isEmpty', 'isNull', 'isUndefined', 'isDefined', 'isTruthy', 'isFalsy', 'isJson', 'isNumber', 'isString', 'isBoolean', 'isArray']);
const BINARY = new Set(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'notIn', 'contains', 'notContains', 'length', 'matches', 'notMatches', 'startsWith', 'endsWith', 'between']);

/** Adds each enabled assertion to the step; returns those with no translation. */
export function assertsInto(pairs: BruPair[], step: DraftStep, names: AssertNames): Kept[] {
  const kept: Kept[] = [];
  for (const p of pairs) {
    if (!p.enabled) continue;
    const expr = translate(p, names);
    if (typeof expr !== 'string') {
      kept.push({ line: p.line, why: expr.why, source: `${p.key}: ${p.value}` });
      continue;
    }
    const status = /^status == (\d{3})$/.exec(expr);
    if (status && step.expect?.status === undefined) step.expect = { ...step.expect, status: Number(status[1]) };
    else (step.assert ??= []).push({ expr, note: `${p.key}: ${p.value}` });
  }
  return kept;
}

function translate(p: BruPair, names: AssertNames): string | { why: string } {
  const subject = subjectOf(p.key);
  if (subject === undefined) return { why: `the assertion's subject \`${p.key}\` is not a plain read of res.status, res.body or res.headers` };
  const m = /^(\w+)(?:\s+([\s\S]*))?$/.exec(p.value);
  let op = m?.[1] ?? '';
  let arg = m?.[2]?.trim() ?? '';
  if (!UNARY.has(op) && !BINARY.has(op)) {
    op = 'eq';
    arg = p.value;
  }
  const v = () => valueOf(arg, names);
  const L = subject.expr;
  switch (op) {
    case 'eq': return `${L} == ${v()}`;
    case 'neq': return `${L} != ${v()}`;
    case 'gt': return `${L} > ${v()}`;
    case 'gte': return `${L} >= ${v()}`;
    case 'lt': return `${L} < ${v()}`;
    case 'lte': return `${L} <= ${v()}`;
    case 'in': return `contains(${listOf(arg, names)}, ${L})`;
    case 'notIn': return `!contains(${listOf(arg, names)}, ${L})`;
    case 'contains': return `contains(${L}, ${v()})`;
    case 'notContains': return `!contains(${L}, ${v()})`;
    case 'length': return `length(${L}) == ${v()}`;
    case 'matches': return `matches(${L}, ${quotePattern(unquoted(arg))})`;
    case 'notMatches': return `!matches(${L}, ${quotePattern(unquoted(arg))})`;
    case 'startsWith': return `startsWith(${L}, ${v()})`;
    case 'endsWith': return `endsWith(${L}, ${v()})`;
    case 'between': {
      const [lo, hi] = arg.split(',').map((s) => valueOf(s.trim(), names));
      if (lo === undefined || hi === undefined) return { why: '`between` takes two values, `between 1, 10`' };
      return `${L} >= ${lo} && ${L} <= ${hi}`;
    }
    case 'isEmpty': return `length(${L}) == 0`;
    case 'isNull': return subject.parent ? `contains(${subject.parent}, ${quote(subject.field!)}) && ${L} == null` : `${L} == null`;
    case 'isUndefined': return subject.parent ? `!contains(${subject.parent}, ${quote(subject.field!)})` : `${L} == null`;
    case 'isDefined': return subject.parent ? `contains(${subject.parent}, ${quote(subject.field!)})` : `${L} != null`;
    case 'isTruthy': return `!!${wrap(L)}`;
    case 'isFalsy': return `!${wrap(L)}`;
    case 'isJson': return `(${L} != string(${L}) && (startsWith(string(${L}), '{') || startsWith(string(${L}), '[')))`;
    // A number is the only value equal to number(string(x)); `x != null` keeps null out.
    case 'isNumber': return `(${L} != null && ${L} != string(${L}) && ${L} == number(string(${L})))`;
    case 'isString': return `${L} == string(${L})`;
    case 'isBoolean': return `(${L} == true || ${L} == false)`;
    case 'isArray': return `(${L} != string(${L}) && startsWith(string(${L}), '['))`;
  }
  return { why: `the operator \`${op}\` is not translated` };
}

interface Subject {
  expr: string;
  parent?: string;
  field?: string;
}

/** `res.status`, `res.body.a[0].b`, `res.headers['x-id']`, `res.getStatus()` → status, body.a[0].b, headers['x-id']. */
export function subjectOf(key: string): Subject | undefined {
  const k = key.trim().replace(/^res\.getStatus\(\)/, 'res.status').replace(/^res\.getBody\(\)/, 'res.body').replace(/^res\.getHeaders\(\)/, 'res.headers');
  const m = /^res\.(status|body|headers|responseTime)((?:\.[A-Za-z_$][\w$]*|\[\d+\]|\['[^'\\]*'\]|\["[^"\\]*"\])*)$/.exec(k);
  if (!m || m[1] === 'responseTime') {
    const header = /^res\.getHeader\(['"]([^'"]+)['"]\)$/.exec(k);
    return header ? { expr: `headers[${quote(header[1]!.toLowerCase())}]` } : undefined;
  }
  const root = m[1]!;
  const path = m[2]!.replace(/\["([^"]*)"\]/g, "['$1']");
  const steps = [...path.matchAll(/\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\['([^']*)'\]/g)];
  if (steps.some((s) => ['__proto__', 'constructor', 'prototype'].includes(s[1] ?? s[3] ?? ''))) return undefined;
  const render = (list: RegExpMatchArray[]) => root + list.map((s) => (s[1] ? `.${s[1]}` : s[2] ? `[${s[2]}]` : `[${quote(root === 'headers' ? s[3]!.toLowerCase() : s[3]!)}]`)).join('');
  const last = steps[steps.length - 1];
  const expr = render(steps);
  if (!last || last[2]) return { expr };
  return { expr, parent: render(steps.slice(0, -1)), field: last[1] ?? last[3] };
}

/** Bruno's right-hand side: a number, true/false/null/undefined, a quoted string, `{{var}}`, or bare text. */
function valueOf(text: string, names: AssertNames): string {
  const t = text.trim();
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(t) && Number.isSafeInteger(Math.trunc(Number(t)))) return t;
  if (t === 'true' || t === 'false' || t === 'null') return t;
  if (t === 'undefined') return 'null';
  const whole = /^\{\{\s*([^{}]+?)\s*\}\}$/.exec(t);
  if (whole) return names.request(whole[1]!);
  const q = /^(['"])([\s\S]*)\1$/.exec(t);
  return quote(q ? q[2]! : t);
}

function unquoted(text: string): string {
  const t = text.trim();
  const q = /^(['"])([\s\S]*)\1$/.exec(t) ?? /^\/([\s\S]*)\/$/.exec(t);
  return q ? q[q.length - 1]! : t;
}

function listOf(text: string, names: AssertNames): string {
  const t = text.trim().replace(/^\[|\]$/g, '');
  return `[${t.split(',').map((s) => valueOf(s, names)).join(', ')}]`;
}

function wrap(e: string): string {
  return /^[\w.[\]']+$/.test(e) ? e : `(${e})`;
}

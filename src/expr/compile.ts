/**
 * Expressions: parsed once by jsep (a kept parser), evaluated by the small interpreter below.
 * The interpreter only reads own properties of plain data and calls the functions in FUNCTIONS,
 * so an expression cannot reach the process, files, prototypes or JavaScript globals.
 */
import jsep from 'jsep';
import { nextTokenOffset, propertyOffset, unclosedBracket } from './positions.js';
import { ARITY, BUILDERS, FUNCTIONS, PATTERN_ARGUMENT, XPATH_ARGUMENT, deepEqual, describeType } from './functions.js';
import { bounded, checkPlannedLength, ValueLimitError } from './limits.js';
import { loadMarkup, xpathProblem } from './markup.js';
import { memoByText } from './memo.js';
import { patternProblem, PatternError } from './pattern.js';

/**
 * Bounds on one expression, so a hostile notebook cannot make the parser or the interpreter
 * (both recursive) run out of stack: characters, and levels of sub-expressions (`a + b + c` is
 * as deep as it has terms). Real asserts are a few dozen characters and a handful of levels.
 */
export const EXPR_LIMITS = { chars: 4_000, depth: 256 } as const;

export type Scope = (name: string) => { found: boolean; value: unknown };

export interface Expr {
  readonly source: string;
  /** Names the expression reads (not function names), for the loader's "defined before use" check. */
  readonly names: readonly string[];
  /** Data files named by `data('…')` (as written), read by the loader before anything runs. */
  readonly dataFiles: readonly string[];
  evaluate(scope: Scope): unknown;
  /** For a failed assert: the operands of a top-level comparison, evaluated. */
  explain(scope: Scope): Record<string, unknown> | undefined;
}

export class ExprSyntaxError extends Error {
  constructor(message: string, readonly index: number, readonly hint?: string) {
    super(message);
  }
}

export class ExprRuntimeError extends Error {}

const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);
const ALLOWED_UNARY = new Set(['!', '-', '+']);

type Node = jsep.Expression;

/**
 * Where each parsed expression ends (jsep keeps no positions; its `after-expression` hook runs
 * with the parser at that point). Read only to place "two expressions side by side".
 */
const expressionEnds = new WeakMap<object, number>();
jsep.hooks.add('after-expression', function (this: { index: number }, env: { node?: jsep.Expression | false }) {
  if (env.node) expressionEnds.set(env.node, this.index);
});

/**
 * Compiled expressions by source. Notebooks repeat the same few (`body.id` is captured in most
 * steps of a long notebook), and a compiled expression holds no state, so one is shared.
 */
export const compileExpr: (source: string) => Expr = memoByText(compileExprUncached);

function compileExprUncached(source: string): Expr {
  if (source.length > EXPR_LIMITS.chars) {
    throw new ExprSyntaxError(`the expression is ${source.length.toLocaleString('en')} characters long; the limit is ${EXPR_LIMITS.chars.toLocaleString('en')}`, 0);
  }
  let ast: Node;
  try {
    ast = jsep(source);
  } catch (err) {
    if (err instanceof RangeError) throw new ExprSyntaxError(`the expression nests more than ${EXPR_LIMITS.depth} levels deep`, 0);
    const e = err as Error & { index?: number; description?: string };
    // Run out of text with a bracket open: the place to fix is where it opens, not the end.
    const open = (e.index ?? 0) >= source.trimEnd().length ? unclosedBracket(source) : undefined;
    if (open) throw new ExprSyntaxError(`\`${open.open}\` is never closed with \`${open.close}\``, open.index, `close it with \`${open.close}\``);
    throw new ExprSyntaxError(e.description ?? e.message, e.index ?? 0);
  }
  const names = new Set<string>();
  const dataFiles = new Set<string>();
  validate(ast, names, source, 0, dataFiles);
  // Frozen: one compiled expression is shared by every step that writes it.
  return Object.freeze({
    source,
    names: Object.freeze([...names]),
    dataFiles: Object.freeze([...dataFiles]),
    evaluate: (scope: Scope) => evaluate(ast, scope),
    explain: (scope: Scope) => explain(ast, scope),
  });
}

/** Where `fn(` is written, for errors about a call (jsep keeps no positions). */
function callIndex(source: string, fn: string): number {
  return Math.max(0, source.search(new RegExp(`\\b${fn}\\s*\\(`)));
}

function validate(node: Node, names: Set<string>, source: string, depth: number, dataFiles: Set<string>): void {
  if (depth > EXPR_LIMITS.depth) throw new ExprSyntaxError(`the expression nests more than ${EXPR_LIMITS.depth} levels deep`, 0);
  const sub = (n: Node) => validate(n, names, source, depth + 1, dataFiles);
  switch (node.type) {
    case 'Literal':
      if ((node as jsep.Literal).value instanceof RegExp) throw new ExprSyntaxError('regular expression literals are not supported; use matches(text, "pattern")', 0);
      return;
    case 'Identifier':
      names.add((node as jsep.Identifier).name);
      return;
    case 'MemberExpression': {
      const m = node as jsep.MemberExpression;
      sub(m.object);
      if (m.computed) sub(m.property);
      else if (FORBIDDEN_KEYS.has((m.property as jsep.Identifier).name)) {
        const name = (m.property as jsep.Identifier).name;
        throw new ExprSyntaxError(`property \`${name}\` is not accessible`, Math.max(0, propertyOffset(source, name)));
      }
      return;
    }
    case 'CallExpression': {
      const c = node as jsep.CallExpression;
      if (c.callee.type !== 'Identifier') throw new ExprSyntaxError('only the built-in functions can be called, by name (e.g. length(body.data))', 0);
      const fn = (c.callee as jsep.Identifier).name;
      if (!Object.hasOwn(FUNCTIONS, fn)) throw new ExprSyntaxError(`unknown function \`${fn}\`; the functions are: ${Object.keys(FUNCTIONS).join(', ')}`, callIndex(source, fn));
      const [min, max] = ARITY[fn];
      const n = c.arguments.length;
      if (n < min || n > max) {
        const wanted = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
        throw new ExprSyntaxError(`\`${fn}()\` takes ${wanted} argument${wanted === '1' ? '' : 's'}, not ${n}`, callIndex(source, fn));
      }
      if (fn === 'data') dataFiles.add(dataFileArgument(c.arguments[0], source));
      if (Object.hasOwn(PATTERN_ARGUMENT, fn)) checkRegexArgument(c.arguments[PATTERN_ARGUMENT[fn]], source, fn);
      if (Object.hasOwn(XPATH_ARGUMENT, fn)) {
        loadMarkup();
        checkXPathArgument(c.arguments[XPATH_ARGUMENT[fn]], source, fn);
      }
      c.arguments.forEach(sub);
      return;
    }
    case 'UnaryExpression': {
      const u = node as jsep.UnaryExpression;
      if (!ALLOWED_UNARY.has(u.operator)) throw new ExprSyntaxError(`operator \`${u.operator}\` is not supported`, 0);
      sub(u.argument);
      return;
    }
    case 'BinaryExpression': {
      const b = node as jsep.BinaryExpression;
      if (!(b.operator in BINARY)) throw new ExprSyntaxError(`operator \`${b.operator}\` is not supported`, 0);
      sub(b.left);
      sub(b.right);
      return;
    }
    case 'ConditionalExpression': {
      const c = node as jsep.ConditionalExpression;
      [c.test, c.consequent, c.alternate].forEach(sub);
      return;
    }
    case 'ArrayExpression':
      (node as jsep.ArrayExpression).elements.forEach((e) => e && sub(e));
      return;
    case 'Compound': {
      // At the second expression, where an operator is missing (its first one's end, from the hook below).
      const end = expressionEnds.get((node as jsep.Compound).body[0]);
      throw new ExprSyntaxError('two expressions side by side; join them with an operator such as && or ==', end === undefined ? 0 : nextTokenOffset(source, end));
    }
    default:
      throw new ExprSyntaxError(`${node.type} is not supported in expressions`, 0);
  }
}

/** `data('cases.csv')`: the file is read when the notebook loads, so its name is written as text. */
function dataFileArgument(arg: Node | undefined, source: string): string {
  if (arg?.type === 'Literal' && typeof (arg as jsep.Literal).value === 'string' && (arg as jsep.Literal).value !== '') return (arg as jsep.Literal).value as string;
  throw new ExprSyntaxError('`data()` takes the data file\'s name as quoted text', callIndex(source, 'data'), "e.g. data('cases.csv'): a .csv, .json or .yaml file, relative to the notebook, read when it loads");
}

/**
 * A pattern written as a literal is compiled now (on RE2, as it will run), so a typo in it, or a
 * construct RE2 does not have, is found before anything is sent.
 */
function checkRegexArgument(arg: Node | undefined, source: string, fn: string): void {
  if (arg?.type !== 'Literal' || typeof (arg as jsep.Literal).value !== 'string') return;
  const problem = patternProblem((arg as jsep.Literal).value as string);
  if (problem) throw new ExprSyntaxError(problem.message, callIndex(source, fn), problem.hint);
}

/** An XPath written as a literal is parsed now, likewise. */
function checkXPathArgument(arg: Node | undefined, source: string, fn: string): void {
  if (arg?.type !== 'Literal' || typeof (arg as jsep.Literal).value !== 'string') return;
  const problem = xpathProblem((arg as jsep.Literal).value as string);
  if (problem) throw new ExprSyntaxError(problem, callIndex(source, fn), 'XPath 1.0, e.g. //item/title, //a/@href, count(//item) or //*[local-name()="Body"]');
}

/**
 * Why `pattern` (with `flags`) cannot be used, or undefined when it can. Patterns run on RE2
 * (./pattern.ts); the reason is worded without the pattern (the caller quotes it).
 */
export function regexProblem(pattern: string, flags = ''): string | undefined {
  const problem = patternProblem(pattern, flags);
  return problem?.message.replace(/^invalid regular expression (".*"…?: )?/s, '');
}

const compare = (op: string) => (a: unknown, b: unknown) => {
  if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) {
    throw new ExprRuntimeError(`cannot compare ${describeType(a)} ${op} ${describeType(b)}`);
  }
  switch (op) {
    case '<': return (a as number) < (b as number);
    case '>': return (a as number) > (b as number);
    case '<=': return (a as number) <= (b as number);
    default: return (a as number) >= (b as number);
  }
};

const arithmetic = (op: string) => (a: unknown, b: unknown) => {
  if (op === '+' && (typeof a === 'string' || typeof b === 'string')) {
    const left = `${a ?? ''}`;
    const right = `${b ?? ''}`;
    checkPlannedLength('string', left.length + right.length, '`+`');
    return left + right;
  }
  if (typeof a !== 'number' || typeof b !== 'number') throw new ExprRuntimeError(`cannot compute ${describeType(a)} ${op} ${describeType(b)}`);
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    default: return a % b;
  }
};

const BINARY: Record<string, (a: unknown, b: unknown) => unknown> = {
  '==': deepEqual,
  '===': deepEqual,
  '!=': (a, b) => !deepEqual(a, b),
  '!==': (a, b) => !deepEqual(a, b),
  '<': compare('<'),
  '>': compare('>'),
  '<=': compare('<='),
  '>=': compare('>='),
  '+': arithmetic('+'),
  '-': arithmetic('-'),
  '*': arithmetic('*'),
  '/': arithmetic('/'),
  '%': arithmetic('%'),
};

function member(object: unknown, key: unknown): unknown {
  // Reading a field of nothing gives nothing, as optional chaining would: `body.data[0].id`
  // on an empty list is then a failed comparison with its operands shown, not a crash.
  // Every miss is `null` (never JavaScript's undefined), as the docs promise.
  if (object === null || object === undefined) return null;
  const k = typeof key === 'number' ? key : String(key);
  if (typeof k === 'string' && FORBIDDEN_KEYS.has(k)) return null;
  if ((typeof object === 'string' || Array.isArray(object)) && k === 'length') return object.length;
  if (object instanceof Uint8Array) return k === 'length' ? object.byteLength : typeof k === 'number' ? (object[k < 0 ? object.length + k : k] ?? null) : null;
  if (typeof object !== 'object') return null;
  if (Array.isArray(object) && typeof k === 'number' && k < 0) return object[object.length + k] ?? null;
  return Object.hasOwn(object, k) ? ((object as Record<string | number, unknown>)[k] ?? null) : null;
}

function evaluate(node: Node, scope: Scope): unknown {
  switch (node.type) {
    case 'Literal':
      return (node as jsep.Literal).value;
    case 'Identifier': {
      const name = (node as jsep.Identifier).name;
      if (name === 'undefined') return undefined;
      const hit = scope(name);
      if (!hit.found) throw new ExprRuntimeError(`\`${name}\` is not defined`);
      return hit.value;
    }
    case 'MemberExpression': {
      const m = node as jsep.MemberExpression;
      const object = evaluate(m.object, scope);
      const key = m.computed ? evaluate(m.property, scope) : (m.property as jsep.Identifier).name;
      return member(object, key);
    }
    case 'CallExpression': {
      const c = node as jsep.CallExpression;
      const name = (c.callee as jsep.Identifier).name;
      const fn = FUNCTIONS[name];
      const args = c.arguments.map((a) => evaluate(a, scope));
      try {
        // The scope is `this`: headerValues() reads the step's response through it.
        const value = fn.apply(scope, args);
        return BUILDERS.has(name) ? bounded(value, `${name}()`) : value;
      } catch (err) {
        if (err instanceof ValueLimitError) throw err;
        if (err instanceof PatternError) throw new ExprRuntimeError(`${err.message} (${err.hint})`);
        if (err instanceof RangeError) throw new ExprRuntimeError(`${name}(): the value is too large or too deep (${err.message})`);
        throw new ExprRuntimeError((err as Error).message);
      }
    }
    case 'UnaryExpression': {
      const u = node as jsep.UnaryExpression;
      const v = evaluate(u.argument, scope);
      if (u.operator === '!') return !truthy(v);
      return u.operator === '-' ? -Number(v) : Number(v);
    }
    case 'BinaryExpression': {
      const b = node as jsep.BinaryExpression;
      if (b.operator === '&&') return truthy(evaluate(b.left, scope)) ? evaluate(b.right, scope) : false;
      if (b.operator === '||') {
        const left = evaluate(b.left, scope);
        return truthy(left) ? left : evaluate(b.right, scope);
      }
      return BINARY[b.operator](evaluate(b.left, scope), evaluate(b.right, scope));
    }
    case 'ConditionalExpression': {
      const c = node as jsep.ConditionalExpression;
      return truthy(evaluate(c.test, scope)) ? evaluate(c.consequent, scope) : evaluate(c.alternate, scope);
    }
    case 'ArrayExpression':
      return bounded((node as jsep.ArrayExpression).elements.map((e) => (e ? evaluate(e, scope) : null)), 'a list `[…]`');
    default:
      throw new ExprRuntimeError(`${node.type} is not supported`);
  }
}

// jsep gives && and || as binary operators; they need short-circuiting, so they are handled above.
BINARY['&&'] = () => undefined;
BINARY['||'] = () => undefined;

export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}

function explain(node: Node, scope: Scope): Record<string, unknown> | undefined {
  const safe = (n: Node) => {
    try {
      return evaluate(n, scope);
    } catch (err) {
      return `<${(err as Error).message}>`;
    }
  };
  if (node.type === 'BinaryExpression') {
    const b = node as jsep.BinaryExpression;
    return { left: safe(b.left), operator: b.operator, right: safe(b.right) };
  }
  if (node.type === 'UnaryExpression' && (node as jsep.UnaryExpression).operator === '!') {
    return { operand: safe((node as jsep.UnaryExpression).argument) };
  }
  if (node.type === 'CallExpression') {
    return { arguments: (node as jsep.CallExpression).arguments.map(safe) };
  }
  return { value: safe(node) };
}

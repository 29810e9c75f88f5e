/**
 * Expressions: parsed once by jsep (a kept parser), evaluated by the small interpreter below.
 * The interpreter only reads own properties of plain data and calls the functions in FUNCTIONS,
 * so an expression cannot reach the process, files, prototypes or JavaScript globals.
 */
import jsep from 'jsep';
import { FUNCTIONS, deepEqual, describeType } from './functions.js';

export type Scope = (name: string) => { found: boolean; value: unknown };

export interface Expr {
  readonly source: string;
  /** Names the expression reads (not function names), for the loader's "defined before use" check. */
  readonly names: readonly string[];
  evaluate(scope: Scope): unknown;
  /** For a failed assert: the operands of a top-level comparison, evaluated. */
  explain(scope: Scope): Record<string, unknown> | undefined;
}

export class ExprSyntaxError extends Error {
  constructor(message: string, readonly index: number) {
    super(message);
  }
}

export class ExprRuntimeError extends Error {}

const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);
const ALLOWED_UNARY = new Set(['!', '-', '+']);

type Node = jsep.Expression;

export function compileExpr(source: string): Expr {
  let ast: Node;
  try {
    ast = jsep(source);
  } catch (err) {
    const e = err as Error & { index?: number; description?: string };
    throw new ExprSyntaxError(e.description ?? e.message, e.index ?? 0);
  }
  const names = new Set<string>();
  validate(ast, names);
  return {
    source,
    names: [...names],
    evaluate: (scope) => evaluate(ast, scope),
    explain: (scope) => explain(ast, scope),
  };
}

function validate(node: Node, names: Set<string>): void {
  switch (node.type) {
    case 'Literal':
      if ((node as jsep.Literal).value instanceof RegExp) throw new ExprSyntaxError('regular expression literals are not supported; use matches(text, "pattern")', 0);
      return;
    case 'Identifier':
      names.add((node as jsep.Identifier).name);
      return;
    case 'MemberExpression': {
      const m = node as jsep.MemberExpression;
      validate(m.object, names);
      if (m.computed) validate(m.property, names);
      else if (FORBIDDEN_KEYS.has((m.property as jsep.Identifier).name)) throw new ExprSyntaxError(`property \`${(m.property as jsep.Identifier).name}\` is not accessible`, 0);
      return;
    }
    case 'CallExpression': {
      const c = node as jsep.CallExpression;
      if (c.callee.type !== 'Identifier') throw new ExprSyntaxError('only the built-in functions can be called, by name (e.g. length(body.data))', 0);
      const fn = (c.callee as jsep.Identifier).name;
      if (!Object.hasOwn(FUNCTIONS, fn)) throw new ExprSyntaxError(`unknown function \`${fn}\`; the functions are: ${Object.keys(FUNCTIONS).join(', ')}`, 0);
      c.arguments.forEach((a) => validate(a, names));
      return;
    }
    case 'UnaryExpression': {
      const u = node as jsep.UnaryExpression;
      if (!ALLOWED_UNARY.has(u.operator)) throw new ExprSyntaxError(`operator \`${u.operator}\` is not supported`, 0);
      validate(u.argument, names);
      return;
    }
    case 'BinaryExpression': {
      const b = node as jsep.BinaryExpression;
      if (!(b.operator in BINARY)) throw new ExprSyntaxError(`operator \`${b.operator}\` is not supported`, 0);
      validate(b.left, names);
      validate(b.right, names);
      return;
    }
    case 'ConditionalExpression': {
      const c = node as jsep.ConditionalExpression;
      [c.test, c.consequent, c.alternate].forEach((n) => validate(n, names));
      return;
    }
    case 'ArrayExpression':
      (node as jsep.ArrayExpression).elements.forEach((e) => e && validate(e, names));
      return;
    case 'Compound':
      throw new ExprSyntaxError('two expressions side by side; join them with an operator such as && or ==', 0);
    default:
      throw new ExprSyntaxError(`${node.type} is not supported in expressions`, 0);
  }
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
  if (op === '+' && (typeof a === 'string' || typeof b === 'string')) return `${a ?? ''}${b ?? ''}`;
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
  if (object === null || object === undefined) return undefined;
  const k = typeof key === 'number' ? key : String(key);
  if (typeof k === 'string' && FORBIDDEN_KEYS.has(k)) return undefined;
  if ((typeof object === 'string' || Array.isArray(object)) && k === 'length') return object.length;
  if (typeof object !== 'object') return undefined;
  if (Array.isArray(object) && typeof k === 'number' && k < 0) return object[object.length + k];
  return Object.hasOwn(object, k) ? (object as Record<string | number, unknown>)[k] : undefined;
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
      const fn = FUNCTIONS[(c.callee as jsep.Identifier).name];
      try {
        return fn(...c.arguments.map((a) => evaluate(a, scope)));
      } catch (err) {
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
      return (node as jsep.ArrayExpression).elements.map((e) => (e ? evaluate(e, scope) : null));
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

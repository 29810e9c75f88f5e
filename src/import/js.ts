/**
 * JavaScript expressions (from MuleSoft cells and Postman scripts, parsed by acorn) → notebook
 * expressions. Only what has the same meaning in both is translated; anything else is an
 * Untranslatable with the reason, so the importer can keep the source beside its step.
 */
import { PROTOTYPE_KEYS } from './dict.js';
import { parse, type Node } from 'acorn';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type JsNode = any;

export class Untranslatable extends Error {}

export interface ExprContext {
  /** Local JavaScript names standing for notebook expressions (`var user = json.user`). */
  aliases: Map<string, string>;
  /** A name that is not local: the notebook name it means, or undefined when unknown. */
  name(id: string): string | undefined;
  /** A hook for the source's own idioms (`pm.response.code`, `resp.body`); undefined to go on. */
  special?(node: JsNode, ctx: ExprContext): string | undefined;
}

export function parseScript(source: string): JsNode {
  return parse(source, { ecmaVersion: 'latest', sourceType: 'script', locations: true, allowReturnOutsideFunction: true }) as Node;
}

/** Text of a node in its source. */
export function sourceOf(source: string, node: JsNode): string {
  return source.slice(node.start, node.end);
}

/** A regular expression's source as an expression string: in double quotes, so the notebook can show it in single-quoted YAML. */
export function quotePattern(pattern: string): string {
  return `"${pattern.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

const COMPARE: Record<string, string> = { '===': '==', '==': '==', '!==': '!=', '!=': '!=', '<': '<', '>': '>', '<=': '<=', '>=': '>=' };
const ARITH = new Set(['+', '-', '*', '/', '%']);

export function toExpr(node: JsNode, ctx: ExprContext): string {
  const special = ctx.special?.(node, ctx);
  if (special !== undefined) return special;
  switch (node.type) {
    case 'Literal':
      if (node.regex) throw new Untranslatable('a regular expression outside `.test()`');
      if (typeof node.value === 'string') return quote(node.value);
      return JSON.stringify(node.value);
    case 'TemplateLiteral':
      return templateLiteral(node, ctx);
    case 'Identifier': {
      if (node.name === 'undefined') return 'null';
      const alias = ctx.aliases.get(node.name);
      if (alias !== undefined) return alias;
      const known = ctx.name(node.name);
      if (known !== undefined) return known;
      throw new Untranslatable(`\`${node.name}\` is not known here`);
    }
    case 'MemberExpression':
      return member(node, ctx);
    case 'CallExpression':
      return call(node, ctx);
    case 'UnaryExpression':
      if (node.operator === '!') return `!${wrap(node.argument, ctx)}`;
      if (node.operator === '-' && node.argument.type === 'Literal') return `-${toExpr(node.argument, ctx)}`;
      if (node.operator === 'typeof') throw new Untranslatable('`typeof` has no equivalent');
      throw new Untranslatable(`operator \`${node.operator}\``);
    case 'BinaryExpression': {
      const op = COMPARE[node.operator] ?? (ARITH.has(node.operator) ? node.operator : undefined);
      if (!op) throw new Untranslatable(`operator \`${node.operator}\``);
      return `${wrap(node.left, ctx)} ${op} ${wrap(node.right, ctx)}`;
    }
    case 'LogicalExpression': {
      // `x || {}` reads "x, or an empty object so later reads do not crash": notebook reads of a
      // missing field give null instead of crashing, so x alone means the same.
      if (node.operator === '||' && isEmptyLiteral(node.right)) return toExpr(node.left, ctx);
      if (node.operator === '??') throw new Untranslatable('operator `??`');
      return `${wrap(node.left, ctx)} ${node.operator} ${wrap(node.right, ctx)}`;
    }
    case 'ConditionalExpression':
      return `${wrap(node.test, ctx)} ? ${wrap(node.consequent, ctx)} : ${wrap(node.alternate, ctx)}`;
    case 'ArrayExpression':
      return `[${node.elements.map((e: JsNode) => toExpr(e, ctx)).join(', ')}]`;
    default:
      throw new Untranslatable(`${describeNode(node)} has no equivalent in a notebook expression`);
  }
}

function wrap(node: JsNode, ctx: ExprContext): string {
  const text = toExpr(node, ctx);
  return /^(Binary|Logical|Conditional)Expression$/.test(node.type) && !/^[\w.[\]'()]+$/.test(text) ? `(${text})` : text;
}

function isEmptyLiteral(node: JsNode): boolean {
  return (node.type === 'ObjectExpression' && node.properties.length === 0) || (node.type === 'ArrayExpression' && node.elements.length === 0);
}

function member(node: JsNode, ctx: ExprContext): string {
  const object = toExpr(node.object, ctx);
  const name = !node.computed ? node.property.name : node.property.type === 'Literal' ? node.property.value : undefined;
  // Notebook expressions cannot read prototype keys (src/expr), and a check on one is no check of the response.
  if (typeof name === 'string' && PROTOTYPE_KEYS.has(name)) throw new Untranslatable(`the property \`${name}\` cannot be read in a notebook expression`);
  if (!node.computed) return `${object}.${node.property.name}`;
  const p = node.property;
  if (p.type === 'Literal' && typeof p.value === 'number') return `${object}[${p.value}]`;
  if (p.type === 'Literal' && typeof p.value === 'string') return /^[A-Za-z_]\w*$/.test(p.value) ? `${object}.${p.value}` : `${object}[${quote(p.value)}]`;
  return `${object}[${toExpr(p, ctx)}]`;
}

function call(node: JsNode, ctx: ExprContext): string {
  const callee = node.callee;
  const args = node.arguments as JsNode[];
  if (callee.type === 'MemberExpression' && !callee.computed) {
    const method = callee.property.name as string;
    const target = callee.object;
    if (target.type === 'Literal' && target.regex && method === 'test' && args.length === 1) {
      return `matches(${toExpr(args[0], ctx)}, ${quotePattern(target.regex.pattern)})`;
    }
    if (target.type === 'Identifier' && target.name === 'Number' && method === 'isInteger') {
      // Only a number equals its own number(string(x)); `&&` then keeps `%` away from anything else.
      const x = wrap(args[0], ctx);
      return `(${x} == number(string(${x})) && ${x} % 1 == 0)`;
    }
    if (target.type === 'Identifier' && target.name === 'Array' && method === 'isArray') {
      // A list's JSON text starts with `[`; a string is its own text, so it never counts.
      const x = toExpr(args[0], ctx);
      return `(${x} != string(${x}) && startsWith(string(${x}), '['))`;
    }
    if (target.type === 'Identifier' && target.name === 'Object' && method === 'keys') return `keys(${toExpr(args[0], ctx)})`;
    if (target.type === 'Identifier' && target.name === 'JSON') throw new Untranslatable(`JSON.${method}()`);
    const self = () => toExpr(target, ctx);
    switch (method) {
      case 'hasOwnProperty':
        return `contains(${self()}, ${toExpr(args[0], ctx)})`;
      case 'includes':
        return `contains(${self()}, ${toExpr(args[0], ctx)})`;
      case 'startsWith':
      case 'endsWith':
        return `${method}(${self()}, ${toExpr(args[0], ctx)})`;
      case 'toLowerCase':
        return `lower(${self()})`;
      case 'toUpperCase':
        return `upper(${self()})`;
      case 'toString':
        return `string(${self()})`;
    }
  }
  if (callee.type === 'Identifier' && (callee.name === 'parseInt' || callee.name === 'parseFloat' || callee.name === 'Number')) return `number(${toExpr(args[0], ctx)})`;
  if (callee.type === 'Identifier' && callee.name === 'String') return `string(${toExpr(args[0], ctx)})`;
  throw new Untranslatable(`the call \`${describeCallee(callee)}(…)\` has no equivalent`);
}

function templateLiteral(node: JsNode, ctx: ExprContext): string {
  const parts: string[] = [];
  node.quasis.forEach((q: JsNode, i: number) => {
    if (q.value.cooked) parts.push(quote(q.value.cooked));
    if (i < node.expressions.length) parts.push(`string(${toExpr(node.expressions[i], ctx)})`);
  });
  return parts.join(' + ') || "''";
}

export function describeCallee(node: JsNode): string {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'MemberExpression' && !node.computed) return `${describeCallee(node.object)}.${node.property.name}`;
  if (node.type === 'CallExpression') return `${describeCallee(node.callee)}(…)`;
  return '…';
}

function describeNode(node: JsNode): string {
  return node.type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** `a.b.c` of a member chain, or undefined when it is not a plain dotted name. */
export function dotted(node: JsNode): string | undefined {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'MemberExpression' && !node.computed) {
    const left = dotted(node.object);
    return left === undefined ? undefined : `${left}.${node.property.name}`;
  }
  return undefined;
}

/** A JavaScript literal value (objects, arrays, strings, numbers) or undefined when not literal. */
export function literalValue(node: JsNode): { value: unknown } | undefined {
  switch (node.type) {
    case 'Literal':
      return node.regex ? undefined : { value: node.value };
    case 'UnaryExpression':
      if (node.operator === '-' && node.argument.type === 'Literal' && typeof node.argument.value === 'number') return { value: -node.argument.value };
      return undefined;
    default:
      return undefined;
  }
}

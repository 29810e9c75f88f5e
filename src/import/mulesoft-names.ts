/** Small readers and namers for the MuleSoft importer: member paths, step names, form keys. */
import { dict, PROTOTYPE_KEYS } from './dict.js';
import type { JsNode } from './js.js';

export function memberPath(node: JsNode): string[] | undefined {
  if (node.type === 'Identifier') return [node.name];
  if (node.type === 'MemberExpression' && !node.computed) {
    const left = memberPath(node.object);
    return left && [...left, node.property.name];
  }
  if (node.type === 'MemberExpression' && node.property.type === 'Literal') {
    const left = memberPath(node.object);
    return left && [...left, String(node.property.value)];
  }
  return undefined;
}

export function rootName(node: JsNode): string | undefined {
  while (node.type === 'MemberExpression' || node.type === 'CallExpression') node = node.type === 'CallExpression' ? node.callee : node.object;
  return node.type === 'Identifier' ? node.name : undefined;
}

export function objectFields(node: JsNode): Record<string, JsNode> {
  if (node?.type !== 'ObjectExpression') return {};
  return Object.fromEntries(node.properties.map((p: JsNode) => [p.key.type === 'Identifier' ? p.key.name : String(p.key.value), p.value]));
}

export function singular(word: string): string {
  return word.endsWith('ies') ? `${word.slice(0, -3)}y` : word.endsWith('s') ? word.slice(0, -1) : word;
}

/** GET /plans → "List plans", POST /plans/{id} → "Update the plan", DELETE …/discount → "Delete the discount of the customer". */
export function stepName(method: string, segments: Array<{ name: string; param: boolean }>): string {
  const last = segments[segments.length - 1];
  if (!last) return `${method} /`;
  const target = last.param ? singular(segments[segments.length - 2]?.name ?? last.name) : last.name;
  const ownerIndex = segments.length - (last.param ? 3 : 2);
  const owner = ownerIndex >= 0 && segments[ownerIndex + 1]?.param === false && segments[ownerIndex]?.param ? singular(segments[ownerIndex - 1]?.name ?? '') : segments[ownerIndex]?.param ? singular(segments[ownerIndex - 1]?.name ?? '') : '';
  const of = owner ? ` of the ${owner}` : '';
  const plural = !last.param && /s$/.test(last.name);
  switch (method) {
    case 'GET':
      return plural ? `List ${target}${of}` : `Retrieve the ${target}${of}`;
    case 'POST':
      if (!last.param && !plural && owner) return `Post ${target}${of}`;
      return last.param || !plural ? `Update the ${target}${of}` : `Create a ${singular(target)}${of}`;
    case 'DELETE':
      return `Delete the ${target}${of}`;
    default:
      return `${method} the ${target}${of}`;
  }
}

/**
 * {"card[number]": 1} → {card: {number: 1}}. A key naming a prototype key (`__proto__[x]`) stays
 * flat, as written (it is sent the same); a part that is already a value is not walked into.
 */
export function nestBrackets(body: Record<string, unknown>): Record<string, unknown> {
  const out = dict();
  for (const [key, value] of Object.entries(body)) {
    const parts = key.replace(/\]/g, '').split('[');
    if (parts.some((p) => PROTOTYPE_KEYS.has(p))) {
      out[key] = value;
      continue;
    }
    let node: Record<string, unknown> | undefined = out;
    for (const p of parts.slice(0, -1)) {
      const next: unknown = (node[p] ??= dict());
      node = next !== null && typeof next === 'object' && !Array.isArray(next) ? (next as Record<string, unknown>) : undefined;
      if (!node) break;
    }
    if (node) node[parts[parts.length - 1]!] = value;
    else out[key] = value;
  }
  return out;
}

/** `(year() + 1)` → `year() + 1` when the parentheses wrap the whole expression. */
export function unwrap(expr: string): string {
  if (!expr.startsWith('(') || !expr.endsWith(')')) return expr;
  let depth = 0;
  for (let i = 0; i < expr.length; i++) {
    if (expr[i] === '(') depth++;
    else if (expr[i] === ')' && --depth === 0 && i < expr.length - 1) return expr;
  }
  return expr.slice(1, -1);
}

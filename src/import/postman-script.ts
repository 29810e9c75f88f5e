/**
 * A Postman test script → a step's expect.status, body matches, asserts and captures.
 * Statements are read one by one (acorn); `if` blocks become guards on what they contain
 * (`!(guard) || check`), local variables become aliases of the expression they hold.
 */
import { dict, PROTOTYPE_KEYS } from './dict.js';
import type { DraftAssert, DraftStep, Kept } from './draft.js';
import { describeCallee, literalValue, parseScript, quotePattern, sourceOf, toExpr, Untranslatable, type ExprContext, type JsNode } from './js.js';

export interface ScriptNames {
  /** A Postman variable name → its notebook name (recording that the script uses it). */
  use(postmanName: string): string;
  /** A variable the script sets → its notebook name (recording that this step captures it). */
  set(postmanName: string): string;
}

interface Walk {
  step: DraftStep;
  source: string;
  lineOf: (scriptLine: number) => number;
  ctx: ExprContext;
  guards: string[];
  names: ScriptNames;
  note?: string;
  /** Each `tests['name']` set so far, by name: later code reads them back. */
  tests: Map<string, string>;
}

const VARIABLE_SCOPES = new Set(['pm.environment', 'pm.globals', 'pm.collectionVariables', 'pm.variables', 'pm.iterationData']);
const LEGACY_SETTERS = new Set(['postman.setEnvironmentVariable', 'postman.setGlobalVariable']);
const LEGACY_GETTERS = new Set(['postman.getEnvironmentVariable', 'postman.getGlobalVariable']);

/** Translates `source` into `step`; returns what was kept untranslated. */
export function translateTests(source: string, lineOf: (scriptLine: number) => number, step: DraftStep, names: ScriptNames): Kept[] {
  const kept: Kept[] = [];
  let program: JsNode;
  try {
    program = parseScript(source);
  } catch (err) {
    return [{ line: lineOf(1), why: `the script is not valid JavaScript (${(err as Error).message})`, source }];
  }
  const tests = new Map<string, string>();
  const ctx: ExprContext = { aliases: new Map(), name: () => undefined, special: (node, c) => postmanIdiom(node, names, tests, c.aliases) };
  const walk: Walk = { step, source, lineOf, ctx, guards: [], names, tests };
  for (const statement of program.body) statementInto(statement, walk, kept);
  return kept;
}

function statementInto(node: JsNode, w: Walk, kept: Kept[]): void {
  try {
    if (!translateStatement(node, w, kept)) throw new Untranslatable(`${sourceOf(w.source, node).split('\n')[0]!.slice(0, 60)} has no equivalent`);
  } catch (err) {
    if (!(err instanceof Untranslatable)) throw err;
    kept.push({ line: w.lineOf(node.loc.start.line), why: err.message, source: sourceOf(w.source, node) });
  }
}

function translateStatement(node: JsNode, w: Walk, kept: Kept[]): boolean {
  switch (node.type) {
    case 'EmptyStatement':
      return true;
    case 'BlockStatement':
      for (const s of node.body) statementInto(s, w, kept);
      return true;
    case 'VariableDeclaration':
      for (const d of node.declarations) if (d.init) w.ctx.aliases.set(d.id.name, toExpr(d.init, w.ctx));
      return true;
    case 'IfStatement': {
      const guard = toExpr(node.test, w.ctx);
      w.guards.push(guard);
      statementInto(node.consequent, w, kept);
      w.guards.pop();
      if (node.alternate) {
        w.guards.push(`!(${guard})`);
        statementInto(node.alternate, w, kept);
        w.guards.pop();
      }
      return true;
    }
    case 'ExpressionStatement':
      return expressionStatement(node.expression, w, kept);
    default:
      return false;
  }
}

function expressionStatement(e: JsNode, w: Walk, kept: Kept[]): boolean {
  if (e.type === 'AssignmentExpression' && e.operator === '=') {
    const left = e.left;
    if (left.type === 'MemberExpression' && left.object.type === 'Identifier' && left.object.name === 'tests') {
      const note = left.computed && left.property.type === 'Literal' ? String(left.property.value) : left.property.name;
      const expr = toExpr(e.right, w.ctx);
      w.tests.set(note, expr);
      check(expr, w, note);
      return true;
    }
    if (left.type === 'Identifier') {
      w.ctx.aliases.set(left.name, toExpr(e.right, w.ctx));
      return true;
    }
    return false;
  }
  if (e.type === 'MemberExpression') {
    // `pm.expect(x).to.be.true`: a property, not a call, ends the chain.
    const flag = chaiExpectation({ callee: e, arguments: [] }, w);
    if (flag) check(flag, w);
    return flag !== undefined;
  }
  if (e.type !== 'CallExpression') return false;
  const callee = describeCallee(e.callee);
  const args = e.arguments as JsNode[];
  if (callee === 'pm.test' && args.length === 2 && /Function/.test(args[1].type)) {
    const outer = w.note;
    w.note = literalValue(args[0])?.value as string | undefined;
    const body = args[1].body;
    if (body.type === 'BlockStatement') for (const s of body.body) statementInto(s, w, kept);
    else statementInto({ type: 'ExpressionStatement', expression: body, loc: body.loc, start: body.start, end: body.end }, w, kept);
    w.note = outer;
    return true;
  }
  if (callee.startsWith('console.')) return true; // logging has no meaning in a report
  const scope = callee.slice(0, callee.lastIndexOf('.'));
  if ((VARIABLE_SCOPES.has(scope) && callee.endsWith('.set')) || LEGACY_SETTERS.has(callee)) {
    const name = literalValue(args[0])?.value;
    if (typeof name !== 'string') throw new Untranslatable('a variable set under a computed name');
    capture(name, toExpr(args[1], w.ctx), w);
    return true;
  }
  if (callee === 'pm.response.to.have.status' || callee === 'pm.response.to.be.status') {
    check(`status == ${toExpr(args[0], w.ctx)}`, w);
    return true;
  }
  if (callee === 'pm.response.to.have.header') {
    check(`contains(headers, ${quoteLower(args[0], w)})`, w);
    return true;
  }
  const expectation = chaiExpectation(e, w);
  if (expectation) {
    check(expectation, w);
    return true;
  }
  return false;
}

function quoteLower(node: JsNode, w: Walk): string {
  const v = literalValue(node)?.value;
  return typeof v === 'string' ? `'${v.toLowerCase()}'` : `lower(${toExpr(node, w.ctx)})`;
}

/** `pm.expect(A).to.eql(v)`, `.to.equal(v)`, `.to.have.property('x')`, `.to.be.true`, `.to.be.above(n)`… */
function chaiExpectation(e: JsNode, w: Walk): string | undefined {
  const chain: string[] = [];
  let node = e.callee;
  while (node.type === 'MemberExpression' && !node.computed) {
    chain.unshift(node.property.name);
    node = node.object;
  }
  if (node.type !== 'CallExpression' || describeCallee(node.callee) !== 'pm.expect') return undefined;
  const actual = toExpr(node.arguments[0], w.ctx);
  const words = chain.filter((c) => !['to', 'be', 'been', 'is', 'that', 'which', 'and', 'has', 'have', 'with', 'at', 'of', 'same', 'deep'].includes(c));
  const negated = words[0] === 'not';
  const last = words[words.length - 1];
  const arg = e.arguments[0] ? toExpr(e.arguments[0], w.ctx) : undefined;
  let out: string | undefined;
  const flags: Record<string, string> = { true: `${actual} == true`, false: `${actual} == false`, null: `${actual} == null`, undefined: `${actual} == null`, exist: `${actual} != null`, ok: `!!(${actual})`, empty: `length(${actual}) == 0` };
  if (last !== undefined && !e.arguments.length && Object.hasOwn(flags, last)) out = flags[last];
  else if ((last === 'eql' || last === 'equal' || last === 'equals' || last === 'eq') && arg) out = `${actual} == ${arg}`;
  else if (last === 'property' && arg) out = e.arguments[1] ? `${actual}[${arg}] == ${toExpr(e.arguments[1], w.ctx)}` : `contains(${actual}, ${arg})`;
  else if ((last === 'include' || last === 'includes' || last === 'contain' || last === 'contains') && arg) out = `contains(${actual}, ${arg})`;
  else if ((last === 'above' || last === 'greaterThan' || last === 'gt') && arg) out = `${actual} > ${arg}`;
  else if ((last === 'below' || last === 'lessThan' || last === 'lt') && arg) out = `${actual} < ${arg}`;
  else if ((last === 'least' || last === 'gte') && arg) out = `${actual} >= ${arg}`;
  else if ((last === 'most' || last === 'lte') && arg) out = `${actual} <= ${arg}`;
  else if ((last === 'lengthOf' || last === 'length') && arg) out = `length(${actual}) == ${arg}`;
  else if (last === 'oneOf' && arg) out = `contains(${arg}, ${actual})`;
  else if (last === 'match' && e.arguments[0]?.regex) out = `matches(${actual}, ${quotePattern(e.arguments[0].regex.pattern)})`;
  if (out === undefined) throw new Untranslatable(`the expectation \`.${chain.join('.')}(…)\` has no equivalent`);
  return negated ? `!(${out})` : out;
}

/** The members of pm/postman that stand for the response or a variable. */
function postmanIdiom(node: JsNode, names: ScriptNames, tests: Map<string, string>, locals: Map<string, string>): string | undefined {
  if (node.type === 'Identifier') {
    if (node.name === 'responseBody') throw new Untranslatable('`responseBody` (the raw text) has no equivalent; `JSON.parse(responseBody)` does');
    return undefined;
  }
  if (node.type === 'CallExpression') {
    const callee = describeCallee(node.callee);
    if (callee === 'JSON.parse' && node.arguments[0]?.type === 'Identifier' && node.arguments[0].name === 'responseBody') return 'body';
    if (callee === 'pm.response.json') return 'body';
    if (callee === 'pm.response.headers.get' || callee === 'postman.getResponseHeader') {
      const h = literalValue(node.arguments[0])?.value;
      if (typeof h === 'string') return `headers['${h.toLowerCase()}']`;
    }
    const scope = callee.slice(0, callee.lastIndexOf('.'));
    if ((VARIABLE_SCOPES.has(scope) && callee.endsWith('.get')) || LEGACY_GETTERS.has(callee)) {
      const name = literalValue(node.arguments[0])?.value;
      if (typeof name === 'string') return names.use(name);
    }
    return undefined;
  }
  if (node.type === 'MemberExpression') {
    const path = describeCallee(node);
    if (path === 'pm.response.code' || path === 'responseCode.code' || path === 'pm.response.status') return 'status';
    if (path === 'pm.response.responseTime' || path === 'responseTime') throw new Untranslatable('response times are not checked by a step');
    if (node.object.type === 'Identifier' && node.object.name === 'tests' && !locals.has('tests')) {
      const name = node.computed ? literalValue(node.property)?.value : node.property.name;
      const expr = typeof name === 'string' ? tests.get(name) : undefined;
      if (expr === undefined) throw new Untranslatable(`the test \`${String(name)}\` is read before it is set`);
      return `(${expr})`;
    }
    if (node.object.type === 'Identifier' && !locals.has(node.object.name) && (node.object.name === 'environment' || node.object.name === 'globals' || node.object.name === 'data')) {
      const name = node.computed ? literalValue(node.property)?.value : node.property.name;
      if (typeof name === 'string') return names.use(name);
    }
  }
  return undefined;
}

function guarded(expr: string, w: Walk): string {
  const status = w.step.expect?.status;
  const guards = w.guards.filter((g) => !(typeof status === 'number' && g === `status == ${status}`));
  return guards.length ? `${guards.map((g) => negate(g)).join(' || ')} || ${expr}` : expr;
}

function negate(guard: string): string {
  if (guard.startsWith('!(') && guard.endsWith(')')) return guard.slice(2, -1);
  if (/^![\w.[\]']+$/.test(guard)) return guard.slice(1);
  return /^[\w.[\]'()]+$/.test(guard) ? `!${guard}` : `!(${guard})`;
}

/** A check: an unguarded status test is expect.status, a literal body field a body match, else an assert. */
function check(expr: string, w: Walk, note?: string): void {
  const step = w.step;
  const unguarded = w.guards.length === 0;
  const status = /^status == (\d{3})$/.exec(expr);
  if (unguarded && status && step.expect?.status === undefined) {
    step.expect = { ...step.expect, status: Number(status[1]) };
    return;
  }
  const field = /^body((?:\.[A-Za-z_]\w*)+) == ('(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?|true|false|null)$/.exec(expr);
  if (unguarded && field && !field[2]!.includes('\\')) {
    const body = (step.expect = { ...step.expect }).body ?? dict();
    if (setPath(body, field[1]!.slice(1).split('.'), parseLiteral(field[2]!))) {
      step.expect.body = body;
      return;
    }
  }
  const a: DraftAssert = { expr: guarded(expr, w) };
  const name = note ?? w.note;
  if (name) a.note = name;
  (step.assert ??= []).push(a);
}

function capture(postmanName: string, expr: string, w: Walk): void {
  const target = w.names.set(postmanName);
  // A capture under a guard keeps the earlier value when the guard does not hold.
  (w.step.capture ??= {})[target] = w.guards.length ? `${w.guards.join(' && ')} ? ${expr} : ${target}` : expr;
}

function parseLiteral(text: string): unknown {
  if (text.startsWith("'")) return text.slice(1, -1);
  return JSON.parse(text);
}

/** Sets a body field to match; only own fields are walked (never `__proto__`: see dict.ts). */
function setPath(target: Record<string, unknown>, path: string[], value: unknown): boolean {
  if (path.some((key) => PROTOTYPE_KEYS.has(key))) return false;
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = Object.hasOwn(node, key) ? node[key] : undefined;
    if (next === undefined) node = node[key] = dict();
    else if (next !== null && typeof next === 'object' && !Array.isArray(next)) node = next as Record<string, unknown>;
    else return false;
  }
  const last = path[path.length - 1]!;
  if (Object.hasOwn(node, last)) return false;
  node[last] = value;
  return true;
}

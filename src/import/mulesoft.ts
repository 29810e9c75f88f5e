/**
 * MuleSoft API Notebook markdown (front matter, prose, ```javascript cells) → a notebook.
 * Request cells (`client.plans.PLAN_ID(planId).get()`) become steps with path templates, the
 * prose before a cell its doc, `assert.equal(r.status, N)` the status of the step whose response
 * `r` is, `x = r.body.id` a capture on that step, the list-loop-delete idiom forEach + if.
 */import type { DraftNotebook, DraftStep, ImportResult, Kept, Warning } from './draft.js';
import { dict, PROTOTYPE_KEYS } from './dict.js';
import { envName, ImportError, newDraft, newStep, SECRET_NAME, uniqueName } from './draft.js';
import { describeCallee, literalValue, parseScript, sourceOf, toExpr, Untranslatable, type ExprContext, type JsNode } from './js.js';
import { readCells, type Cell } from './mulesoft-cells.js';
import { memberPath, nestBrackets, objectFields, rootName, stepName, unwrap } from './mulesoft-names.js';

export { isMulesoftNotebook } from './mulesoft-cells.js';

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

class Converter {
  readonly draft: DraftNotebook;
  readonly warnings: Warning[] = [];
  private readonly taken = new Set<string>();
  private readonly responses = new Map<string, DraftStep>();
  private readonly helpers = new Map<string, string>();
  private readonly known = new Set<string>();
  private readonly bodies = new Map<DraftStep, Record<string, unknown>>();
  private client = 'client';
  private formKeys = false;
  private cell!: Cell;
  private cellStep: DraftStep | undefined;

  constructor(title: string) {
    this.draft = newDraft(title);
  }

  run(cells: Cell[]): void {
    for (const cell of cells) {
      this.cell = cell;
      this.cellStep = undefined;
      let program: JsNode;
      try {
        program = parseScript(cell.source);
      } catch (err) {
        this.keep(cell.line, `the cell is not valid JavaScript (${(err as Error).message})`, cell.source);
        continue;
      }
      for (const statement of program.body) {
        try {
          this.statement(statement);
        } catch (err) {
          if (!(err instanceof Untranslatable)) throw err;
          this.keep(cell.line + statement.loc.start.line - 1, err.message, sourceOf(cell.source, statement));
        }
      }
    }
    this.finish();
  }

  private line(node: JsNode): number {
    return this.cell.line + node.loc.start.line - 1;
  }

  private keep(line: number, why: string, source: string): void {
    const kept: Kept = { line, why, source };
    const step = this.cellStep ?? this.draft.steps[this.draft.steps.length - 1];
    (step ?? this.draft).kept.push(kept);
    this.warnings.push({ line, message: `${step ? `${step.name}: ` : ''}${why}` });
  }

  private ctx(extra: Record<string, string> = {}): ExprContext {
    return {
      aliases: new Map(Object.entries(extra)),
      name: (id) => (this.known.has(id) ? id : undefined),
      special: (node, ctx) => this.special(node, ctx),
    };
  }

  /** `r.body.x` of an earlier response → a capture on that step; helpers; `new Date()`. */
  private special(node: JsNode, ctx: ExprContext): string | undefined {
    if (node.type === 'NewExpression' && node.callee.name === 'Date' && node.arguments.length === 0) return '__now__';
    if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression' && node.callee.property.name === 'getFullYear') {
      if (toExpr(node.callee.object, ctx) === '__now__') return 'year()';
    }
    if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && this.helpers.has(node.callee.name)) return `(${this.helpers.get(node.callee.name)})`;
    if (node.type === 'MemberExpression') {
      const path = memberPath(node);
      if (path && this.responses.has(path[0]!) && (path[1] === 'body' || path[1] === 'status')) {
        return this.captureFrom(path[0]!, path.slice(1).join('.'));
      }
    }
    return undefined;
  }

  private captureFrom(responseVar: string, expr: string): string {
    const step = this.responses.get(responseVar)!;
    const existing = Object.entries(step.capture ?? {}).find(([, e]) => e === expr);
    if (existing) return existing[0];
    const base = responseVar.replace(/Response$/, '').replace(/(Create|Update|Delete|Retrieve)$/, '');
    const last = expr.split('.').pop()!;
    let name = expr === 'body.data' ? base : `${base}${last[0]!.toUpperCase()}${last.slice(1)}`;
    while (this.known.has(name)) name += '_';
    (step.capture ??= {})[name] = expr;
    this.known.add(name);
    return name;
  }

  private statement(node: JsNode): void {
    if (node.type === 'FunctionDeclaration') return this.helper(node);
    if (node.type === 'ForInStatement') return this.loop(node);
    if (node.type === 'VariableDeclaration') {
      for (const d of node.declarations) {
        if (d.init && describeCallee(d.init) === 'chai.assert') continue; // the notebook's own checks replace chai
        this.assign(d.id.name, d.init);
      }
      return;
    }
    if (node.type !== 'ExpressionStatement') throw new Untranslatable(`a ${node.type} has no equivalent`);
    const e = node.expression;
    if (e.type === 'AssignmentExpression' && e.operator === '=' && e.left.type === 'Identifier') return this.assign(e.left.name, e.right);
    if (e.type === 'CallExpression') return this.call(e, node);
    throw new Untranslatable('this statement has no equivalent');
  }

  private assign(name: string, value: JsNode): void {
    if (PROTOTYPE_KEYS.has(name)) throw new Untranslatable(`\`${name}\` cannot be a notebook name`);
    const literal = value ? literalValue(value) : undefined;
    if (literal) {
      this.draft.vars[name] = { value: literal.value, ...(this.cell.prose ? { comment: this.cell.prose } : {}) };
      this.known.add(name);
      return;
    }
    if (value?.type === 'CallExpression' && describeCallee(value.callee) === 'prompt') {
      const question = String(literalValue(value.arguments[0])?.value ?? `${name}: `);
      const secret = SECRET_NAME.test(name) || /key|secret|password|token/i.test(question);
      this.draft.inputs[name] = { env: envName(name), ...(secret ? { secret: true } : {}), prompt: `${question.trim()} ` };
      this.known.add(name);
      return;
    }
    if (value?.type === 'CallExpression' && this.isRequest(value)) {
      const step = this.request(value);
      this.responses.set(name, step);
      return;
    }
    const path = value ? memberPath(value) : undefined;
    if (path && this.responses.has(path[0]!)) {
      const step = this.responses.get(path[0]!)!;
      (step.capture ??= {})[name] = path.slice(1).join('.');
      this.known.add(name);
      return;
    }
    throw new Untranslatable(`\`${name} = …\` has no equivalent`);
  }

  private call(e: JsNode, node: JsNode): void {
    const callee = describeCallee(e.callee);
    if (callee === 'load') return; // loads chai into the browser page; not needed
    if (callee === 'API.createClient') {
      this.client = String(literalValue(e.arguments[0])?.value ?? 'client');
      const definition = String(literalValue(e.arguments[1])?.value ?? '');
      this.draft.header.push(`The original built its client "${this.client}" from the RAML definition ${definition}.`, `Give the API's base URI (the RAML's baseUri) with --base-url, or set baseUrl: below.`);
      this.warnings.push({ line: this.line(node), message: 'API.createClient: the base URI is in the RAML definition, which is not read; give --base-url or set baseUrl' });
      return;
    }
    if (callee === 'API.authenticate') return this.authenticate(e, node);
    if (callee.startsWith('assert.')) return this.assertion(e, callee.slice(7));
    if (this.isRequest(e)) {
      this.request(e);
      return;
    }
    throw new Untranslatable(`the call \`${callee}(…)\` has no equivalent`);
  }

  private authenticate(e: JsNode, node: JsNode): void {
    const scheme = String(literalValue(e.arguments[1])?.value ?? '');
    const options = objectFields(e.arguments[2]);
    const ref = (key: string) => {
      if (!options[key]) return undefined;
      const literal = literalValue(options[key]);
      return literal ? String(literal.value) : `\${${toExpr(options[key], this.ctx())}}`;
    };
    if (/oauth_?2/i.test(scheme) && options.clientSecret) {
      // The token URL lives in the RAML, which is not read; the secret works as a bearer token
      // with APIs that take their key that way (Stripe among them).
      this.draft.auth = { bearer: ref('clientSecret') };
      const why = `API.authenticate(${scheme}): the OAuth 2.0 token URL is in the RAML definition, so the client secret is sent as a bearer token; for a real client-credentials flow use auth.oauth2 with its tokenUrl`;
      this.draft.kept.push({ line: this.line(node), why, source: sourceOf(this.cell.source, node) });
      this.warnings.push({ line: this.line(node), message: why });
      return;
    }
    if (/basic/i.test(scheme)) {
      this.draft.auth = { basic: { username: ref('username') ?? '', password: ref('password') ?? '' } };
      return;
    }
    throw new Untranslatable(`the security scheme "${scheme}" has no equivalent`);
  }

  /** `assert.equal(r.status, 200)` → expect.status of r's step; other asserts → its asserts. */
  private assertion(e: JsNode, kind: string): void {
    const [a, b] = e.arguments as JsNode[];
    const path = a ? memberPath(a) : undefined;
    const step = path && this.responses.get(path[0]!);
    if (!step) throw new Untranslatable('the assertion names no response of an earlier request');
    const actual = path!.slice(1).join('.');
    const expected = b ? literalValue(b) : undefined;
    if ((kind === 'equal' || kind === 'strictEqual') && actual === 'status' && typeof expected?.value === 'number') {
      step.expect = { ...step.expect, status: expected.value };
      return;
    }
    const right = b ? toExpr(b, this.ctx()) : undefined;
    const ops: Record<string, string> = { equal: '==', strictEqual: '==', deepEqual: '==', notEqual: '!=', isAbove: '>', isBelow: '<' };
    let expr: string | undefined;
    if (ops[kind] && right !== undefined) expr = `${actual} ${ops[kind]} ${right}`;
    else if (kind === 'ok' || kind === 'isTrue') expr = kind === 'ok' ? actual : `${actual} == true`;
    else if (kind === 'isFalse') expr = `${actual} == false`;
    if (!expr) throw new Untranslatable(`assert.${kind} has no equivalent`);
    (step.assert ??= []).push({ expr });
  }

  private isRequest(e: JsNode): boolean {
    return e.callee.type === 'MemberExpression' && METHODS.has(e.callee.property.name) && rootName(e.callee.object) === this.client;
  }

  private request(e: JsNode, loopCtx?: ExprContext): DraftStep {
    const method = e.callee.property.name.toUpperCase();
    const ctx = loopCtx ?? this.ctx();
    const segments = this.segments(e.callee.object, ctx);
    const step = newStep(loopCtx ? stepName(method, segments) : uniqueName(this.taken, stepName(method, segments)));
    if (this.cell.prose) step.doc = this.cell.prose;
    const request: Record<string, unknown> = { method, path: `/${segments.map((s) => s.text).join('/')}` };
    const arg = e.arguments[0];
    if (arg && !(arg.type === 'ObjectExpression' && arg.properties.length === 0)) {
      const value = this.value(arg, ctx) as Record<string, unknown>;
      if (method === 'GET' || method === 'DELETE' || method === 'HEAD') request.query = value;
      else this.bodies.set(step, value);
    }
    step.request = request;
    this.cellStep = step;
    if (!loopCtx) this.draft.steps.push(step);
    return step;
  }

  private segments(node: JsNode, ctx: ExprContext): Array<{ text: string; name: string; param: boolean }> {
    if (node.type === 'Identifier') return [];
    if (node.type === 'MemberExpression' && !node.computed) return [...this.segments(node.object, ctx), { text: node.property.name, name: node.property.name, param: false }];
    if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression') {
      return [...this.segments(node.callee.object, ctx), { text: `\${${toExpr(node.arguments[0], ctx)}}`, name: node.callee.property.name, param: true }];
    }
    throw new Untranslatable('a resource path this importer cannot follow');
  }

  /** A JavaScript value in a request → YAML: literals stay, names become `${name}`. */
  private value(node: JsNode, ctx: ExprContext): unknown {
    if (node.type === 'ObjectExpression') {
      const out: Record<string, unknown> = dict();
      for (const p of node.properties) {
        const key = p.key.type === 'Identifier' ? p.key.name : String(p.key.value);
        if (key.includes('[')) this.formKeys = true;
        out[key] = this.value(p.value, ctx);
      }
      return out;
    }
    if (node.type === 'ArrayExpression') return node.elements.map((el: JsNode) => this.value(el, ctx));
    const literal = literalValue(node);
    if (literal) return literal.value;
    return `\${${unwrap(toExpr(node, ctx))}}`;
  }

  /** A helper such as getNextYear() becomes an expression when its body is one we can read. */
  private helper(node: JsNode): void {
    const aliases: Record<string, string> = {};
    const ctx = this.ctx(aliases);
    for (const s of node.body.body) {
      if (s.type === 'VariableDeclaration') for (const d of s.declarations) ctx.aliases.set(d.id.name, toExpr(d.init, ctx));
      else if (s.type === 'ReturnStatement') {
        this.helpers.set(node.id.name, toExpr(s.argument, ctx));
        return;
      } else throw new Untranslatable(`the helper ${node.id.name}() does more than compute a value`);
    }
    throw new Untranslatable(`the helper ${node.id.name}() returns nothing`);
  }

  /** for (i in r.body.data) { var x = r.body.data[i]; if (cond) { client….delete() } } → forEach + if. */
  private loop(node: JsNode): void {
    const listPath = memberPath(node.right);
    if (!listPath || !this.responses.has(listPath[0]!)) throw new Untranslatable('a loop over something other than an earlier response');
    const list = this.captureFrom(listPath[0]!, listPath.slice(1).join('.'));
    const body = node.body.type === 'BlockStatement' ? node.body.body : [node.body];
    let as = 'item';
    let rest = body;
    const first = body[0];
    if (first?.type === 'VariableDeclaration' && first.declarations[0]?.init?.type === 'MemberExpression' && first.declarations[0].init.computed) {
      as = first.declarations[0].id.name;
      rest = body.slice(1);
    }
    let condition: string | undefined;
    let inner = rest;
    const ctx = this.ctx({ [as]: as });
    if (rest.length === 1 && rest[0].type === 'IfStatement' && !rest[0].alternate) {
      condition = toExpr(rest[0].test, ctx);
      inner = rest[0].consequent.type === 'BlockStatement' ? rest[0].consequent.body : [rest[0].consequent];
    }
    const call = inner.length === 1 && inner[0].type === 'ExpressionStatement' ? inner[0].expression : undefined;
    if (!call || call.type !== 'CallExpression' || !this.isRequest(call)) throw new Untranslatable('a loop whose body is not one request (under an optional if)');
    const step = this.request(call, ctx);
    step.name = uniqueName(this.taken, `${step.name}, for each ${as} listed`);
    step.forEach = `\${${list}}`;
    step.as = as;
    if (condition) step.if = condition;
    this.draft.steps.push(step);
  }

  private finish(): void {
    // Stripe-style bracket keys (card[number]) mean the API reads forms: nest them as a person would.
    const form = this.formKeys;
    if (form) this.draft.defaults = { encoding: 'form' };
    for (const [step, body] of this.bodies) step.request![form ? 'form' : 'json'] = form ? nestBrackets(body) : body;
    const text = JSON.stringify([this.draft.steps, this.draft.auth, this.draft.vars]);
    for (const name of Object.keys(this.draft.inputs)) {
      if (!new RegExp(`\\$\\{[^}]*\\b${name}\\b`).test(text)) delete this.draft.inputs[name];
    }
  }
}

export function importMulesoft(text: string, fileName: string): ImportResult {
  const { front, cells } = readCells(text);
  if (cells.length === 0) throw new ImportError(`${fileName} has no \`\`\`javascript cells`, 1, 'a MuleSoft API Notebook has its requests in ```javascript cells');
  const title = front.title ?? fileName.replace(/\.\w+$/, '');
  const converter = new Converter(title);
  converter.draft.header.push(`Imported by api-notebook from the MuleSoft API Notebook "${title}"${front.site ? ` (${front.site})` : ''}.`);
  converter.run(cells);
  return { notebooks: [{ suggestedName: title, draft: converter.draft }], warnings: converter.warnings, format: `mulesoft${front.apiNotebookVersion ? ` ${front.apiNotebookVersion}` : ''}` };
}

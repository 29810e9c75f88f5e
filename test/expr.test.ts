import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileExpr, compileTemplate, ExprSyntaxError, TemplateSyntaxError, type Scope } from '../src/expr/index.js';

const scopeOf = (values: Record<string, unknown>): Scope => (name) => (Object.hasOwn(values, name) ? { found: true, value: values[name] } : { found: false, value: undefined });
const evaluate = (src: string, values: Record<string, unknown> = {}) => compileExpr(src).evaluate(scopeOf(values));

describe('expressions', () => {
  it('reads names, fields and indexes', () => {
    const body = { data: [{ id: 'a', email: 'x@y' }, { id: 'b' }], has_more: false };
    assert.equal(evaluate('body.data[1].id', { body }), 'b');
    assert.equal(evaluate('body.data[-1].id', { body }), 'b');
    assert.equal(evaluate('body.data.length', { body }), 2);
    // A miss is null everywhere (the docs' promise), never JavaScript's undefined.
    assert.equal(evaluate('body.missing.deeper', { body }), null);
    assert.equal(evaluate('body.data[5]', { body }), null);
    assert.equal(evaluate('body.data[-9]', { body }), null);
    assert.equal(evaluate('string(body.missing)', { body }), 'null');
    assert.equal(evaluate('body.missing == null', { body }), true);
  });

  it('compares, combines and branches', () => {
    assert.equal(evaluate('status == 200 && body.ok', { status: 200, body: { ok: true } }), true);
    assert.equal(evaluate('a != b || !c', { a: 1, b: 1, c: true }), false);
    assert.equal(evaluate('n < 3 ? "small" : "big"', { n: 5 }), 'big');
    assert.equal(evaluate('[1, 2] == list', { list: [1, 2] }), true);
    assert.equal(evaluate('x == null', { x: undefined }), true);
    assert.equal(evaluate('"a" + 1'), 'a1');
  });

  it('calls the built-in functions', () => {
    const data = [{ id: 'c1', email: 'a@x' }, { id: 'c2', email: 'b@x' }, { id: 'c3', email: 'a@x' }];
    assert.deepEqual(evaluate("map(where(data, 'email', 'a@x'), 'id')", { data }), ['c1', 'c3']);
    assert.equal(evaluate('last(data).id', { data }), 'c3');
    assert.equal(evaluate('last(empty)', { empty: [] }), null);
    assert.deepEqual(evaluate('concat(a, b)', { a: [1], b: [2, 3] }), [1, 2, 3]);
    assert.equal(evaluate('year() + 1'), new Date().getUTCFullYear() + 1);
    assert.equal(evaluate("length('four')"), 4);
    assert.equal(evaluate("contains(s, 'ell')", { s: 'hello' }), true);
    assert.equal(evaluate("matches(s, '^h.*o$')", { s: 'hello' }), true);
  });

  it('cannot reach prototypes, globals or the process', () => {
    assert.throws(() => compileExpr('o.constructor'), /not accessible/);
    assert.equal(evaluate("o['__proto__']", { o: {} }), null);
    assert.equal(evaluate("o['toString']", { o: {} }), null);
    assert.throws(() => compileExpr('process.exit(1)'), /only the built-in functions|unknown function/);
    assert.throws(() => compileExpr('eval("1")'), /unknown function `eval`/);
    assert.throws(() => compileExpr('o.constructor.constructor("return process")()'), ExprSyntaxError);
    assert.throws(() => evaluate('globalThis'), /not defined/);
  });

  it('reports syntax errors with their position', () => {
    try {
      compileExpr('a == ');
      assert.fail('should throw');
    } catch (err) {
      assert.ok(err instanceof ExprSyntaxError);
      assert.equal(err.index, 5);
    }
    assert.throws(() => compileExpr('a b'), /two expressions side by side/);
  });

  it('explains the operands of a false comparison', () => {
    const e = compileExpr('body.amount == 777');
    assert.deepEqual(e.explain(scopeOf({ body: { amount: 2000 } })), { left: 2000, operator: '==', right: 777 });
  });

  it('compiles a repeated expression once and shares it safely; a broken one fails every time', () => {
    const first = compileExpr('body.id');
    assert.equal(compileExpr('body.id'), first, 'one compiled expression for every step that writes it');
    assert.ok(Object.isFrozen(first) && Object.isFrozen(first.names), 'nothing can change it for the other steps');
    assert.equal(first.evaluate(scopeOf({ body: { id: 'a' } })), 'a');
    assert.equal(first.evaluate(scopeOf({ body: { id: 'b' } })), 'b');
    for (let k = 0; k < 2; k++) assert.throws(() => compileExpr('a +'), (e: unknown) => e instanceof ExprSyntaxError && e.index === 3);
  });

  it('lists the names an expression reads (for the loader)', () => {
    assert.deepEqual([...compileExpr("where(body.data, 'id', planId)").names].sort(), ['body', 'planId']);
  });
});

describe('templates', () => {
  it('keeps the type of a lone ${…} and makes text of the rest', () => {
    const scope = scopeOf({ n: 5, list: [1, 2], id: 'x' });
    assert.equal(compileTemplate('${n}').render(scope), 5);
    assert.deepEqual(compileTemplate('${list}').render(scope), [1, 2]);
    assert.equal(compileTemplate('/v1/plans/${id}?n=${n}').render(scope), '/v1/plans/x?n=5');
    assert.deepEqual(compileTemplate({ a: ['${n}', 'k-${id}'], b: true }).render(scope), { a: [5, 'k-x'], b: true });
  });

  it('handles braces and quotes inside an expression', () => {
    assert.equal(compileTemplate("${contains(s, '}')}").render(scopeOf({ s: 'a}' })), true);
  });

  it('reports an unclosed or broken placeholder with its offset', () => {
    assert.throws(() => compileTemplate('abc ${x'), (err: unknown) => err instanceof TemplateSyntaxError && err.index === 4);
    assert.throws(() => compileTemplate('ab ${x ==}'), (err: unknown) => err instanceof TemplateSyntaxError && err.index === 9);
  });
});

/**
 * The expression module's new parts in process: the one pattern engine (RE2), value limits, the
 * byte-aware functions and XPath. The end-to-end behaviour through the bin is in http-checks.test.ts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { compileExpr, compilePattern, ExprRuntimeError, ExprSyntaxError, patternProblem, testPattern, VALUE_LIMITS, ValueLimitError, type Scope } from '../src/expr/index.js';
import { loadMarkup, markupLoading } from '../src/expr/markup.js';

const scopeOf = (values: Record<string, unknown>): Scope => (name) => (Object.hasOwn(values, name) ? { found: true, value: values[name] } : { found: false, value: undefined });
const evaluate = (src: string, values: Record<string, unknown> = {}) => compileExpr(src).evaluate(scopeOf(values));

describe('patterns (RE2)', () => {
  it('match in linear time where a backtracking engine hangs', () => {
    const started = performance.now();
    assert.equal(compilePattern('^(a+)+$').test(`${'a'.repeat(100_000)}!`), false);
    assert.equal(evaluate("matches(s, '^(a+)+$')", { s: `${'a'.repeat(38)}!` }), false);
    assert.ok(performance.now() - started < 1000);
  });

  it('take the JavaScript flags and syntax RE2 has (i, m, s, \\uXXXX, named groups)', () => {
    assert.equal(testPattern('/^JSON$/i', 'json'), true);
    assert.equal(testPattern('/^b$/m', 'a\nb'), true);
    assert.equal(testPattern('/a.b/s', 'a\nb'), true);
    assert.equal(testPattern('/a.b/', 'a\nb'), false);
    assert.equal(testPattern('caf\\u00e9', 'café'), true);
    assert.equal(compilePattern('(?<year>\\d{4})').first('in 2026'), '2026');
  });

  it('refuse what RE2 leaves out, saying why and what to write', () => {
    for (const [source, why] of [['(a)\\1', 'backreferences'], ['(?<n>a)\\k<n>', 'backreferences'], ['a(?=b)', 'lookahead'], ['a(?!b)', 'lookahead'], ['(?<=a)b', 'lookbehind'], ['(?<!a)b', 'lookbehind'], ['(?>a)', 'atomic']] as const) {
      const problem = patternProblem(source);
      assert.ok(problem, source);
      assert.match(problem.message, new RegExp(why), source);
      assert.ok(problem.hint.length > 10);
    }
    // Inside a class, `(?=` is plain text.
    assert.equal(patternProblem('[(?=]'), undefined);
    assert.match(patternProblem('json(')!.message, /Unterminated group/);
    assert.throws(() => compileExpr("matches(s, 'a(?=b)')"), (e: ExprSyntaxError) => /lookahead/.test(e.message) && /separately/.test(e.hint ?? ''));
  });

  it('regex(), replace() and split() do what the docs say', () => {
    assert.equal(evaluate("regex('id=42', 'id=(\\\\d+)')"), '42');
    assert.equal(evaluate("regex('id=42', 'id=\\\\d+')"), 'id=42');
    assert.equal(evaluate("regex('x', 'y')"), null);
    assert.equal(evaluate("regex(missing, 'y')", { missing: null }), null);
    assert.equal(evaluate("replace('a1b22', '(\\\\d+)', '<$1>')"), 'a<1>b<22>');
    assert.equal(evaluate("replace('a.b', '.', '-')"), '---');
    assert.deepEqual(evaluate("split('a, b,c', ', ')"), ['a', 'b,c']);
    assert.deepEqual(evaluate('split(nothing, ",")', { nothing: null }), []);
    // A pattern from a value is compiled when used: a bad one fails that expression, clearly.
    assert.throws(() => evaluate('matches("a", p)', { p: '(a)\\1' }), (e: Error) => e instanceof ExprRuntimeError && /backreferences/.test(e.message));
  });
});

describe('bytes and encodings', () => {
  const bytes = new Uint8Array([0, 255, 1, 2]);
  it('length, sha256 and base64 take bytes as well as text', () => {
    assert.equal(evaluate('length(b)', { b: bytes }), 4);
    assert.equal(evaluate('length(b)', { b: Buffer.from('héllo') }), 6);
    assert.equal(evaluate('sha256(b)', { b: bytes }), createHash('sha256').update(bytes).digest('hex'));
    assert.equal(evaluate("sha256('')"), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(evaluate('base64(b)', { b: bytes }), 'AP8BAg==');
    assert.equal(evaluate("base64('é')"), 'w6k=');
  });
  it('unbase64 gives text when it is UTF-8, else bytes; refuses what is not base64', () => {
    assert.equal(evaluate("unbase64('w6k=')"), 'é');
    assert.equal(evaluate("unbase64('dXNlcjpwYXNz')"), 'user:pass');
    assert.deepEqual([...(evaluate("unbase64('_-8')") as Uint8Array)], [255, 239]);
    assert.deepEqual([...(evaluate("unbase64('/+8')") as Uint8Array)], [255, 239]);
    assert.deepEqual([...(evaluate("unbase64('AP8BAg==')") as Uint8Array)], [...bytes]);
    assert.throws(() => evaluate("unbase64('not base64!')"), /not base64/);
  });
  it('json() parses and says where it cannot, without quoting the text', () => {
    assert.deepEqual(evaluate(`json('{"a":[1,2]}')`), { a: [1, 2] });
    assert.throws(() => evaluate("json('sk_live_secret')"), (e: Error) => /cannot parse/.test(e.message) && !e.message.includes('sk_live'));
    assert.throws(() => evaluate(`json('{"a":')`), /ends before the JSON does/);
  });
});

describe('value limits', () => {
  it('a list past listItems is refused before it is built', () => {
    const big = Array.from({ length: 600_000 }, (_, i) => i);
    assert.throws(() => evaluate('concat(a, a)', { a: big }), (e: Error) => e instanceof ValueLimitError && e.limit === 'listItems' && /1,200,000 items; the limit is 1,000,000/.test(e.message));
  });
  it('a string past stringChars is refused, by `+` and by functions', () => {
    const half = 'x'.repeat(VALUE_LIMITS.stringChars / 2 + 1);
    assert.throws(() => evaluate('s + s', { s: half }), (e: Error) => e instanceof ValueLimitError && e.limit === 'stringChars');
    assert.throws(() => evaluate("replace(s, 'x', 'yy')", { s: half }), (e: Error) => e instanceof ValueLimitError && e.limit === 'stringChars');
  });
  it('[x, x] doubling (small in memory, huge as text) stops at the size limit, quickly', () => {
    let x: unknown = ['start'];
    const started = performance.now();
    let runs = 0;
    try {
      for (; runs < 100; runs++) x = evaluate('[x, x]', { x });
      assert.fail('never stopped');
    } catch (err) {
      assert.ok(err instanceof ValueLimitError, String(err));
      assert.ok(err.limit === 'size' || err.limit === 'depth', err.limit);
    }
    assert.ok(runs < 40, `${runs} runs`);
    assert.ok(performance.now() - started < 2000);
  });
  it('nesting past depth is refused, and string() of a shared structure does not explode', () => {
    let x: unknown = 1;
    assert.throws(() => {
      for (let i = 0; i < 200; i++) x = evaluate('[x]', { x });
    }, (e: Error) => e instanceof ValueLimitError && e.limit === 'depth');
    const shared: unknown[] = [];
    let wide: unknown = 'y'.repeat(1000);
    for (let i = 0; i < 30; i++) wide = [wide, wide];
    shared.push(wide);
    assert.throws(() => evaluate('string(v)', { v: shared }), (e: Error) => e instanceof ValueLimitError && e.limit === 'size');
  });
});

describe('xpath', () => {
  it('reads XML with namespaces and computed values', () => {
    const xml = '<r xmlns:p="urn:p"><p:a n="1">x</p:a><b>y</b><b>z</b></r>';
    assert.equal(evaluate("xpath(d, '//p:a/@n')", { d: xml }), '1');
    assert.deepEqual(evaluate("xpathAll(d, '//b')", { d: xml }), ['y', 'z']);
    assert.equal(evaluate("xpath(d, 'count(//b)')", { d: xml }), 2);
    assert.equal(evaluate("xpath(d, '//c')", { d: xml }), null);
    assert.equal(evaluate("xpath(d, '//b[1]')", { d: Buffer.from(xml) }), 'y');
  });
  it('reads HTML as a browser does, once the parser has loaded', async () => {
    loadMarkup();
    await markupLoading();
    const page = '<!doctype html><title>T</title><ul><li>one<li>two</ul>';
    assert.deepEqual(evaluate("xpathAll(d, '//li')", { d: page }), ['one', 'two']);
  });
  it('refuses entity declarations and a list given as a document', () => {
    const lol = '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><l>&b;</l>';
    assert.throws(() => evaluate("xpath(d, '//l')", { d: lol }), /declares entities/);
    assert.throws(() => evaluate("xpath(d, '//l')", { d: [1] }), /reads an XML or HTML body \(text\), got a list/);
  });
});

/**
 * The mock's form parser (form.ts) parses flat forms itself and must give exactly what qs gives
 * (the semantics the routes were written against); nested, repeated and hostile input keeps its
 * answers. Property-based (fast-check, seeded) over names and values with every character class
 * that matters: spaces as `+`, escapes, multi-byte UTF-8, `=` inside values, empty pairs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import qs from 'qs';
import { StripeError } from '../../src/mock/stripe/errors.js';
import { MAX_PARAMETERS, parseForm, QS_OPTIONS } from '../../src/mock/stripe/form.js';

const text = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '+', '=', '&', '%', '.', '_', '-', 'é', '€', '😀', '[', ']', '~'), maxLength: 12 });
/** How a client might encode a piece: strictly, with `+` for spaces, or raw where harmless. */
const encode = (s: string, how: number) => {
  const strict = encodeURIComponent(s);
  return how === 0 ? strict : how === 1 ? strict.replace(/%20/g, '+') : strict.replace(/%5B/g, '[').replace(/%5D/g, ']');
};
const pair = fc.tuple(text, text, fc.nat(2), fc.boolean()).map(([k, v, how, bare]) => (bare && v === '' ? encode(k, how) : `${encode(k, how)}=${encode(v, how)}`));
const form = fc.array(pair, { maxLength: 8 }).map((pairs) => pairs.join('&'));

function qsAnswer(input: string): unknown {
  try {
    return qs.parse(input, QS_OPTIONS);
  } catch (err) {
    return { threw: (err as Error).message };
  }
}

function ourAnswer(input: string): unknown {
  try {
    return parseForm(input);
  } catch (err) {
    if (err instanceof StripeError && err.status === 400 && /could not parse/.test(err.message)) return { threw: /\((.*)\)\.$/.exec(err.message)![1] };
    throw err;
  }
}

const hasPrototypeName = (input: string) => input.split('&').some((p) => ['__proto__', 'constructor', 'prototype'].includes(decodeURIComponent(p.split('=')[0].replace(/\+/g, ' ')).split('[')[0]));

describe('form parser', () => {
  it('gives what qs gives, flat or nested, on well-formed input', () => {
    fc.assert(
      fc.property(form, (input) => {
        fc.pre(!hasPrototypeName(input));
        assert.deepStrictEqual(ourAnswer(input), qsAnswer(input));
      }),
      { seed: 9, numRuns: 3000 },
    );
  });

  it('parses the flat forms clients send without qs, into a null-prototype object', () => {
    const p = parseForm('email=a%40b.c&description=Two+words&n=&bare&a=b%3Dc&=x&%E2%82%AC=%F0%9F%98%80');
    assert.equal(Object.getPrototypeOf(p), null);
    assert.deepEqual({ ...p }, { email: 'a@b.c', description: 'Two words', n: '', bare: '', a: 'b=c', '€': '😀' });
  });

  it('keeps qs for repeated names and brackets, raw or encoded', () => {
    assert.deepEqual({ ...parseForm('a=1&a=2') }, { a: ['1', '2'] });
    assert.deepEqual(JSON.parse(JSON.stringify(parseForm('metadata[k]=v&expand[]=customer'))), { metadata: { k: 'v' }, expand: ['customer'] });
    assert.deepEqual(JSON.parse(JSON.stringify(parseForm('metadata%5Bk%5D=v'))), { metadata: { k: 'v' } });
    assert.deepEqual(JSON.parse(JSON.stringify(parseForm('note=%5Bx%5D'))), JSON.parse(JSON.stringify(qs.parse('note=%5Bx%5D', QS_OPTIONS))));
  });

  it('refuses broken escapes, prototype names, too deep nesting and too many pairs with a 400', () => {
    const refused = (input: string, message: RegExp) => {
      assert.throws(() => parseForm(input), (err: unknown) => err instanceof StripeError && err.status === 400 && message.test(err.message), input);
    };
    refused('email=%E0%A4%A', /malformed percent-encoding/);
    refused('a%ZZ=1', /malformed percent-encoding/);
    refused('__proto__[x]=1', /unknown parameter: __proto__/);
    refused('%63onstructor=1', /unknown parameter: constructor/);
    refused('prototype=1', /unknown parameter: prototype/);
    refused('a[b][c][d][e][f][g]=1', /could not parse.*depth/);
    refused(Array.from({ length: MAX_PARAMETERS + 1 }, (_, i) => `k${i}=v`).join('&'), /too many parameters/);
    assert.equal(Object.keys(parseForm(Array.from({ length: MAX_PARAMETERS }, (_, i) => `k${i}=v`).join('&'))).length, MAX_PARAMETERS);
  });
});

/** How a response body is read, by Content-Type and responseType (src/http/response-type.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { charsetOf, decodeText, responseTypeFor } from '../src/http/response-type.js';

describe('responseTypeFor', () => {
  const cases: Array<[string | undefined, string]> = [
    ['application/json', 'json'],
    ['application/json; charset=utf-8', 'json'],
    ['application/problem+json', 'json'],
    ['application/vnd.api+json', 'json'],
    ['application/graphql-response+json', 'json'],
    ['application/x-ndjson', 'text'],
    ['application/jsonl', 'text'],
    ['application/json-seq', 'text'],
    ['text/plain', 'text'],
    ['text/html; charset=iso-8859-1', 'text'],
    ['application/xml', 'text'],
    ['application/atom+xml', 'text'],
    ['image/svg+xml', 'text'],
    ['text/csv', 'text'],
    ['application/javascript', 'text'],
    ['application/vnd.custom; charset=utf-8', 'text'],
    ['image/png', 'bytes'],
    ['application/pdf', 'bytes'],
    ['application/octet-stream', 'bytes'],
    ['application/octet-stream; charset=binary', 'bytes'],
    ['application/zip', 'bytes'],
    [undefined, 'auto-text'],
  ];
  for (const [type, want] of cases) it(`${type ?? '(none)'} reads as ${want}`, () => assert.equal(responseTypeFor(type), want));
  it('an explicit responseType wins over any Content-Type', () => {
    assert.equal(responseTypeFor('application/json', 'text'), 'text');
    assert.equal(responseTypeFor('image/png', 'json'), 'json');
    assert.equal(responseTypeFor('text/plain', 'bytes'), 'bytes');
  });
});

describe('charsets', () => {
  it('decodes the charset a Content-Type names, UTF-8 otherwise or when unknown', () => {
    assert.equal(decodeText(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'text/plain; charset=ISO-8859-1'), 'café');
    assert.equal(decodeText(Buffer.from('café'), 'text/plain'), 'café');
    assert.equal(charsetOf('text/plain; charset="windows-1252"'), 'windows-1252');
    assert.equal(charsetOf('text/plain; charset=no-such-charset'), 'utf-8');
    assert.equal(decodeText(Buffer.from([0x82, 0xa0]), 'text/plain; charset=shift_jis'), 'あ');
  });
});

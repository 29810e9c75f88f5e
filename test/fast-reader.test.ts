/**
 * The fast notebook readers (the subset reader, and js-yaml with node positions) and the yaml
 * library's document must agree: same data, same spans, for every clean notebook in the repo; and
 * anything the fast readers cannot vouch for goes to the yaml path.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { SchemaRegistry } from '../src/checks/schemas.js';
import { parseFast } from '../src/notebook/fast-source.js';
import { loadNotebookText } from '../src/notebook/load.js';
import { ROOT } from './helpers/cli.js';

function notebooksIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    // diagnostics/ and broken/ hold broken notebooks on purpose; import/ holds the importers' sources (OpenAPI, Postman), not notebooks.
    if (e.isDirectory()) return e.name === 'diagnostics' || e.name === 'broken' || e.name === 'import' ? [] : notebooksIn(p);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}

const registry = new SchemaRegistry(ROOT);
const files = [...notebooksIn(join(ROOT, 'notebooks')), ...notebooksIn(join(ROOT, 'test', 'fixtures'))];

describe('fast reader', () => {
  for (const file of files) {
    const name = relative(ROOT, file);
    it(`${name}: same notebook and spans as the yaml library`, () => {
      const text = readFileSync(file, 'utf8');
      const subset = loadNotebookText(text, name, { registry });
      const fast = loadNotebookText(text, name, { registry, reader: 'js-yaml' });
      const slow = loadNotebookText(text, name, { registry, reader: 'yaml' });
      assert.deepEqual(slow.diagnostics, []);
      assert.equal(subset.reader, 'subset', 'a clean notebook takes the subset reader');
      assert.equal(fast.reader, 'fast', 'without it, js-yaml');
      assert.equal(JSON.stringify(subset.notebook), JSON.stringify(slow.notebook));
      assert.equal(JSON.stringify(fast.notebook), JSON.stringify(slow.notebook));
    });
  }

  it('spans point at the same places in a tricky layout', () => {
    const text = [
      '# a comment first',
      'title: "Quoted title"   # trailing comment',
      'vars:',
      '  "quoted-key": 1',
      '  list:',
      '    - a',
      '    -   b',
      'steps:',
      '  -   name: Indented oddly',
      '      request:   GET /x/${list}',
      '      expect:',
      "        status: [200,   404]",
      '        body: |',
      '          {"a": 1}',
      '',
    ].join('\n');
    const subset = loadNotebookText(text, 't.yaml', { registry });
    const fast = loadNotebookText(text, 't.yaml', { registry, reader: 'js-yaml' });
    const slow = loadNotebookText(text, 't.yaml', { registry, reader: 'yaml' });
    assert.equal(subset.reader, 'subset');
    assert.equal(fast.reader, 'fast');
    assert.equal(JSON.stringify(subset.notebook), JSON.stringify(slow.notebook));
    assert.equal(JSON.stringify(fast.notebook), JSON.stringify(slow.notebook));
  });

  it('leaves to the yaml path what it cannot vouch for', () => {
    // A syntax error says only where it is: the loader words it with the yaml library.
    const syntax = parseFast('title: [unclosed', 'x.yaml');
    assert.ok(syntax && 'syntaxAt' in syntax && syntax.span.line === 1, 'a syntax error, located');
    assert.equal(parseFast('b: 1\n2: 2\n', 'x.yaml'), undefined, 'integer-like keys reorder in JavaScript');
    const broken = loadNotebookText('title: T\nsteps:\n  - name: A\n    expekt: {}\n', 'x.yaml', { registry });
    assert.equal(broken.reader, undefined);
    assert.match(broken.diagnostics[0].message, /unknown key `expekt`/);
  });

  it('reads YAML 1.2 core values like the yaml library (no timestamps, no yes/no booleans)', () => {
    const text = 'title: T\nvars:\n  date: 2015-07-28\n  word: yes\n  oct: 0o14\nsteps: []\n';
    const fast = parseFast(text, 'x.yaml') as { data: unknown };
    assert.deepEqual((fast.data as any).vars, { date: '2015-07-28', word: 'yes', oct: 12 });
  });
  // The subset reader words these itself (re-reading them with the yaml library cost a second
  // at 256 KiB): the same diagnostics, spans and counts as the yaml path, and none is missed.
  const wordedBySubset: Record<string, string> = {
    'misspelt and unknown keys': 'title: T\nsteps:\n  - name: A\n    expekt: {}\n    request: GET /\nextra: 1\n' + Array.from({ length: 80 }, (_, i) => `k${i}: 1\n`).join(''),
    'keys written twice, in block and flow mappings': 'title: T\ntitle: U\nsteps:\n  - name: A\n    request: GET /\n    headers: {X: "1", "X": 2}\n' + 'vars:\n' + '  a: 1\n'.repeat(70),
  };
  for (const [what, text] of Object.entries(wordedBySubset)) {
    it(`${what}: worded from the subset reader as the yaml library words them`, () => {
      const subset = loadNotebookText(text, 'x.yaml', { registry });
      const slow = loadNotebookText(text, 'x.yaml', { registry, reader: 'yaml' });
      assert.ok(subset.diagnostics.length > 50, `${subset.diagnostics.length} diagnostics`);
      assert.deepEqual(subset.diagnostics, slow.diagnostics);
      assert.equal(subset.problems, slow.problems);
    });
  }
});

/**
 * The subset reader (src/notebook/subset-reader.ts) is held to js-yaml, the reader it stands in
 * front of, and to the yaml library: for everything it accepts, js-yaml's data (types, key order,
 * block scalars' chomping) and the yaml library's span at every path. Checked on every notebook in the repo, on hand-written tricky
 * layouts, and on generated YAML (fast-check: random values dumped in random styles, then laid
 * out with comments, blank lines and odd spacing). What it must not accept, it leaves to js-yaml.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { LineCounter, parseDocument } from 'yaml';
import { SchemaRegistry } from '../src/checks/schemas.js';
import { loadNotebookText } from '../src/notebook/load.js';
import { YamlSourceMap, type Path, type SourceMap } from '../src/notebook/source.js';
import { readSubset } from '../src/notebook/subset-reader.js';
import { ROOT } from './helpers/cli.js';

type Read = { data: unknown; source: SourceMap };

/** The yaml library's positions: the ones every diagnostic is rendered from. */
function yamlLibrary(text: string): SourceMap {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, resolveKnownTags: false, logLevel: 'error' });
  return new YamlSourceMap('x.yaml', text, doc, lineCounter);
}

/**
 * Every path in the data with its span, and its keys' spans. (Not `inString`: a span inside an
 * expression is only ever shown in a diagnostic, and diagnostics are always rendered from the yaml
 * library's document.)
 */
function spans(read: Read): string[] {
  const out: string[] = [];
  const walk = (value: unknown, path: Path): void => {
    const at = read.source.at(path);
    out.push(`${JSON.stringify(path)} at ${at.line}:${at.col}+${at.length}`);
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const key = read.source.keyAt(path, k);
        out.push(`${JSON.stringify(path)} key ${k} ${key.line}:${key.col}+${key.length}`);
        walk(v, [...path, k]);
      }
    }
  };
  walk(read.data, []);
  return out;
}

/**
 * When the subset reader accepts `text`, it reads the data js-yaml reads (the reader it stands in
 * front of) and gives every path the span the yaml library gives it. Returns whether it accepted.
 */
function agrees(text: string): boolean {
  const subset = readSubset(text, 'x.yaml');
  if (!subset) return false;
  const data = yaml.load(text, { schema: yaml.CORE_SCHEMA });
  assert.deepEqual(subset.data, data, `same data for:\n${text}`);
  assert.equal(JSON.stringify(subset.data), JSON.stringify(data), `same key order for:\n${text}`);
  assert.deepEqual(spans(subset), spans({ data, source: yamlLibrary(text) }), `same spans for:\n${text}`);
  return true;
}

function yamlFilesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'diagnostics' || e.name === 'broken' || e.name === 'import' ? [] : yamlFilesIn(p);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}

const registry = new SchemaRegistry(ROOT);

describe('subset reader', () => {
  const files = [...yamlFilesIn(join(ROOT, 'notebooks')), ...yamlFilesIn(join(ROOT, 'test', 'fixtures'))];

  it('reads every notebook in the repo as js-yaml does, and the loader uses it for them', () => {
    assert.ok(files.length >= 10);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const name = relative(ROOT, file);
      assert.ok(agrees(text), `${name} is read by the subset reader`);
      const loaded = loadNotebookText(text, name, { registry });
      if (loaded.diagnostics.length === 0) {
        assert.equal(loaded.reader, 'subset', name);
        const viaJsYaml = loadNotebookText(text, name, { registry, reader: 'js-yaml' });
        assert.equal(JSON.stringify(loaded.notebook), JSON.stringify(viaJsYaml.notebook), `${name}: same notebook, same spans`);
      }
    }
  });

  it('agrees with js-yaml on tricky layouts', () => {
    const cases = [
      '# first\ntitle: "Quoted title"   # trailing\nvars:\n  "quoted-key": 1\n  \'single\': \'it\'\'s\'\n  list:\n    - a\n    -   b\n',
      'steps:\n- name: at the key\'s indent\n  request: GET /x\n- name: second\n',
      'a:\n  - - nested\n    - list\n  - k: v\n    k2: v2\n',
      'a: { x: 1, y: [1, 2, "three"], z: {} }\nb: []\nc: [ ]\nd: {a: b, }\n',
      'a: {\n    x: 1,   # comment inside\n    y: [1,\n      2],\n  }\nb: 2\n',
      'r: {"json": "style", "n":1}\n',
      'lit: |\n  line 1\n\n  line 3\n    indented\n\nnext: 1\n',
      'strip: |-\n  a\n  b\n\n\nkeep: |+\n  a\n\n\nclip: |\n  a\n\n',
      'fold: >\n  one\n  two\n\n  three\n\n\n  four\nf2: >-\n  x\n  y\n',
      'items:\n  - |\n    in a list\n  - >+\n    kept\n\n  - last\n',
      'deep:\n  body: |   # a comment\n    {"a": 1}\n  other: x\n',
      'esc: "tab\\tnew\\nline \\u00e9 \\"q\\" \\\\ \\/"\nraw: "no escapes: \' # :"\n',
      'types: [~, null, Null, NULL, true, False, TRUE, 12, -3, +4, 0o14, 0x1F, 1_000, 1.5, -.5, .inf, -.Inf, .NaN, 1e3, 2015-07-28, yes, no, on]\n',
      'url: http://a.b/c?d=e#frag\nhash: a#b\ncolon: a:b\ntpl: ${a}${b}\npct: 50%\n',
      'k:   spaced   value   \n"k2"  : v\nk3 : v\n',
      'a: 1\n-x: 2\n?x: 3\n:x: 4\nb: [-x, ?y, :z]\n',
      'a:\n  b:\n    c:\n      d: [[1, [2, [3]]]]\n',
      'unicode: "é ü 日本 😀"\nplain: é ü 日本 😀\n',
      'list:\n- a # c\n-    b\n\n# between\n-\n  c\n',
      'a: |\n    four spaces\n   \n    after a blank with spaces\n',
    ];
    for (const text of cases) assert.ok(agrees(text), `accepted:\n${text}`);
  });

  it('locates the children of wide lists and mappings, and keys written plain, quoted or escaped', () => {
    // Past 32 children the offset tree finds them through an index (src/notebook/offset-tree.ts).
    const keys = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? `k${i}` : i % 3 === 1 ? `"q${i}"` : `"e\\u0041${i}"`));
    const wide = `vars:\n${keys.map((k, i) => `  ${k}: ${i}`).join('\n')}\nsteps:\n${Array.from({ length: 40 }, (_, i) => `  - name: s${i}\n    x: { ${keys[i]}: [${i}] }`).join('\n')}\n`;
    assert.ok(agrees(wide));
    const read = readSubset(wide, 'x.yaml')!;
    assert.equal(read.source.keyAt(['vars'], 'k39').line, 41);
    assert.equal(read.source.keyAt(['vars'], 'eA38').line, 40);
    assert.equal(read.source.at(['steps', 39, 'x', 'q37']).line, 122, 'no such key there: the nearest node that exists');
    assert.equal(read.source.at(['steps', 40]).line, 43, 'past the last item: the list');
  });

  it('leaves to js-yaml what is outside the subset', () => {
    const outside = [
      'a: &x 1\nb: *x\n', // anchors, aliases
      'a: !!str 1\n', // tags
      '---\na: 1\n', // a document marker
      '---x: 1\n', // which js-yaml reads as one even without a space
      '%YAML 1.2\n---\na: 1\n', // a directive
      'a:\nb: 1\n', // an empty value
      'a: one\n  two\n', // a multi-line plain scalar
      'a: "one\n  two"\n', // a multi-line quoted scalar
      'a: 1\na: 2\n', // a duplicate key
      'a:\n\tb: 1\n', // a tab
      'a: 1\r\nb: 2\r\n', // CRLF
      '1: a\n', // a key of another type
      '"2": a\n', // an integer-like key
      '__proto__: 1\n',
      '? a\n: b\n', // an explicit key
      'a: |2\n   x\n', // an indentation indicator
      'a: >\n  x\n    more\n  y\n', // a folded scalar with a more-indented line
      'a: [1, 2\n', // unclosed
      'a: b: c\n', // a mapping where a scalar stands
      'a: {b, c}\n', // flow keys without values
      'a: [b: 1]\n', // a pair in a list
      'a: "x" y\n', // text after a quoted scalar
      'a: "\\x41"\n', // a YAML-only escape
      '', // an empty file
      '- a\nb: 1\n', // a list then a mapping
    ];
    for (const text of outside) assert.equal(readSubset(text, 'x.yaml'), undefined, JSON.stringify(text));
  });

  it('agrees with js-yaml on generated YAML (fast-check, fixed seed)', () => {
    const scalar = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('GET /items/${id}', 'a: b', 'x # y', "it's", 'say "hi"', 'null', 'true', '012', '1e3', '-', '- a', '#', '{a}', '[1]', 'é😀', ' lead', 'trail ', '', 'multi\nline', 'ends\n'),
      fc.integer({ min: -1000, max: 100000 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
    );
    const key = fc.oneof(fc.stringMatching(/^[a-z][a-zA-Z0-9_-]{0,8}$/), fc.string({ minLength: 1, maxLength: 6 }));
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
      list: fc.array(tie('value'), { maxLength: 4 }),
      map: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    }));
    const style = fc.record({
      flowLevel: fc.constantFrom(-1, 1, 2, 3),
      indent: fc.constantFrom(2, 3, 4),
      noArrayIndent: fc.boolean(),
      lineWidth: fc.constantFrom(-1, 20, 80),
      quotingType: fc.constantFrom("'" as const, '"' as const),
      forceQuotes: fc.boolean(),
    });
    // Layout changes that keep the YAML's meaning: comments, blank lines, spaces after `-` and `:`.
    const layout = fc.array(fc.tuple(fc.constantFrom('comment', 'blank', 'dash', 'colon'), fc.nat()), { maxLength: 4 });
    let accepted = 0;
    let total = 0;
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 }), style, layout, (data, options, changes) => {
        let text: string;
        try {
          text = yaml.dump(data, { ...options, schema: yaml.CORE_SCHEMA });
        } catch {
          return;
        }
        for (const [change, at] of changes) text = relayout(text, change, at);
        total++;
        if (agrees(text)) accepted++;
      }),
      { seed: 20150728, numRuns: 1500 },
    );
    // Most generated YAML is inside the subset; if the reader gave up on everything, this test would prove nothing.
    console.log(`subset reader: accepted ${accepted} of ${total} generated documents`);
    assert.ok(accepted > total * 0.5, `accepted ${accepted} of ${total}`);
  });
});

function relayout(text: string, change: string, at: number): string {
  const lines = text.split('\n');
  const i = at % lines.length;
  const line = lines[i];
  switch (change) {
    case 'comment':
      // A whole-line comment, indented like the line it precedes.
      return [...lines.slice(0, i), `${/^ */.exec(line)![0]}# note: ${i}`, ...lines.slice(i)].join('\n');
    case 'blank':
      return [...lines.slice(0, i), '', ...lines.slice(i)].join('\n');
    case 'dash':
      return lines.map((l, k) => (k === i ? l.replace(/^( *)- (?=\S)/, '$1-   ') : l)).join('\n');
    case 'colon':
      return lines.map((l, k) => (k === i ? l.replace(/^( *[a-zA-Z][\w-]*):( +)(?=[^|>\s])/, '$1:  $2') : l)).join('\n');
    default:
      return text;
  }
}

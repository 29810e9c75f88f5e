/**
 * yamlWindow (src/notebook/yaml-window.ts): the part of a big file the yaml library is shown keeps
 * the file's own line numbers and columns, starts at an entry of the block the problem is in, and
 * stays small; what the yaml library says of it is what it says of the whole file there.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { yamlWindow } from '../src/notebook/yaml-window.js';
import { blockNotebook } from './helpers/big-notebooks.js';

describe('yamlWindow', () => {
  const text = blockNotebook(6000);
  const lines = text.split('\n');
  const target = lines.length - 500;
  const at = lines.slice(0, target - 1).join('\n').length + 1; // the start of line `target`

  it('keeps every line of the window where it is in the file, and empties the others but the top-level ones', () => {
    const w = yamlWindow(text, at)!;
    assert.ok(w, 'a window');
    const got = w.text.split('\n');
    assert.ok(w.text.length < 200_000, `${w.text.length} characters`);
    assert.ok(w.firstLine < target && w.firstLine > target - 2000, `starts at ${w.firstLine}`);
    assert.match(got[w.firstLine - 1], /^ {2}- name: /, 'starts at an entry of `steps`');
    for (let i = w.firstLine - 1; i < got.length - 1; i++) assert.equal(got[i], lines[i], `line ${i + 1}`);
    for (let i = 0; i < w.firstLine - 1; i++) assert.ok(got[i] === '' || got[i] === lines[i] && /^\S/.test(lines[i]), `line ${i + 1}: ${got[i]}`);
    assert.equal(parseDocument(w.text).errors.length, 0, 'a clean file gives a clean window');
  });

  it('the yaml library locates a problem in the window at its line in the file', () => {
    const broken = [...lines];
    broken[target - 1] = broken[target - 1] + ' "unclosed';
    const file = broken.join('\n');
    const w = yamlWindow(file, at)!;
    const doc = parseDocument(w.text, { prettyErrors: true });
    assert.ok(doc.errors.length > 0);
    assert.ok(doc.errors.some((e) => e.linePos?.[0].line === target || e.linePos?.[0].line === target + 1), JSON.stringify(doc.errors.map((e) => e.linePos)));
  });

  it('gives up on one value of megabytes (js-yaml words it then)', () => {
    const huge = `title: x\nsteps: []\nvars:\n  a: [${'1,'.repeat(800_000)}1]\n`;
    assert.equal(yamlWindow(huge, 1_000_000), undefined);
  });
});

/**
 * yamlWindow (src/notebook/yaml-window.ts): the part of a big file the yaml library is shown is the
 * file's top-level lines and then the file's own lines around the problem, columns unchanged; it
 * starts at an entry of the block the problem is in and stays small; what the yaml library says of
 * it, shifted by fileLine, is what it says of the whole file there.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { fileLine, yamlWindow } from '../src/notebook/yaml-window.js';
import { blockNotebook } from './helpers/big-notebooks.js';

describe('yamlWindow', () => {
  const text = blockNotebook(6000);
  const lines = text.split('\n');
  const target = lines.length - 500;
  const at = lines.slice(0, target - 1).join('\n').length + 1; // the start of line `target`

  it('keeps the top-level lines above the window, then every line of the window as it is in the file', () => {
    const w = yamlWindow(text, at)!;
    assert.ok(w, 'a window');
    const got = w.text.split('\n');
    assert.ok(w.text.length < 200_000, `${w.text.length} characters`);
    assert.ok(w.firstLine < target && w.firstLine > target - 2000, `starts at ${w.firstLine}`);
    assert.match(got[w.textLine - 1], /^ {2}- name: /, 'starts at an entry of `steps`');
    for (let i = w.textLine - 1; i < got.length - 1; i++) assert.equal(got[i], lines[fileLine(w, i + 1) - 1], `line ${i + 1}`);
    const topLevel = lines.slice(0, w.firstLine - 1).filter((l) => /^\S/.test(l));
    assert.deepEqual(got.slice(0, w.textLine - 1), topLevel);
    assert.equal(parseDocument(w.text).errors.length, 0, 'a clean file gives a clean window');
  });

  it('the yaml library locates a problem in the window at its line in the file', () => {
    const broken = [...lines];
    broken[target - 1] = broken[target - 1] + ' "unclosed';
    const file = broken.join('\n');
    const w = yamlWindow(file, at)!;
    const doc = parseDocument(w.text, { prettyErrors: true });
    assert.ok(doc.errors.length > 0);
    const at_ = doc.errors.map((e) => fileLine(w, e.linePos![0].line));
    assert.ok(at_.some((l) => l === target || l === target + 1), JSON.stringify(at_));
  });

  it('gives up on one value of megabytes (js-yaml words it then)', () => {
    const huge = `title: x\nsteps: []\nvars:\n  a: [${'1,'.repeat(800_000)}1]\n`;
    assert.equal(yamlWindow(huge, 1_000_000), undefined);
  });
});

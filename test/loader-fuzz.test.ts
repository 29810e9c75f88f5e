/**
 * Property test of the loader: the repo's own notebooks (notebooks/ and test/fixtures/), mutated
 * the ways files really break and the ways attackers break them (byte flips, deleted or doubled
 * lines, indentation, injected anchors and aliases, billion laughs, deep nesting, huge strings,
 * broken `${…}`, control characters), through both readers. Whatever the text, the loader must
 * not throw, must stay within its CPU and memory limits, and must answer with either a notebook or
 * diagnostics that are located inside the file and render. Fixed seed: a failure replays exactly.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { SchemaRegistry } from '../src/checks/schemas.js';
import { renderDiagnostic } from '../src/notebook/diagnostic.js';
import { loadNotebookText, type LoadResult } from '../src/notebook/load.js';
import { ROOT } from './helpers/cli.js';

const SEED = 20151118;
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const CPU_LIMIT_MS = 2000;
const HEAP_LIMIT_BYTES = 300 * 1024 * 1024;

function notebooksIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'broken' || e.name === 'import' ? [] : notebooksIn(p);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}

/**
 * A long notebook is cut into notebooks of a few steps each (its header, then 3 steps): the same
 * content, mutated as often, at a fraction of the cost per case, so thousands of cases fit in a
 * few seconds.
 */
function slices(name: string, text: string): Array<{ name: string; text: string }> {
  if (text.length < 4000) return [{ name, text }];
  const lines = text.split('\n');
  const first = lines.findIndex((l) => /^steps:/.test(l));
  const starts = lines.map((l, i) => (i > first && /^  - /.test(l) ? i : -1)).filter((i) => i >= 0);
  if (first < 0 || starts.length < 4) return [{ name, text }];
  const header = lines.slice(0, first + 1);
  const out: Array<{ name: string; text: string }> = [];
  for (let k = 0; k < starts.length; k += 3) {
    const end = starts[k + 3] ?? lines.length;
    out.push({ name, text: [...header, ...lines.slice(starts[k], end)].join('\n') });
  }
  return out;
}

export const seeds = [...notebooksIn(join(ROOT, 'notebooks')), ...notebooksIn(join(ROOT, 'test', 'fixtures'))]
  .flatMap((file) => slices(relative(ROOT, file), readFileSync(file, 'utf8')));
const registry = new SchemaRegistry(ROOT);

// Heap over the limit is measured again after a full collection, so garbage not yet collected
// is not mistaken for memory the loader holds (collecting after every case would cost seconds).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGarbage(): number {
  if (getHeapStatistics().used_heap_size < HEAP_LIMIT_BYTES) return getHeapStatistics().used_heap_size;
  gc();
  return getHeapStatistics().used_heap_size;
}

// ---- mutations -------------------------------------------------------------------------------

type Mutation =
  | { kind: 'flip'; at: number; ch: string }
  | { kind: 'deleteLine' | 'duplicateLine'; at: number }
  | { kind: 'indent'; at: number; by: number; tab: boolean }
  | { kind: 'anchor' | 'alias'; at: number; name: string }
  | { kind: 'nest'; at: number; depth: number; flow: boolean }
  | { kind: 'huge'; at: number; size: number }
  | { kind: 'laughs'; at: number; levels: number }
  | { kind: 'insert'; at: number; text: string };

const SPECIAL = [':', '-', '"', "'", '[', ']', '{', '}', '&', '*', '!', '|', '>', '#', '%', '@', '`', ',', '?', '$', '\n', '\t', ' ', '\\', '\0', '\x07', '\x1b', '\u0085', '\ufeff', '\ud800', '\uffff', 'é'];
const SNIPPETS = ['${', '${}', '${a +', '${length()}', '${body.__proto__}', '${"', '}', '"${x}"', '!custom ', '!!binary ', '<<: *a', '? ', '--- ', '...', '%YAML 1.1\n', 'matches(x, "[")', '/(/', 'http:', '127.0.0.1:8080'];

const at = fc.nat({ max: 1_000_000 });
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('flip' as const), at, ch: fc.oneof(fc.constantFrom(...SPECIAL), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('deleteLine' as const, 'duplicateLine' as const), at }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('indent' as const), at, by: fc.integer({ min: -4, max: 4 }), tab: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('anchor' as const, 'alias' as const), at, name: fc.constantFrom('a', 'b', 'x1') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('nest' as const), at, depth: fc.oneof(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 80, max: 3000 })), flow: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('huge' as const), at, size: fc.constantFrom(5_000, 60_000, 1_100_000) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('laughs' as const), at, levels: fc.integer({ min: 2, max: 9 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('insert' as const), at, text: fc.constantFrom(...SNIPPETS) }) },
);

export function applyMutation(text: string, m: Mutation): string {
  const lines = text.split('\n');
  const li = m.at % Math.max(1, lines.length);
  const line = lines[li] ?? '';
  const indent = /^\s*/.exec(line)![0];
  const pos = text.length ? m.at % text.length : 0;
  const valueAt = () => {
    // After the first `: ` or `- ` of the line, else at its end.
    const colon = line.search(/(: |- )/);
    return colon === -1 ? line.length : colon + 2;
  };
  const replaceLine = (f: (l: string) => string | string[]) => lines.slice(0, li).concat(f(line), lines.slice(li + 1)).join('\n');
  switch (m.kind) {
    case 'flip':
      return text.slice(0, pos) + m.ch + text.slice(pos + 1);
    case 'deleteLine':
      return replaceLine(() => []);
    case 'duplicateLine':
      return replaceLine((l) => [l, l]);
    case 'indent':
      return replaceLine((l) => (m.by < 0 ? l.slice(Math.min(-m.by, indent.length)) : (m.tab ? '\t' : ' ').repeat(m.by) + l));
    case 'anchor':
      return replaceLine((l) => l.slice(0, valueAt()) + `&${m.name} ` + l.slice(valueAt()));
    case 'alias':
      return replaceLine((l) => l.slice(0, valueAt()) + `*${m.name}`);
    case 'nest': {
      const deep = m.flow ? '['.repeat(m.depth) + ']'.repeat(m.depth) : '- '.repeat(m.depth) + 'x';
      return replaceLine((l) => l.slice(0, valueAt()) + deep);
    }
    case 'huge':
      return replaceLine((l) => l.slice(0, valueAt()) + `"${'x'.repeat(m.size)}"`);
    case 'laughs': {
      const block = [`${indent}l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]`];
      for (let i = 1; i < m.levels; i++) block.push(`${indent}l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);
      return replaceLine((l) => [...block, l]);
    }
    case 'insert':
      return text.slice(0, pos) + m.text + text.slice(pos);
  }
}

// ---- the property ----------------------------------------------------------------------------

const FORBIDDEN = /\[object Object\]|Maximum call stack|RangeError|TypeError|internal error/;

function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export function checkAnswer(result: LoadResult, text: string, file: string): void {
  if (result.notebook) {
    assert.deepEqual(result.diagnostics, [], 'a notebook comes with no diagnostics');
    return;
  }
  assert.ok(result.diagnostics.length > 0, 'no notebook: then at least one diagnostic');
  const lines = lineCount(text);
  for (const d of result.diagnostics) {
    assert.equal(typeof d.message, 'string');
    assert.ok(d.message.length > 0);
    assert.doesNotMatch(d.message + (d.hint ?? ''), FORBIDDEN);
    assert.equal(d.span.file, file);
    assert.ok(Number.isInteger(d.span.line) && d.span.line >= 1 && d.span.line <= lines, `line ${d.span.line} inside the file (${lines} lines): ${d.message}`);
    assert.ok(Number.isInteger(d.span.col) && d.span.col >= 1, `column ${d.span.col}`);
    assert.ok(d.span.length >= 1);
    const shown = renderDiagnostic(d, result.text);
    assert.ok(shown.includes(`${file}:${d.span.line}:${d.span.col}`));
    assert.ok(shown.length < 2_000, 'a diagnostic stays readable whatever the line holds');
  }
}

describe('loader property test (fast-check, mutated repo notebooks)', () => {
  it('has notebooks to mutate', () => assert.ok(seeds.length >= 10, `${seeds.length} seeds`));

  it(`never throws, stays within ${CPU_LIMIT_MS} ms CPU and 300 MB, always answers located (${RUNS} cases, seed ${SEED})`, () => {
    let slowest = 0;
    fc.assert(
      fc.property(fc.nat({ max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.constantFrom('auto' as const, 'yaml' as const), (seedIndex, mutations, reader) => {
        const seed = seeds[seedIndex];
        const text = mutations.reduce(applyMutation, seed.text);
        try {
          const cpu = process.cpuUsage();
          const result = loadNotebookText(text, seed.name, { registry, reader });
          const used = process.cpuUsage(cpu);
          const cpuMs = (used.user + used.system) / 1000;
          slowest = Math.max(slowest, cpuMs);
          assert.ok(cpuMs < CPU_LIMIT_MS, `answered in ${Math.round(cpuMs)} ms of CPU`);
          assert.ok(heapAfterGarbage() < HEAP_LIMIT_BYTES, `heap stays under 300 MB (${Math.round(heapAfterGarbage() / 2 ** 20)} MB)`);
          checkAnswer(result, text, seed.name);
        } catch (err) {
          // fast-check reports the counterexample; this says what went wrong with it.
          if (process.env.FUZZ_DEBUG) console.error('FUZZ', (err as Error).stack?.slice(0, 1500));
          throw err;
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true, verbose: 2 },
    );
    assert.ok(slowest < CPU_LIMIT_MS);
  });

  it('the fast readers accept only what the yaml library accepts, and build the same notebook', () => {
    fc.assert(
      fc.property(fc.nat({ max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 2 }), (seedIndex, mutations) => {
        const seed = seeds[seedIndex];
        const text = mutations.reduce(applyMutation, seed.text);
        const fast = loadNotebookText(text, seed.name, { registry });
        if (fast.reader !== 'subset' && fast.reader !== 'fast') return;
        const slow = loadNotebookText(text, seed.name, { registry, reader: 'yaml' });
        assert.deepEqual(slow.diagnostics.map((d) => d.message), [], 'the yaml library finds nothing wrong either');
        // (js-yaml places a node with an anchor at its `&`, the yaml library at its value: spans differ there.)
        if (fast.reader === 'subset') assert.equal(JSON.stringify(fast.notebook), JSON.stringify(slow.notebook), 'same steps, same spans');
      }),
      { seed: SEED, numRuns: Math.round(RUNS / 5), endOnFailure: true },
    );
  });
});

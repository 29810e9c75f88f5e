/**
 * Where each cell is in the notebook's text, found with the yaml library's Document API (node
 * ranges), and the edit of one cell spliced back into the text. Only the cell's own characters
 * change: comments, blank lines and formatting everywhere else stay byte for byte (the yaml
 * library's own toString would re-flow them).
 */
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';
import type { Phase } from '../notebook/types.js';

export interface CellSource {
  phase: Phase;
  index: number;
  /** Offsets of the step's mapping in the file (after `- `), trailing blank lines excluded. */
  start: number;
  end: number;
  /** 1-based line of `start`. */
  line: number;
  /** Column (0-based) the mapping's keys are written at: the editor shows the text dedented by it. */
  indent: number;
  /** The step as the editor shows it. */
  yaml: string;
  /** `request`, `expect`, `capture`, … as written, each dedented. */
  parts: Record<string, string>;
}

const PART_KEYS = ['request', 'forEach', 'as', 'repeat', 'if', 'expect', 'assert', 'capture'];

export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

function dedent(slice: string, by: number): string {
  return slice
    .split('\n')
    .map((l, i) => (i === 0 ? l : l.slice(Math.min(by, l.length - l.trimStart().length))))
    .join('\n');
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && /\s/.test(text[end - 1])) end--;
  return end;
}

/** Every step and teardown cell's place and text; empty when the YAML does not parse. */
export function cellSources(text: string): CellSource[] {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length) return [];
  const cells: CellSource[] = [];
  for (const phase of ['steps', 'teardown'] as const) {
    const seq = doc.get(phase, true);
    if (!isSeq(seq)) continue;
    seq.items.forEach((item, index) => {
      const node = item as Node;
      if (!node?.range) return;
      const start = node.range[0];
      const end = trimEnd(text, start, node.range[1]);
      const indent = columnOf(text, start);
      const parts: Record<string, string> = {};
      if (isMap(node)) {
        for (const pair of node.items as Pair<Node, Node>[]) {
          const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
          if (!k || !PART_KEYS.includes(k) || !pair.key?.range || !pair.value?.range) continue;
          const from = pair.key.range[0];
          parts[k] = dedent(text.slice(from, trimEnd(text, from, pair.value.range[1])), columnOf(text, from));
        }
      }
      cells.push({ phase, index, start, end, line: lineOf(text, start), indent, yaml: dedent(text.slice(start, end), indent), parts });
    });
  }
  return cells;
}

/** The file's text with one cell replaced by `yaml` (as the editor shows it), indented to fit. */
export function spliceCell(text: string, cell: CellSource, yaml: string): string {
  const pad = ' '.repeat(cell.indent);
  const body = yaml
    .replace(/\r\n?/g, '\n')
    .replace(/\s+$/, '')
    .split('\n')
    .map((l, i) => (i === 0 || l === '' ? l : pad + l))
    .join('\n');
  return text.slice(0, cell.start) + body + text.slice(cell.end);
}

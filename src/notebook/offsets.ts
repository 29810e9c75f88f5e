/**
 * Spans from a tree of node offsets, which both fast readers record as they read (the subset
 * reader directly, js-yaml through its listener). Only a notebook that loads cleanly is read
 * this way, so spans serve the notebook's own locations (each step's line in reports and
 * annotations); every diagnostic is rendered from the yaml library's document instead.
 */
import { spanFrom, type Path, type SourceMap } from './source.js';
import type { Span } from './types.js';

export interface PosNode {
  start: number;
  end: number;
  kind: 'mapping' | 'sequence' | 'scalar';
  /** mapping: key → key span and value node. */
  entries?: Map<string, { keyStart: number; keyEnd: number; value: PosNode }>;
  items?: PosNode[];
}

export class OffsetSourceMap implements SourceMap {
  private readonly lineStarts: number[] = [0];

  constructor(readonly file: string, private readonly text: string, private readonly root: PosNode) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  spanOfOffsets(start: number, end: number): Span {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= start) lo = mid;
      else hi = mid - 1;
    }
    return spanFrom(this.file, this.text, lo + 1, start - this.lineStarts[lo] + 1, start, end);
  }

  private node(path: Path): PosNode | undefined {
    let n: PosNode | undefined = this.root;
    for (const p of path) {
      if (!n) return undefined;
      n = typeof p === 'number' ? n.items?.[p] : n.entries?.get(p)?.value;
    }
    return n;
  }

  at(path: Path): Span {
    for (let n = path.length; n >= 0; n--) {
      const node = this.node(path.slice(0, n));
      if (node) return this.spanOfOffsets(node.start, node.end);
    }
    return { file: this.file, line: 1, col: 1, length: 1 };
  }

  keyAt(path: Path, key: string): Span {
    const entry = this.node(path)?.entries?.get(key);
    return entry ? this.spanOfOffsets(entry.keyStart, entry.keyEnd) : this.at(path);
  }

  inString(path: Path, offset: number): Span {
    const node = this.node(path);
    if (node?.kind === 'scalar') {
      const raw = this.text.slice(node.start, node.end);
      const quoted = raw.startsWith('"') || raw.startsWith("'");
      if (!raw.includes('\n') && !raw.startsWith('|') && !raw.startsWith('>')) {
        const start = node.start + (quoted ? 1 : 0) + offset;
        return this.spanOfOffsets(start, start + 1);
      }
    }
    return this.at(path);
  }
}

/**
 * Spans from a tree of node offsets, which both fast readers record as they read (the subset
 * reader directly, js-yaml through its listener). Only a notebook that loads cleanly is read
 * this way, so spans serve the notebook's own locations (each step's line in reports and
 * annotations); every diagnostic is rendered from the yaml library's document instead.
 */
import { spanFrom, type Path, type SourceMap } from './source.js';
import type { Span } from './types.js';
import { OffsetTree, type PosNode } from './offset-tree.js';

export { OffsetTree, type PosNode } from './offset-tree.js';

export class OffsetSourceMap implements SourceMap {
  private readonly lineStarts: Int32Array;
  private readonly tree: OffsetTree;

  /** `nodes`: the subset reader's tree (its root is node 0), or js-yaml's nodes, packed here. */
  constructor(readonly file: string, private readonly text: string, nodes: OffsetTree | PosNode) {
    this.tree = nodes instanceof OffsetTree ? nodes : OffsetTree.of(text, nodes);
    let lines = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    this.lineStarts = new Int32Array(lines);
    lines = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts[lines++] = i + 1;
  }

  spanOfOffsets(start: number, end: number): Span {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= start) lo = mid;
      else hi = mid - 1;
    }
    return spanFrom(this.file, this.text, lo + 1, start - this.lineStarts[lo]! + 1, start, end);
  }

  /** The node at `path`, or -1. */
  private node(path: Path): number {
    let n = this.tree.size ? 0 : -1;
    for (const p of path) {
      if (n < 0) return -1;
      n = this.tree.child(n, p);
    }
    return n;
  }

  at(path: Path): Span {
    for (let n = path.length; n >= 0; n--) {
      const node = this.node(path.slice(0, n));
      if (node >= 0) return this.spanOfOffsets(this.tree.start(node), this.tree.end(node));
    }
    return { file: this.file, line: 1, col: 1, length: 1 };
  }

  keyAt(path: Path, key: string): Span {
    const parent = this.node(path);
    const entry = parent < 0 ? -1 : this.tree.child(parent, key);
    return entry >= 0 ? this.spanOfOffsets(this.tree.keyStart(entry), this.tree.keyEnd(entry)) : this.at(path);
  }

  inString(path: Path, offset: number): Span {
    const node = this.node(path);
    if (node >= 0 && this.tree.isScalar(node)) {
      const raw = this.text.slice(this.tree.start(node), this.tree.end(node));
      const quoted = raw.startsWith('"') || raw.startsWith("'");
      if (!raw.includes('\n') && !raw.startsWith('|') && !raw.startsWith('>')) {
        const start = this.tree.start(node) + (quoted ? 1 : 0) + offset;
        return this.spanOfOffsets(start, start + 1);
      }
    }
    return this.at(path);
  }
}

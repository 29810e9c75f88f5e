/** Maps paths in the parsed YAML back to file:line:col, using the yaml library's node ranges. */
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { Span } from './types.js';

export type Path = ReadonlyArray<string | number>;

export class SourceMap {
  constructor(
    readonly file: string,
    readonly text: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  spanOfOffsets(start: number, end: number): Span {
    const pos = this.lines.linePos(start);
    const lineEnd = this.text.indexOf('\n', start);
    const stop = Math.min(end, lineEnd === -1 ? this.text.length : lineEnd);
    return { file: this.file, line: pos.line, col: pos.col, length: Math.max(1, stop - start) };
  }

  node(path: Path): Node | undefined {
    if (path.length === 0) return this.doc.contents ?? undefined;
    return this.doc.getIn(path, true) as Node | undefined;
  }

  /** Span of the value at `path`; falls back to the nearest ancestor that exists. */
  at(path: Path): Span {
    for (let n = path.length; n >= 0; n--) {
      const node = this.node(path.slice(0, n));
      if (node?.range) return this.spanOfOffsets(node.range[0], node.range[1]);
    }
    return { file: this.file, line: 1, col: 1, length: 1 };
  }

  /** Span of the key `key` in the map at `path` (where a mistyped key is written). */
  keyAt(path: Path, key: string): Span {
    const map = this.node(path);
    if (isMap(map)) {
      for (const pair of map.items) {
        if (isScalar(pair.key) && String(pair.key.value) === key && pair.key.range) {
          return this.spanOfOffsets(pair.key.range[0], pair.key.range[1]);
        }
      }
    }
    return this.at(path);
  }

  /** Span of a character offset inside a string value (for an error inside a `${…}`). */
  inString(path: Path, offset: number): Span {
    const node = this.node(path);
    if (isScalar(node) && node.range && typeof node.value === 'string') {
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
      const plainOrQuoted = quoted || node.type === 'PLAIN';
      if (plainOrQuoted && !node.value.includes('\n')) {
        const start = node.range[0] + (quoted ? 1 : 0) + offset;
        return this.spanOfOffsets(start, start + 1);
      }
    }
    return this.at(path);
  }

  isSeqAt(path: Path): boolean {
    return isSeq(this.node(path));
  }
}

/** Maps paths in the parsed YAML back to file:line:col. */
import { isMap, isScalar, type Document, type LineCounter, type Node } from 'yaml';
import type { Span } from './types.js';

export type Path = ReadonlyArray<string | number>;

/** Where things are in a notebook's text, by their path in the data. */
export interface SourceMap {
  readonly file: string;
  at(path: Path): Span;
  /** Span of the key `key` in the mapping at `path` (where a mistyped key is written). */
  keyAt(path: Path, key: string): Span;
  /** Span of a character offset inside a one-line string value (an error inside a `${…}`). */
  inString(path: Path, offset: number): Span;
  spanOfOffsets(start: number, end: number): Span;
}

/** A span from offsets: one line at most, at least one character wide. */
export function spanFrom(file: string, text: string, line: number, col: number, start: number, end: number): Span {
  const lineEnd = text.indexOf('\n', start);
  const stop = Math.min(end, lineEnd === -1 ? text.length : lineEnd);
  return { file, line, col, length: Math.max(1, stop - start) };
}

/** The yaml library's document and node ranges: used whenever diagnostics are to be shown. */
export class YamlSourceMap implements SourceMap {
  constructor(
    readonly file: string,
    readonly text: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  spanOfOffsets(start: number, end: number): Span {
    const pos = this.lines.linePos(start);
    return spanFrom(this.file, this.text, pos.line, pos.col, start, end);
  }

  node(path: Path): Node | undefined {
    if (path.length === 0) return this.doc.contents ?? undefined;
    return this.doc.getIn(path, true) as Node | undefined;
  }

  at(path: Path): Span {
    for (let n = path.length; n >= 0; n--) {
      const node = this.node(path.slice(0, n));
      if (node?.range) return this.spanOfOffsets(node.range[0], node.range[1]);
    }
    return { file: this.file, line: 1, col: 1, length: 1 };
  }

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
}

/** Line numbers of values inside a JSON or YAML file, for warnings that point at the source. */
import { LineCounter, parseDocument, type Document } from 'yaml';

export class Positions {
  private readonly lines = new LineCounter();
  private readonly doc: Document;

  constructor(text: string) {
    // JSON is YAML 1.2, so one reader gives positions for both.
    this.doc = parseDocument(text, { lineCounter: this.lines, uniqueKeys: false });
  }

  /** 1-based line of the value at `path`, or of the nearest ancestor that has one. */
  line(path: Array<string | number>): number {
    for (let n = path.length; n >= 0; n--) {
      const node = this.doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return this.lines.linePos(node.range[0]).line;
    }
    return 1;
  }
}

/**
 * Every node of a notebook's text as numbers in typed arrays, in document order (a node, then
 * its subtree): where it starts and ends, what kind it is, how many nodes its subtree holds, and
 * for a mapping's value where its key is written (the key itself is read from the text when
 * looked up: a string per key cost as much as the rest together).
 *
 * Why not an object per node: a tree of objects, with a Map per mapping, took ~130 bytes per
 * value: 39 MB for a 10,000-step notebook of 4.5 MB, four times its data, and the larger part of
 * what reading such a file holds at its peak (nine of them read one after another set a run's
 * peak). These arrays take ~30 bytes a node: 6.6 MB for that notebook, less than its data.
 */

/** The object form js-yaml's listener builds (fast-source.ts), packed by OffsetTree.of. */
export interface PosNode {
  start: number;
  end: number;
  kind: 'mapping' | 'sequence' | 'scalar';
  /** mapping: key → key span and value node. */
  entries?: Map<string, { keyStart: number; keyEnd: number; value: PosNode }>;
  items?: PosNode[];
}

const MAPPING = 0;
const SEQUENCE = 1;
const SCALAR = 2;
const KIND = { mapping: MAPPING, sequence: SEQUENCE, scalar: SCALAR } as const;
const KIND_BITS = 3;
/** How a mapping's value's key is written: as it reads, in quotes with nothing escaped, or otherwise (kept in `oddKeys`). */
const KEY_PLAIN = 4;
const KEY_QUOTED = 8;
const KEY_ODD = 16;
/** Past this many children a node's children are found through an index built on first use (a notebook's 10,000 steps). */
const SCAN = 32;

export class OffsetTree {
  private starts: Int32Array;
  private ends: Int32Array;
  /** Nodes in the subtree, this one included: the next sibling is at node + sizes[node]. */
  private sizes: Int32Array;
  private keyStarts: Int32Array;
  private keyEnds: Int32Array;
  /** The kind, and whether and how the node is a mapping's value under a key (a key written twice keeps its first value: the second has none). */
  private kinds: Uint8Array;
  private readonly oddKeys = new Map<number, string>();
  private count = 0;
  private readonly wide = new Map<number, Int32Array | Map<string, number>>();

  constructor(private readonly text: string, expected = 64) {
    const n = Math.max(64, expected);
    this.starts = new Int32Array(n);
    this.ends = new Int32Array(n);
    this.sizes = new Int32Array(n);
    this.keyStarts = new Int32Array(n);
    this.keyEnds = new Int32Array(n);
    this.kinds = new Uint8Array(n);
  }

  /** js-yaml's nodes, packed. Recursive: the reader bounds their depth. */
  static of(text: string, root: PosNode): OffsetTree {
    const tree = new OffsetTree(text);
    const add = (node: PosNode): number => {
      const at = tree.open(node.start, node.kind);
      if (node.entries) {
        for (const [key, { keyStart, keyEnd, value }] of node.entries) tree.setKey(add(value), key, keyStart, keyEnd);
      }
      if (node.items) for (const item of node.items) add(item);
      tree.close(at, node.end);
      return at;
    };
    add(root);
    return tree;
  }

  get size(): number {
    return this.count;
  }

  /** A mapping or sequence starts here; its children follow until close. */
  open(start: number, kind: PosNode['kind']): number {
    if (this.count === this.starts.length) this.grow();
    const at = this.count++;
    this.starts[at] = start;
    this.kinds[at] = KIND[kind];
    return at;
  }

  close(node: number, end: number): number {
    this.ends[node] = end;
    this.sizes[node] = this.count - node;
    return node;
  }

  leaf(start: number, end: number): number {
    return this.close(this.open(start, 'scalar'), end);
  }

  setKey(node: number, key: string, keyStart: number, keyEnd: number): void {
    this.keyStarts[node] = keyStart;
    this.keyEnds[node] = keyEnd;
    const written = keyEnd - keyStart;
    if (written === key.length && this.text.startsWith(key, keyStart)) this.kinds[node]! |= KEY_PLAIN;
    else if (written === key.length + 2 && this.text.startsWith(key, keyStart + 1)) this.kinds[node]! |= KEY_QUOTED;
    else {
      this.kinds[node]! |= KEY_ODD;
      this.oddKeys.set(node, key);
    }
  }

  /** Whether node is a mapping's value under `key`. */
  private keyIs(node: number, key: string): boolean {
    const bits = this.kinds[node]!;
    const start = this.keyStarts[node]!;
    const written = this.keyEnds[node]! - start;
    if (bits & KEY_PLAIN) return written === key.length && this.text.startsWith(key, start);
    if (bits & KEY_QUOTED) return written === key.length + 2 && this.text.startsWith(key, start + 1);
    return (bits & KEY_ODD) !== 0 && this.oddKeys.get(node) === key;
  }

  private keyOf(node: number): string | undefined {
    const bits = this.kinds[node]!;
    const start = this.keyStarts[node]!;
    if (bits & KEY_PLAIN) return this.text.slice(start, this.keyEnds[node]);
    if (bits & KEY_QUOTED) return this.text.slice(start + 1, this.keyEnds[node]! - 1);
    return this.oddKeys.get(node);
  }

  start(node: number): number {
    return this.starts[node]!;
  }

  end(node: number): number {
    return this.ends[node]!;
  }

  keyStart(node: number): number {
    return this.keyStarts[node]!;
  }

  keyEnd(node: number): number {
    return this.keyEnds[node]!;
  }

  isScalar(node: number): boolean {
    return (this.kinds[node]! & KIND_BITS) === SCALAR;
  }

  /** The child of a sequence at an index, or of a mapping under a key; -1 when there is none. */
  child(node: number, p: string | number): number {
    const kind = this.kinds[node]! & KIND_BITS;
    if (typeof p === 'number' ? kind !== SEQUENCE : kind !== MAPPING) return -1;
    const index = this.wide.get(node);
    if (index) return (typeof p === 'number' ? (index as Int32Array)[p] : (index as Map<string, number>).get(p)) ?? -1;
    const stop = node + this.sizes[node]!;
    let seen = 0;
    for (let c = node + 1; c < stop; c += this.sizes[c]!, seen++) {
      if (seen === SCAN) return this.indexed(node, p);
      if (typeof p === 'number' ? seen === p : this.keyIs(c, p)) return c;
    }
    return -1;
  }

  private indexed(node: number, p: string | number): number {
    const stop = node + this.sizes[node]!;
    const children: number[] = [];
    for (let c = node + 1; c < stop; c += this.sizes[c]!) children.push(c);
    if ((this.kinds[node]! & KIND_BITS) === SEQUENCE) this.wide.set(node, Int32Array.from(children));
    else {
      const byKey = new Map<string, number>();
      for (const c of children) {
        const key = this.keyOf(c);
        if (key !== undefined && !byKey.has(key)) byKey.set(key, c);
      }
      this.wide.set(node, byKey);
    }
    return this.child(node, p);
  }

  private grow(): void {
    const n = this.starts.length * 2;
    const bigger = <T extends Int32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.starts = bigger(this.starts);
    this.ends = bigger(this.ends);
    this.sizes = bigger(this.sizes);
    this.keyStarts = bigger(this.keyStarts);
    this.keyEnds = bigger(this.keyEnds);
    this.kinds = bigger(this.kinds);
  }
}

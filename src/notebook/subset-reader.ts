/**
 * The first reader for clean notebooks: the YAML that notebooks are written in, read in one pass
 * that records every node's offsets as it goes. Block mappings and lists, flow `{…}` and `[…]`
 * (on one line or several), plain, quoted and `|`/`>` block scalars, comments.
 *
 * Why a reader of our own: loading was a third of a step's cost in `npm run bench` (a 900-step
 * notebook: js-yaml and its position listener ~65 ms of a cold process, then the shape guard).
 * This reader allocates only the data and one offset node per value, and its values are typed by
 * js-yaml's own core-schema resolvers, so `yes`, `0o14`, `.inf` read exactly as before.
 *
 * It never decides that a file is wrong. Whatever lies outside the subset (anchors, aliases,
 * tags, `---`, `? ` keys, empty values, multi-line plain scalars, tabs, CRLF…) or breaks a rule
 * gives up, and the loader asks js-yaml, then the yaml library, which words every diagnostic.
 * Tests hold it to js-yaml's data and the yaml library's spans, on every notebook in the repo
 * and on generated YAML (test/subset-reader.test.ts). Scalars are in subset-scalars.ts.
 */
import { LIMITS, valuesLimit } from './limits.js';
import { OffsetSourceMap, OffsetTree } from './offsets.js';
import type { SourceMap } from './source.js';
import { fold, ordinaryKey, OUTSIDE, resolvePlain, typedKey, unescapeDouble } from './subset-scalars.js';


/** Below the guard's limit, so that what this reader accepts always passes the guard. */
const MAX_DEPTH = LIMITS.depth - 4;
/** js-yaml refuses implicit keys longer than this (the YAML spec's limit). */
const MAX_KEY = 1024;

const NL = 10;
const SPACE = 32;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKSLASH = 92;
const COMMA = 44;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;

/**
 * The data and positions of `text`, or undefined when it is outside the subset. What it returns
 * has no shared or circular values and stays within LIMITS, so it needs no shape guard.
 */
export function readSubset(text: string, file: string): { data: unknown; source: SourceMap } | undefined {
  const read = readSubsetAt(text, file);
  return 'data' in read ? read : undefined;
}

export interface DuplicateKey {
  key: string;
  keyStart: number;
  keyEnd: number;
}

/** The data; or keys written twice (`duplicates`, a file otherwise in the subset); or where it gave up. */
export type SubsetRead =
  | { data: unknown; source: SourceMap }
  | { duplicates: DuplicateKey[]; duplicateCount: number; source: SourceMap }
  | { outsideAt?: number; tooManyAt?: number; tooWideAt?: number };

/**
 * readSubset, saying where it gave up (`outsideAt`, an offset; neither for a file it does not
 * try): for a big file, the loader shows the yaml library that part first (yaml-window.ts). Past
 * the values limit it says where (`tooManyAt`): what it read up to there is valid, so the file
 * holds too many values whatever follows.
 */
export function readSubsetAt(text: string, file: string): SubsetRead {
  const big = text.length > LIMITS.yamlBytes;
  // Tabs, CRLF and a byte-order mark all have rules of their own; js-yaml takes those files. Of
  // a big file, the part before the first tab is read still: past the values limit there, the
  // file holds too many whatever follows (js-yaml would spend seconds finding it out), else the
  // tab is where the yaml library looks first.
  const tab = text.indexOf('\t');
  if (text.includes('\r') || text.charCodeAt(0) === 0xfeff) return {};
  if (tab >= 0) {
    if (!big) return {};
    const before = readSubsetAt(text.slice(0, text.lastIndexOf('\n', tab) + 1), file);
    return 'tooManyAt' in before || 'tooWideAt' in before ? before : { outsideAt: tab };
  }
  const reader = new SubsetReader(text, valuesLimit(text.length), big ? LIMITS.mappingKeys : Infinity);
  try {
    reader.document();
    const source = new OffsetSourceMap(file, text, reader.tree);
    if (reader.duplicateCount) return { duplicates: reader.duplicates, duplicateCount: reader.duplicateCount, source };
    return { data: reader.result, source };
  } catch (err) {
    if (err !== OUTSIDE) throw err;
    if (reader.tooMany) return { tooManyAt: reader.position };
    if (reader.tooWideAt !== undefined) return { tooWideAt: reader.tooWideAt };
    return { outsideAt: reader.position };
  }
}

class SubsetReader {
  /** The value of the node just read (each read returns its offsets and leaves its value here). */
  result: unknown;
  private i = 0;
  private lineStart = 0;
  private depth = 0;
  private values = 0;
  /** In a flow collection, continuation lines must be indented past this column. */
  private flowIndent = -1;
  /** Where the key just found by keyColon ends. */
  private keyEnd = 0;
  private readonly n: number;
  /** Set when the reader gave up because the file holds more values than maxValues. */
  tooMany = false;
  /** Set when it gave up at a key past maxKeys in one mapping: that key's offset. */
  tooWideAt: number | undefined;
  /** Keys written twice in one mapping, in the order read (the first LIMITS.diagnostics). */
  readonly duplicates: DuplicateKey[] = [];
  duplicateCount = 0;

  /** Every node's offsets, in the order read (the root is node 0). */
  readonly tree: OffsetTree;

  constructor(private readonly text: string, private readonly maxValues: number, private readonly maxKeys: number) {
    this.n = text.length;
    // About one node per 16 characters in a block-style notebook; the arrays grow past that.
    this.tree = new OffsetTree(text, text.length >> 4);
  }

  /**
   * A key written twice is read on past, so that a file of thousands is answered in one pass
   * (the yaml library takes a second to read 256 KiB of them); the first value stays.
   */
  private duplicate(key: string, keyStart: number, keyEnd: number): true {
    if (this.duplicates.length < LIMITS.diagnostics) this.duplicates.push({ key, keyStart, keyEnd });
    this.duplicateCount++;
    return true;
  }

  get position(): number {
    return this.i;
  }

  document(): number {
    this.skipBlank();
    if (this.i >= this.n || this.text.charCodeAt(this.i) === 37 /* % directive */) throw OUTSIDE;
    const root = this.block(this.column(), -1);
    this.skipBlank();
    if (this.i < this.n) throw OUTSIDE;
    return root;
  }

  private column(): number {
    return this.i - this.lineStart;
  }

  private code(at: number): number {
    return at < this.n ? this.text.charCodeAt(at) : -1;
  }

  /** A space, a line break or the end of the text: what must follow `-`, `:` and `?` indicators. */
  private blankAt(at: number): boolean {
    const c = this.code(at);
    return c === SPACE || c === NL || c === -1;
  }

  private count(): void {
    if (++this.values > this.maxValues) {
      this.tooMany = true;
      throw OUTSIDE;
    }
  }

  /** A big file's mapping may hold LIMITS.mappingKeys keys (see there). */
  private wide(size: number, keyStart: number): void {
    if (size < this.maxKeys) return;
    this.tooWideAt = keyStart;
    throw OUTSIDE;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw OUTSIDE;
  }

  /** Past spaces, line breaks and comments, to the next content; a line starting `---` or `...` gives up. */
  private skipBlank(): void {
    const { text, n } = this;
    let i = this.i;
    for (;;) {
      while (i < n && text.charCodeAt(i) === SPACE) i++;
      if (i >= n) break;
      const c = text.charCodeAt(i);
      if (c === NL) {
        this.lineStart = ++i;
      } else if (c === HASH) {
        const end = text.indexOf('\n', i);
        i = end === -1 ? n : end;
      } else break;
    }
    this.i = i;
    // Even `---x` opens a document for js-yaml at the top of a file: any such line gives up.
    if (i < n && i === this.lineStart && (text.startsWith('---', i) || text.startsWith('...', i))) throw OUTSIDE;
  }

  /** After a value in block context: only spaces and a comment may end the line. */
  private endOfLine(): void {
    const { text, n } = this;
    let i = this.i;
    while (i < n && text.charCodeAt(i) === SPACE) i++;
    if (i < n && text.charCodeAt(i) === HASH) {
      if (i === this.i) throw OUTSIDE; // `"a"#b`: a comment needs a space before it
      const end = text.indexOf('\n', i);
      i = end === -1 ? n : end;
    }
    if (i < n && text.charCodeAt(i) !== NL) throw OUTSIDE;
    this.i = i;
  }

  /** At the end of the line (or a comment) once spaces are skipped: the value is on the lines below. */
  private valueBelow(): boolean {
    while (this.code(this.i) === SPACE) this.i++;
    const c = this.code(this.i);
    return c === NL || c === -1 || c === HASH;
  }

  /** A node that starts at column `col` of its line (or after `- ` on it). */
  private block(col: number, parentIndent: number): number {
    if (this.code(this.i) === DASH && this.blankAt(this.i + 1)) return this.sequence(col);
    if (this.keyColon() >= 0) return this.mapping(col);
    const node = this.inline(parentIndent);
    this.endOfLine();
    return node;
  }

  private mapping(col: number): number {
    this.enter();
    this.count();
    const start = this.i;
    const node = this.tree.open(start, 'mapping');
    const data: Record<string, unknown> = {};
    let keys = 0;
    let end: number;
    for (;;) {
      const keyStart = this.i;
      const colon = this.keyColon();
      if (colon < 0) throw OUTSIDE;
      const keyEnd = this.keyEnd;
      const key = this.keyText(keyStart, keyEnd);
      const again = Object.hasOwn(data, key) && this.duplicate(key, keyStart, keyEnd);
      this.wide(keys, keyStart);
      this.i = colon + 1;
      let value: number;
      if (this.valueBelow()) {
        this.skipBlank();
        if (this.i >= this.n) throw OUTSIDE; // an empty value
        const below = this.column();
        if (below > col) value = this.block(below, col);
        else if (below === col && this.code(this.i) === DASH && this.blankAt(this.i + 1)) value = this.sequence(col);
        else throw OUTSIDE; // an empty value
      } else {
        value = this.inline(col);
        this.endOfLine();
      }
      if (!again) {
        data[key] = this.result;
        this.tree.setKey(value, key, keyStart, keyEnd);
        keys++;
      }
      end = this.i;
      this.skipBlank();
      if (this.i >= this.n) break;
      const next = this.column();
      if (next < col) break;
      if (next > col || (this.code(this.i) === DASH && this.blankAt(this.i + 1))) throw OUTSIDE;
    }
    this.depth--;
    this.result = data;
    return this.tree.close(node, end);
  }

  private sequence(col: number): number {
    this.enter();
    this.count();
    const node = this.tree.open(this.i, 'sequence');
    const data: unknown[] = [];
    let end: number;
    for (;;) {
      this.i++; // the `-`
      if (this.valueBelow()) {
        this.skipBlank();
        if (this.i >= this.n || this.column() <= col) throw OUTSIDE; // an empty entry
      }
      this.block(this.column(), col);
      data.push(this.result);
      end = this.i;
      this.skipBlank();
      if (this.i >= this.n) break;
      const next = this.column();
      if (next > col) throw OUTSIDE;
      // Less indented, or a key of the mapping this list is the value of: the list ends.
      if (next < col || !(this.code(this.i) === DASH && this.blankAt(this.i + 1))) break;
    }
    this.depth--;
    this.result = data;
    return this.tree.close(node, end);
  }

  /**
   * Whether the line from here reads `key:` (a plain or quoted key, then `:` and a space or the
   * line's end): the offset of that `:`, else -1. Sets keyEnd.
   */
  private keyColon(): number {
    const { text, n } = this;
    const start = this.i;
    const c = this.code(start);
    if (c === DQUOTE || c === SQUOTE) {
      let j = this.quotedEnd(start);
      if (j < 0) return -1;
      this.keyEnd = j;
      while (this.code(j) === SPACE) j++;
      return this.code(j) === COLON && this.blankAt(j + 1) ? j : -1;
    }
    if (!this.plainStart(start, false)) return -1;
    for (let j = start; j < n; j++) {
      const ch = text.charCodeAt(j);
      if (ch === NL) return -1;
      if (ch === COLON && this.blankAt(j + 1)) {
        let e = j;
        while (e > start && text.charCodeAt(e - 1) === SPACE) e--;
        this.keyEnd = e;
        return j;
      }
      if (ch === HASH && text.charCodeAt(j - 1) === SPACE) return -1;
    }
    return -1;
  }

  /** The key written at start…end as a string; gives up on keys JavaScript or js-yaml would change. */
  private keyText(start: number, end: number): string {
    if (end - start > MAX_KEY) throw OUTSIDE;
    const c = this.text.charCodeAt(start);
    let key: string;
    if (c === DQUOTE || c === SQUOTE) {
      this.i = start;
      this.quotedText();
      key = this.result as string;
    } else {
      key = this.text.slice(start, end);
      // `1:`, `true:`, `null:` are keys of other types, which JavaScript turns into strings its own way.
      if (typedKey(key)) throw OUTSIDE;
    }
    if (!ordinaryKey(key)) throw OUTSIDE;
    return key;
  }

  /**
   * Whether a plain scalar may start at `at`: not an indicator (`&` anchors, `*` aliases, `!`
   * tags, `|`/`>` block scalars, `%`, `@`, backquote, `#`, flow brackets), and `-`, `?`, `:`
   * only when something other than a space follows.
   */
  private plainStart(at: number, inFlow: boolean): boolean {
    const c = this.code(at);
    switch (c) {
      case -1: case NL: case SPACE: case HASH: case COMMA: case LBRACKET: case RBRACKET: case LBRACE: case RBRACE:
      case 38: case 42: case 33: case 124: case 62: case 37: case 64: case 96: case DQUOTE: case SQUOTE:
        return false;
      case DASH: case 63 /* ? */: case COLON: {
        const next = this.code(at + 1);
        return !(next === SPACE || next === NL || next === -1 || (inFlow && (next === COMMA || next === LBRACKET || next === RBRACKET || next === LBRACE || next === RBRACE)));
      }
      default:
        return true;
    }
  }

  /** A scalar or a flow collection on the current line; a block scalar takes the lines below. */
  private inline(parentIndent: number): number {
    const c = this.code(this.i);
    if (c === DQUOTE || c === SQUOTE) return this.quoted();
    if (c === LBRACE || c === LBRACKET) {
      this.flowIndent = parentIndent;
      return c === LBRACE ? this.flowMapping() : this.flowSequence();
    }
    if (c === 124 /* | */ || c === 62 /* > */) return this.blockScalar(parentIndent);
    if (!this.plainStart(this.i, false)) throw OUTSIDE;
    return this.plain(false);
  }

  /** A plain scalar: to the end of the line or a comment (in flow, also to `,` `]` `}`). */
  private plain(inFlow: boolean): number {
    const { text, n } = this;
    const start = this.i;
    let j = start;
    for (; j < n; j++) {
      const ch = text.charCodeAt(j);
      if (ch === NL) break;
      if (ch === HASH && text.charCodeAt(j - 1) === SPACE) break;
      if (ch === COLON) {
        const next = this.code(j + 1);
        // `a: b` inside a value: a mapping where a scalar stands (the yaml library words it).
        if (next === SPACE || next === NL || next === -1) throw OUTSIDE;
        if (inFlow && (next === COMMA || next === LBRACKET || next === RBRACKET || next === LBRACE || next === RBRACE)) throw OUTSIDE;
      }
      if (inFlow && (ch === COMMA || ch === LBRACKET || ch === RBRACKET || ch === LBRACE || ch === RBRACE)) break;
    }
    let end = j;
    while (end > start && text.charCodeAt(end - 1) === SPACE) end--;
    this.i = end;
    this.count();
    this.result = resolvePlain(text.slice(start, end));
    return this.tree.leaf(start, end);
  }

  /** Offset just past the closing quote of the quoted scalar at `start`, on its line; -1 if none. */
  private quotedEnd(start: number): number {
    const { text, n } = this;
    const q = text.charCodeAt(start);
    for (let j = start + 1; j < n; j++) {
      const ch = text.charCodeAt(j);
      if (ch === NL) return -1;
      if (q === DQUOTE && ch === BACKSLASH) j++;
      else if (ch === q) {
        if (q === SQUOTE && this.code(j + 1) === SQUOTE) j++;
        else return j + 1;
      }
    }
    return -1;
  }

  /** A quoted scalar on one line (a quoted scalar over several lines folds: js-yaml reads those). */
  private quoted(): number {
    const start = this.i;
    return this.tree.leaf(start, this.quotedText());
  }

  /** The quoted scalar here read into `result` (a key's too, which is no node of its own): where it ends. */
  private quotedText(): number {
    const start = this.i;
    const end = this.quotedEnd(start);
    if (end < 0) throw OUTSIDE;
    const raw = this.text.slice(start + 1, end - 1);
    if (this.text.charCodeAt(start) === SQUOTE) this.result = raw.includes("''") ? raw.replaceAll("''", "'") : raw;
    else this.result = raw.includes('\\') ? unescapeDouble(raw) : raw;
    this.i = end;
    this.count();
    return end;
  }

  /** Spaces, line breaks and comments inside a flow collection. */
  private flowSpace(): void {
    const { text, n } = this;
    for (;;) {
      const c = this.code(this.i);
      if (c === SPACE) this.i++;
      else if (c === NL) {
        this.lineStart = ++this.i;
        while (this.code(this.i) === SPACE) this.i++;
        // A continuation line must be indented past the block it sits in.
        if (this.i < n && this.column() <= this.flowIndent) throw OUTSIDE;
      } else if (c === HASH) {
        if (!this.blankAt(this.i - 1) && this.i > 0) throw OUTSIDE;
        const end = text.indexOf('\n', this.i);
        this.i = end === -1 ? n : end;
      } else return;
    }
  }

  /** A value inside a flow collection. */
  private flowNode(): number {
    const c = this.code(this.i);
    if (c === DQUOTE || c === SQUOTE) return this.quoted();
    if (c === LBRACE) return this.flowMapping();
    if (c === LBRACKET) return this.flowSequence();
    if (!this.plainStart(this.i, true)) throw OUTSIDE;
    return this.plain(true);
  }

  private flowMapping(): number {
    this.enter();
    this.count();
    const node = this.tree.open(this.i++, 'mapping');
    const data: Record<string, unknown> = {};
    let keys = 0;
    this.flowSpace();
    while (this.code(this.i) !== RBRACE) {
      const keyStart = this.i;
      const c = this.code(keyStart);
      let keyEnd: number;
      if (c === DQUOTE || c === SQUOTE) keyEnd = this.quotedEnd(keyStart);
      else if (this.plainStart(keyStart, true)) keyEnd = this.flowKeyEnd();
      else throw OUTSIDE;
      if (keyEnd < 0) throw OUTSIDE;
      const key = this.keyText(keyStart, keyEnd);
      this.i = keyEnd;
      const again = Object.hasOwn(data, key) && this.duplicate(key, keyStart, keyEnd);
      this.wide(keys, keyStart);
      while (this.code(this.i) === SPACE) this.i++;
      if (this.code(this.i) !== COLON) throw OUTSIDE; // `{a, b}`: keys without values
      this.i++;
      this.flowSpace();
      const next = this.code(this.i);
      if (next === COMMA || next === RBRACE) throw OUTSIDE; // an empty value
      const value = this.flowNode();
      if (!again) {
        data[key] = this.result;
        this.tree.setKey(value, key, keyStart, keyEnd);
        keys++;
      }
      if (!this.flowSeparator(RBRACE)) break;
    }
    if (this.code(this.i) !== RBRACE) throw OUTSIDE;
    this.i++;
    this.depth--;
    this.result = data;
    return this.tree.close(node, this.i);
  }

  /** Where a plain key in a flow mapping ends: before `: ` (or `:` and a line break), on its line. */
  private flowKeyEnd(): number {
    const { text, n } = this;
    const start = this.i;
    for (let j = start; j < n; j++) {
      const ch = text.charCodeAt(j);
      if (ch === COLON) {
        const next = this.code(j + 1);
        if (next === SPACE || next === NL) {
          let end = j;
          while (end > start && text.charCodeAt(end - 1) === SPACE) end--;
          return end;
        }
      }
      if (ch === NL || ch === COMMA || ch === LBRACKET || ch === RBRACKET || ch === LBRACE || ch === RBRACE) throw OUTSIDE;
      if (ch === HASH && text.charCodeAt(j - 1) === SPACE) throw OUTSIDE;
    }
    throw OUTSIDE;
  }

  private flowSequence(): number {
    this.enter();
    this.count();
    const node = this.tree.open(this.i++, 'sequence');
    const data: unknown[] = [];
    this.flowSpace();
    while (this.code(this.i) !== RBRACKET) {
      this.flowNode();
      // `[a: 1]` is a mapping inside a list; `[{…}: 1]` a complex key.
      if (this.code(this.i) === COLON) throw OUTSIDE;
      data.push(this.result);
      if (!this.flowSeparator(RBRACKET)) break;
    }
    if (this.code(this.i) !== RBRACKET) throw OUTSIDE;
    this.i++;
    this.depth--;
    this.result = data;
    return this.tree.close(node, this.i);
  }

  /** After an entry: `,` then maybe the closer (a trailing comma), or the closer. True when more entries follow. */
  private flowSeparator(closer: number): boolean {
    this.flowSpace();
    const c = this.code(this.i);
    if (c === closer) return false;
    if (c !== COMMA) throw OUTSIDE;
    this.i++;
    this.flowSpace();
    return this.code(this.i) !== closer;
  }

  /**
   * A `|` (literal) or `>` (folded) block scalar, with `-`/`+` chomping. Gives up on an explicit
   * indentation digit, a folded scalar with more-indented lines, a blank line with spaces past the
   * indentation, and an empty scalar: rare in notebooks, each with rules of its own.
   */
  private blockScalar(parentIndent: number): number {
    const { text, n } = this;
    const start = this.i;
    const folded = text.charCodeAt(start) === 62;
    let chomp = this.code(start + 1);
    this.i = start + 1;
    if (chomp === DASH || chomp === 43 /* + */) this.i++;
    else chomp = 0;
    this.endOfLine(); // an indentation digit, or text after the header, gives up here
    if (this.i >= n) throw OUTSIDE;
    // The lines below, while blank or indented past the parent; the first with text sets the indentation.
    let indent = -1;
    let lineAt = this.i + 1;
    const lines: string[] = [];
    let lastText = -1;
    let end = start + 1;
    let consumedTo = this.i; // the line break that ends the last line taken
    while (lineAt <= n) {
      let s = lineAt;
      while (s < n && text.charCodeAt(s) === SPACE) s++;
      const eolFound = text.indexOf('\n', s);
      const eol = eolFound === -1 ? n : eolFound;
      const spaces = s - lineAt;
      if (s === eol) {
        if (lineAt === n) break; // the end of the text
        // A blank line: part of the scalar while it continues (chomping decides about the last ones).
        if (indent >= 0 && spaces > indent) throw OUTSIDE;
        if (eolFound === -1) break;
        lines.push('');
        lineAt = eol + 1;
        continue;
      }
      if (indent < 0) {
        if (spaces <= parentIndent || spaces === 0) throw OUTSIDE; // an empty scalar
        // Leading blank lines may not hold more spaces than the first line of text.
        if (this.leadingBlankSpaces(this.i + 1, lineAt) > spaces) throw OUTSIDE;
        indent = spaces;
      }
      if (spaces < indent) break;
      if (folded && spaces > indent) throw OUTSIDE;
      if (eolFound === -1) throw OUTSIDE; // the last line has no line break: js-yaml's chomping differs there
      lines.push(text.slice(lineAt + indent, eol));
      lastText = lines.length - 1;
      let e = eol;
      while (e > s && text.charCodeAt(e - 1) === SPACE) e--;
      end = e;
      consumedTo = eol;
      lineAt = eol + 1;
    }
    if (lastText < 0) throw OUTSIDE;
    const trailing = lines.length - 1 - lastText;
    const body = lines.slice(0, lastText + 1);
    if (folded && body[0] === '') throw OUTSIDE;
    let value = folded ? fold(body) : body.join('\n');
    if (chomp === 0) value += '\n';
    else if (chomp === 43) {
      value += '\n'.repeat(1 + trailing);
      // Kept blank lines belong to the scalar: the next node starts after them.
      if (trailing) consumedTo = this.lineEndAfter(consumedTo, trailing);
    }
    this.i = consumedTo;
    this.lineStart = text.lastIndexOf('\n', consumedTo - 1) + 1;
    this.count();
    this.result = value;
    return this.tree.leaf(start, end);
  }

  /** The most spaces on the blank lines between two offsets. */
  private leadingBlankSpaces(from: number, to: number): number {
    let most = 0;
    let run = 0;
    for (let j = from; j < to; j++) {
      if (this.text.charCodeAt(j) === SPACE) run++;
      else {
        most = Math.max(most, run);
        run = 0;
      }
    }
    return most;
  }

  /** The line break `count` lines after the one at `from`. */
  private lineEndAfter(from: number, count: number): number {
    let at = from;
    for (let k = 0; k < count; k++) at = this.text.indexOf('\n', at + 1);
    return at;
  }
}

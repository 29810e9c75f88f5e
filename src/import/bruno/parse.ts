/**
 * The .bru text format (usebruno/bruno, packages/bruno-lang) → blocks with their source lines.
 * Our own small reader rather than @usebruno/lang: that package brings ohm-js and gives no
 * positions, and every warning the importer prints names its line. The grammar is three kinds
 * of block at column 0, each closed by `}` or `]` at column 0:
 *   - dictionaries `name {` of `key: value` lines (`~key` disabled, `@annotation` lines before a
 *     pair, `'''` multi-line values, `"quoted key": value`),
 *   - text blocks (`body:json {`, `script:post-response {`, `tests {`, `docs {`…) indented by two,
 *   - lists `vars:secret [` of names separated by commas or lines.
 */
import { ImportError } from '../draft.js';

export interface BruPair {
  key: string;
  value: string;
  enabled: boolean;
  line: number;
  /** `@contentType(x)` written after a multipart value, `@number` written above a var… */
  annotations: string[];
}

export interface BruBlock {
  name: string;
  line: number;
  pairs: BruPair[];
  /** A text block's content, dedented; a list block's items joined by `\n`. */
  text: string;
  /** Line of the first line of `text`. */
  textLine: number;
  items: string[];
}

export type BruFile = BruBlock[];

const TEXT_BLOCK = /^(body(:(json|text|xml|sparql|graphql|graphql:vars))?|script:(pre-request|post-response)|tests|docs)$/;

export function parseBru(text: string, file: string): BruFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const blocks: BruFile = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim()) continue;
    const open = /^([\w:.-]+)\s*([{[])\s*$/.exec(line);
    if (!open) throw new ImportError(`${file}:${i + 1}:1: expected a block such as \`get {\`, found \`${line.trim().slice(0, 40)}\``, i + 1, 'a .bru file is a list of blocks, each opened by `name {` and closed by `}` at the start of a line');
    const name = open[1]!;
    const close = open[2] === '{' ? '}' : ']';
    const end = closingLine(lines, i, close);
    if (end < 0) throw new ImportError(`${file}:${i + 1}:1: the block \`${name}\` is never closed`, i + 1, `close it with \`${close}\` at the start of a line`);
    const body = lines.slice(i + 1, end);
    const block: BruBlock = { name, line: i + 1, pairs: [], text: '', textLine: i + 2, items: [] };
    if (close === ']') block.items = body.join('\n').split(/[,\n]/).map((s) => s.trim().replace(/^~/, '')).filter(Boolean);
    else if (TEXT_BLOCK.test(name)) block.text = dedent(body);
    else block.pairs = pairsOf(body, i + 2, file);
    blocks.push(block);
    i = end;
  }
  return blocks;
}

function closingLine(lines: string[], from: number, close: string): number {
  for (let j = from + 1; j < lines.length; j++) if (lines[j]!.trimEnd() === close) return j;
  return -1;
}

function dedent(body: string[]): string {
  return body.map((l) => (l.startsWith('  ') ? l.slice(2) : l.trimStart())).join('\n').replace(/\s+$/, '');
}

function pairsOf(body: string[], firstLine: number, file: string): BruPair[] {
  const pairs: BruPair[] = [];
  let annotations: string[] = [];
  for (let k = 0; k < body.length; k++) {
    const raw = body[k]!.trim();
    if (!raw) continue;
    const lineNo = firstLine + k;
    if (raw.startsWith('@')) {
      // `@description('''…''')` may span lines: skip to its close.
      if (/^@\w+\('''\s*$/.test(raw)) while (k + 1 < body.length && !body[++k]!.trim().startsWith("'''")) continue;
      annotations.push(raw.replace(/\(.*$/, ''));
      continue;
    }
    const pair = splitPair(raw);
    if (!pair) throw new ImportError(`${file}:${lineNo}:3: expected \`key: value\`, found \`${raw.slice(0, 40)}\``, lineNo, 'each line of this block is a `name: value` pair');
    let value = pair.value;
    if (value.startsWith("'''")) {
      // A multi-line value: the lines up to the closing `'''`, which may carry annotations.
      const inner: string[] = [];
      while (k + 1 < body.length && !body[k + 1]!.trim().startsWith("'''")) inner.push(body[++k]!);
      k++;
      const tail = (body[k] ?? '').trim().slice(3).trim();
      value = dedentValue(inner) + (tail ? ` ${tail}` : '');
    }
    const trailing = /((?:\s+@\w+\([^)]*\))+)$/.exec(value);
    const ann = [...annotations];
    if (trailing) {
      ann.push(...trailing[1]!.trim().split(/\s+(?=@)/));
      value = value.slice(0, -trailing[1]!.length);
    }
    pairs.push({ key: pair.key, value: value.trim(), enabled: pair.enabled, line: lineNo, annotations: ann });
    annotations = [];
  }
  return pairs;
}

function splitPair(raw: string): { key: string; value: string; enabled: boolean } | undefined {
  const enabled = !raw.startsWith('~');
  const rest = enabled ? raw : raw.slice(1);
  const quoted = /^"((?:[^"\\]|\\.)*)"\s*:(.*)$/.exec(rest);
  if (quoted) return { key: quoted[1]!.replace(/\\(.)/g, '$1'), value: quoted[2]!.trim(), enabled };
  const colon = rest.indexOf(':');
  if (colon <= 0) return undefined;
  return { key: rest.slice(0, colon).trim(), value: rest.slice(colon + 1).trim(), enabled };
}

function dedentValue(lines: string[]): string {
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
}

/** The block named `name`, if the file has one. */
export function block(file: BruFile, name: string): BruBlock | undefined {
  return file.find((b) => b.name === name);
}

/** A dictionary block as a map of its enabled pairs (later keys win, as in Bruno). */
export function dictOf(file: BruFile, name: string): Map<string, BruPair> {
  const out = new Map<string, BruPair>();
  for (const p of block(file, name)?.pairs ?? []) if (p.enabled) out.set(p.key, p);
  return out;
}

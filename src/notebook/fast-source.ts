/**
 * The fast path for notebooks that load cleanly: js-yaml reads the data ~6× faster than the yaml
 * library (a 900-step notebook: ~45 ms against ~290 ms), and its listener reports where every
 * node opens and closes, from which the same spans are rebuilt. Anything unusual (a syntax
 * error, a mapping whose children cannot be matched to its keys) returns undefined, and the
 * loader takes the yaml path, which also renders every diagnostic.
 */
import yaml from 'js-yaml';
import { LIMITS, valuesLimit } from './limits.js';
import { OffsetSourceMap, type PosNode } from './offsets.js';
import { spanFrom, type SourceMap } from './source.js';
import type { Span } from './types.js';

interface Frame {
  children: PosNode[];
  open: number;
}

class Misaligned extends Error {}
class TooMany extends Error {}

/** Where js-yaml found the first problem of a file it refused, and how it words it. */
export interface FastSyntaxError {
  syntaxAt: number;
  message: string;
  span: Span;
}

/**
 * Parses `text`; undefined when the fast path cannot vouch for its positions. A file nested too
 * deeply is answered here, located, since the yaml library would recurse until the stack ends;
 * so is one holding more values than valuesLimit allows, before their nodes fill the memory. A
 * syntax error says where it is (the loader shows a big file's yaml library only that part).
 */
export function parseFast(text: string, file: string): { data: unknown; source: SourceMap } | { tooDeep: Span } | { tooMany: Span; limit: number } | FastSyntaxError | undefined {
  const stack: Frame[] = [{ children: [], open: 0 }];
  // Keys are nodes to js-yaml's listener: twice the values a notebook may hold.
  const maxValues = 2 * valuesLimit(text.length);
  let values = 0;
  let data: unknown;
  try {
    data = yaml.load(text, <yaml.LoadOptions>{
      schema: yaml.CORE_SCHEMA,
      json: false,
      // js-yaml (4.1.1+; not yet in its types) counts the document and each scalar as levels too.
      maxDepth: LIMITS.depth + 2,
      listener(event, state) {
        if (event === 'open') {
          stack.push({ children: [], open: state.position });
          return;
        }
        if (++values > maxValues) throw new TooMany();
        const frame = stack.pop()!;
        stack[stack.length - 1].children.push(toNode(text, frame, state.kind, state.result, state.position));
      },
    });
  } catch (caught) {
    let err = caught;
    // Children that cannot be matched to their keys may be a syntax error further on: without
    // the listener, js-yaml says whether there is one (a big file must not reach the yaml library whole).
    if (err instanceof Misaligned) {
      try {
        yaml.load(text, <yaml.LoadOptions>{ schema: yaml.CORE_SCHEMA, json: false, maxDepth: LIMITS.depth + 2 });
        return undefined;
      } catch (again) {
        err = again;
      }
    }
    if (err instanceof TooMany) return { tooMany: spanAt(file, text, contentStart(text, stack[stack.length - 1].open)), limit: valuesLimit(text.length) };
    const mark = (err as yaml.YAMLException).mark as (yaml.YAMLException['mark'] & { position: number }) | undefined;
    if (mark && /maxDepth/.test((err as Error).message)) return { tooDeep: spanFrom(file, text, mark.line + 1, mark.column + 1, mark.position, mark.position + 1) };
    if (mark && err instanceof yaml.YAMLException) {
      // js-yaml reads the text with a line break added: its mark may lie one past the end.
      const at = Math.min(mark.position, Math.max(0, text.length - 1));
      return { syntaxAt: at, message: (err as yaml.YAMLException).reason, span: spanAt(file, text, at) };
    }
    return undefined;
  }
  const root = stack[0].children[0];
  if (!root) return undefined;
  return { data, source: new OffsetSourceMap(file, text, root) };
}

/** The one-character span at an offset, its line counted without copying the text. */
export function spanAt(file: string, text: string, at: number): Span {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return spanFrom(file, text, line, at - (text.lastIndexOf('\n', at - 1) + 1) + 1, at, at + 1);
}

/** First character of the node: past spaces, line breaks, comments and a sequence's `- `. */
function contentStart(text: string, from: number): number {
  let i = from;
  for (;;) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') i++;
    else if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else return i;
  }
}

function toNode(text: string, frame: Frame, kind: string | null, result: unknown, end: number): PosNode {
  const start = contentStart(text, frame.open);
  if (kind === 'mapping') {
    const keys = Object.keys(result as object);
    if (frame.children.length !== keys.length * 2) throw new Misaligned();
    const entries = new Map<string, { keyStart: number; keyEnd: number; value: PosNode }>();
    keys.forEach((k, i) => {
      const key = frame.children[2 * i];
      // JavaScript orders integer-like keys first; then children and keys no longer line up.
      if (!keyMatches(text, key.start, key.end, k)) throw new Misaligned();
      entries.set(k, { keyStart: key.start, keyEnd: key.end, value: frame.children[2 * i + 1] });
    });
    return { start, end, kind: 'mapping', entries };
  }
  if (kind === 'sequence') return { start, end, kind: 'sequence', items: frame.children };
  return { start, end: Math.max(start, trimEnd(text, start, end)), kind: 'scalar' };
}

/** Whether the key written at start…end (maybe quoted) reads as `k`; compared in place, no copies. */
function keyMatches(text: string, start: number, end: number, k: string): boolean {
  if (end - start === k.length && text.startsWith(k, start)) return true;
  const q = text[start];
  if ((q === '"' || q === "'") && text[end - 1] === q && end - start === k.length + 2) return text.startsWith(k, start + 1);
  // Anything else (escapes, a key quoted on one side only): compare as before.
  return text.slice(start, end).replace(/^["']|["']$/g, '') === k;
}

/** js-yaml may close a scalar past trailing spaces; spans end at the last character. */
function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && isSpace(text.charCodeAt(e - 1))) e--;
  return e;
}

/** What the regex `\s` matches in the ASCII range, plus the Unicode spaces YAML text may hold. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(String.fromCharCode(c)));
}

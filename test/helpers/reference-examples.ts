/**
 * Every example JSON object of the 2015 Stripe reference (test/fixtures/stripe), in every language
 * variant the reference prints: the bare JSON, and the Ruby, Python, PHP, Java and Go renderings
 * (`#<Stripe::Charge …> JSON: {`, `Stripe\Collection JSON: {`, `"object" => "list"`, …), turned back
 * into JSON. List examples elide their other items (`{...}`, `#<Stripe::Customer[...] ...>`); the
 * items shown are kept. A printout cut off by the end of the text is reported as such.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const REFERENCE = join(import.meta.dirname, '..', 'fixtures', 'stripe', 'reference-2015-07-28.txt');

export interface Example {
  /** 1-based line of the reference where the printout starts. */
  line: number;
  /** The language rendering's prefix, e.g. `#<Stripe::Charge id=… 0x00000a> JSON: ` ('' for bare JSON). */
  prefix: string;
  value?: Record<string, unknown>;
  /** Why the printout could not be read (only a printout cut off by the end of the file). */
  problem?: string;
}

const START = /^(.*JSON: )?\{\s*$/;
/** An elided list item in any language: `{...}`, `#<Stripe::Customer[...] ...>`, `[1] => <Stripe\Customer[...] ...>`. */
const ELIDED = /^\s*(\{\.\.\.\}|(\[\d+\] => )?#?<[^>]*\[\.\.\.\][^>]*>),?\s*$/;
/** A nested object printed by a client library: `#<Stripe::Customer id=… 0x…> JSON: {`, `[0] => Stripe\Customer JSON: {`. */
const NESTED_PREFIX = /^(\s*)(\[\d+\] => )?\S.*JSON: \{\s*$/;

export function referenceExamples(text = readFileSync(REFERENCE, 'utf8')): Example[] {
  const lines = text.split('\n');
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = START.exec(lines[i]);
    if (!start) continue;
    let end = i + 1;
    while (end < lines.length && lines[end] !== '}') end++;
    const prefix = start[1] ?? '';
    if (end >= lines.length) {
      out.push({ line: i + 1, prefix, problem: 'cut off by the end of the reference text' });
      break;
    }
    const body = lines.slice(i + 1, end + 1);
    try {
      out.push({ line: i + 1, prefix, value: JSON.parse(toJson(body)) });
    } catch (err) {
      out.push({ line: i + 1, prefix, problem: (err as Error).message });
    }
    i = end;
  }
  return out;
}

/** A printout's lines after its opening brace → JSON text. */
function toJson(body: string[]): string {
  const kept: string[] = ['{'];
  for (const raw of body) {
    if (ELIDED.test(raw)) continue;
    let line = raw.replace(NESTED_PREFIX, '$1{');
    line = line.replace(/^(\s*)("[^"]+") => /, '$1$2: '); // PHP: "object" => "list"
    line = line.replace(/^(\s*)([a-z_]+): /, '$1"$2": '); // Python: object: "list"
    kept.push(line);
  }
  // Dropping elided items can leave a trailing comma before a closing bracket.
  return kept.join('\n').replace(/,(\s*[\]}])/g, '$1');
}

/**
 * The Java client's rendering of a deletion (`deletedcard`, `deletedsubscription` as `object`):
 * the client's own class, not the API's shape (the issue names it).
 */
export function isJavaClientShape(e: Example): boolean {
  return /^com\.stripe\.model\.Deleted\w+ JSON: $/.test(e.prefix);
}

/** The Java client prints a list as its own Collection (`{ data, has_more }`, no `object` or `url`): which list. */
export function javaCollection(e: Example): string | undefined {
  return /^#<com\.stripe\.model\.(\w+)Collection\b/.exec(e.prefix)?.[1];
}

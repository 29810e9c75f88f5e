/**
 * What the loader accepts at most, and the checks on a notebook's raw bytes and text that run
 * before any YAML parser sees them. A notebook comes from anyone (a pull request, a download), so
 * whatever its content it must be answered quickly, in bounded memory, with located diagnostics.
 * The figures are generous for real notebooks (a 10,000-step notebook is ~4.5 MB, nests 8 deep)
 * and documented in docs/notebook-format.md ("Limits").
 */
import type { Diagnostic } from './diagnostic.js';
import { spanFrom } from './source.js';

export const LIMITS = {
  /**
   * Bytes in one notebook file: 16 MiB, about 35,000 steps written in block style with their
   * schemas inline (a 10,000-step notebook is ~4.5 MB). Loading is linear in the size: the subset
   * reader (~40 ms per MB) and js-yaml read the whole file, and the yaml library, which words
   * the diagnostics but needs ~1 s of CPU for 256 KiB of the worst input, is never given more
   * than `yamlBytes` of a larger file (yaml-window.ts).
   */
  fileBytes: 16 * 1024 * 1024,
  /**
   * The most text the yaml library reads whole: a file up to this size is read by it whole, as
   * before (so its diagnostics are every problem in the file); of a larger one it reads the part
   * around the first problem the fast readers found, with the file's own line numbers.
   */
  yamlBytes: 256 * 1024,
  /** Levels of nested mappings and lists (YAML), and of an expression's sub-expressions. */
  depth: 64,
  /** Values that aliases (`*name`) may add in all, once expanded ("billion laughs"). */
  aliasValues: 10_000,
  /**
   * Values in a notebook of up to 3.8 MiB after aliases are expanded; a larger file may hold one
   * value per 20 bytes of it (valuesLimit): 838,860 in 16 MiB. Real notebooks hold one per 20–30
   * bytes (the generated ones of test/helpers/big-notebooks.ts: 20.2 in block style, 28.8 with
   * `doc:`); a file of nothing but `[1,1,1,…]` (one per 2 bytes) is refused, located, before its
   * values fill the memory (a million values of mappings cost the fast readers ~310 MB).
   */
  values: 200_000,
  /**
   * Keys in one mapping of a file past `yamlBytes` (a file up to it cannot hold this many): 26,000
   * unknown keys cost the structure check a second, a million of them a gigabyte.
   */
  mappingKeys: 50_000,
  /** Characters in one expression (an `assert`, a `${…}`). */
  exprChars: 4_000,
  /** Diagnostics listed per file; the rest are counted. */
  diagnostics: 50,
} as const;

/** The values a notebook of `chars` characters may hold: one per 20 characters, never below LIMITS.values. */
export function valuesLimit(chars: number): number {
  return Math.max(LIMITS.values, Math.floor(chars / 20));
}

/** A size as people read it: `300 KiB`, `16 MiB`, `16.2 MiB` (whole KiB below a MiB). */
export function sizeText(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024).toLocaleString('en')} KiB`;
  const mib = bytes / (1024 * 1024);
  return `${Number.isInteger(mib) ? mib : (Math.floor(mib * 10) / 10).toFixed(1)} MiB`;
}

/** A notebook over the size limit: refused before it is read whole. */
export function fileTooLarge(file: string, bytes: number): Diagnostic {
  return {
    message: `the file is ${sizeText(bytes)} (${bytes.toLocaleString('en')} bytes); a notebook may be at most ${sizeText(LIMITS.fileBytes)} (${LIMITS.fileBytes.toLocaleString('en')} bytes)`,
    span: { file, line: 1, col: 1, length: 1 },
    hint: 'split it into several notebooks (a folder of notebooks runs in order), or run its repeated steps with `forEach`',
  };
}

/** Decodes UTF-8 strictly; an invalid byte (Latin-1 text, a binary file) is located. */
export function decodeUtf8(file: string, bytes: Uint8Array): { text: string } | { diagnostic: Diagnostic } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const at = firstInvalidUtf8(bytes);
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, at));
    const line = before.split('\n').length;
    const col = before.length - before.lastIndexOf('\n');
    return {
      diagnostic: {
        message: `the file is not valid UTF-8: byte 0x${bytes[at].toString(16).padStart(2, '0')} at offset ${at}`,
        span: { file, line, col, length: 1 },
        hint: 'save the notebook as UTF-8 (text in Latin-1 or Windows-1252 must be converted, e.g. `iconv -f latin1 -t utf-8`)',
      },
    };
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(b: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    const n = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    if (n === 0 || i + n > b.length) return i;
    try {
      decoder.decode(b.subarray(i, i + n));
    } catch {
      return i;
    }
    i += n;
  }
  return Math.max(0, b.length - 1);
}

/**
 * YAML allows only printable characters (TAB, LF, CR and the printable ranges); a NUL or BEL byte
 * is a corrupt or binary file, and one parser silently keeps it while the other refuses it.
 */
// eslint-disable-next-line no-control-regex
const NON_PRINTABLE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]/;

export function checkText(file: string, text: string): Diagnostic[] {
  if (text.length > LIMITS.fileBytes) return [fileTooLarge(file, Buffer.byteLength(text))];
  const m = NON_PRINTABLE.exec(text);
  if (!m) return [];
  const at = m.index;
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const line = text.slice(0, at).split('\n').length;
  const code = m[0].charCodeAt(0);
  return [{
    message: `the file holds a control character (U+${code.toString(16).toUpperCase().padStart(4, '0')}${CONTROL_NAMES[code] ? `, ${CONTROL_NAMES[code]}` : ''}), which YAML does not allow`,
    span: spanFrom(file, text, line, at - lineStart + 1, at, at + 1),
    hint: 'remove it; write a control character inside a double-quoted string as an escape such as "\\u0007"',
  }];
}

const CONTROL_NAMES: Record<number, string> = { 0: 'NUL', 7: 'BEL', 8: 'backspace', 0x1b: 'ESC', 0x7f: 'DEL' };

/** Keeps a file's diagnostics readable when it has very many: the first ones, then a count. */
export function capDiagnostics(file: string, diagnostics: Diagnostic[], total = diagnostics.length): Diagnostic[] {
  if (total <= LIMITS.diagnostics || diagnostics.length === 0) return diagnostics;
  const kept = diagnostics.slice(0, LIMITS.diagnostics);
  const last = kept[kept.length - 1].span;
  return [...kept, {
    message: `${(total - kept.length).toLocaleString('en')} more problems in this file are not shown`,
    span: { file, line: last.line, col: last.col, length: 1 },
    hint: 'fix the ones above and validate again',
  }];
}

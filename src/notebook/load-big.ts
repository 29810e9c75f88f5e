/**
 * The loader's answers for a file past LIMITS.yamlBytes that the fast readers could not read:
 * the yaml library words the syntax errors of the window around the first problem
 * (yaml-window.ts), at the file's own lines and columns, so that a 5 MB notebook with one typo
 * near its end is answered in well under a second, at that typo.
 */
import type { Diagnostic } from './diagnostic.js';
import { LIMITS } from './limits.js';
import type { Path } from './source.js';
import { checkDocument } from './document.js';
import type { Span } from './types.js';
import { fileLine, yamlWindow } from './yaml-window.js';
import { parseYaml, yamlProblems } from './yaml-problems.js';

/**
 * The yaml library's diagnostics of the window around offset `at`, those at or below the window's
 * first line; undefined when the window is too big or it finds nothing there (the problem is then
 * worded from js-yaml, or was none: the subset reader also gives up on valid YAML it does not read).
 */
export function syntaxInWindow(text: string, at: number, displayPath: string): Diagnostic[] | undefined {
  const window = yamlWindow(text, at);
  if (!window) return undefined;
  let diagnostics: Diagnostic[];
  try {
    const { doc, source } = parseYaml(window.text, displayPath);
    diagnostics = yamlProblems(doc, source, window.text);
    if (diagnostics.length === 0) diagnostics = checkDocument(doc, source, { total: 0 });
  } catch {
    return undefined; // a window nested past the stack: js-yaml's message says where
  }
  // The cut may leave an alias without its anchor, or a value of the lines above without its end.
  const own = diagnostics.filter((d) => d.span.line >= window.textLine && !/\balias|anchor/i.test(d.message));
  return own.length ? own.map((d) => ({ ...d, span: { ...d.span, file: displayPath, line: fileLine(window, d.span.line) } })) : undefined;
}

export function tooManyValues(span: Span, limit: number): Diagnostic {
  return {
    message: `the notebook holds more than ${limit.toLocaleString('en')} values (one per 20 bytes of the file, at least 200,000)`,
    span,
    hint: 'split the notebook; real notebooks hold one value per 20 to 30 bytes',
  };
}

/**
 * The first mapping with more than LIMITS.mappingKeys keys, before the structure check sees it
 * (ajv lists every unknown key of it: a million of them take seconds and a gigabyte). Iterative.
 */
export function wideMapping(data: unknown): Path | undefined {
  const stack: Array<{ value: unknown; path: Path }> = [{ value: data, path: [] }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) if (value[i] !== null && typeof value[i] === 'object') stack.push({ value: value[i], path: [...path, i] });
      continue;
    }
    const keys = Object.keys(value);
    if (keys.length > LIMITS.mappingKeys) return path;
    for (let i = keys.length - 1; i >= 0; i--) {
      const v = (value as Record<string, unknown>)[keys[i]];
      if (v !== null && typeof v === 'object') stack.push({ value: v, path: [...path, keys[i]] });
    }
  }
  return undefined;
}

export function tooWide(span: Span): Diagnostic {
  return {
    message: `this mapping has more than ${LIMITS.mappingKeys.toLocaleString('en')} keys`,
    span,
    hint: 'a table of cases belongs in a list (with `forEach`) or in a data file; split the mapping otherwise',
  };
}

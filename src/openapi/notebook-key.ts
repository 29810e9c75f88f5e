/**
 * The long form of a notebook's `openapi:` key — `{ file, ignore, strictPaths }` — built into the
 * notebook model. The string form (`openapi: spec.yaml`) stays the shorthand for `file:`; the
 * JSON Schema checks the shape, this checks what it cannot: each `ignore` entry means something.
 */
import type { Diagnostic } from '../notebook/diagnostic.js';
import type { Path, SourceMap } from '../notebook/source.js';
import type { Notebook } from '../notebook/types.js';
import { ignoreProblem } from './waivers.js';

interface Builder {
  readonly source: SourceMap;
  report(d: Diagnostic): void;
  /** The string form's reading of a file (relative to the notebook, or an http(s) URL). */
  openapi(path: string, at?: Path): Notebook['openapi'];
}

export function openapiLongForm(b: Builder, raw: unknown, overridden = false): Notebook['openapi'] {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const form = raw as { file?: unknown; ignore?: unknown; strictPaths?: unknown };
  if (typeof form.file !== 'string') return undefined;
  // Under --openapi FILE the notebook's own file is not read: only its waivers are kept.
  const named = overridden ? { file: form.file, span: b.source.at(['openapi', 'file']) } : b.openapi(form.file, ['openapi', 'file']);
  if (!named) return undefined;
  const ignore = Array.isArray(form.ignore) ? form.ignore.filter((e): e is string => typeof e === 'string') : undefined;
  ignore?.forEach((entry, i) => {
    const problem = ignoreProblem(entry);
    if (problem) b.report({ message: `openapi.ignore: ${problem}`, span: b.source.at(['openapi', 'ignore', i]), hint: 'an entry is a status (`404`, `4XX`), a path (`/api/status`) or a method and a path (`GET /api/items/{id}`)' });
  });
  return {
    ...named,
    ignore,
    strictPaths: form.strictPaths === true,
  };
}

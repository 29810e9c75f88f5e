/**
 * `use: shared/login.yaml` while a notebook is built: the used file is loaded (through the loader
 * the build was given, so it is checked as every notebook is), its inputs are matched with `with:`,
 * and what the steps after the use may read (its captures) is returned. The steps themselves run
 * in src/run/use.ts.
 */
import type { Template } from '../expr/index.js';
import type { Diagnostic } from './diagnostic.js';
import type { Path, SourceMap } from './source.js';
import type { InputDef, Notebook, Span, Step, UseSpec } from './types.js';

/** Loads a used notebook for the build: the notebook, or the diagnostics to report (already located). */
export type UsedLoader = (written: string, span: Span) => { notebook?: Notebook; diagnostics: Diagnostic[] };

/** What the use builder needs of the notebook builder (build.ts). */
export interface UseBuilder {
  readonly source: SourceMap;
  template(v: unknown, at: Path): Template;
  report(d: Diagnostic): void;
  /** A used notebook did not load: what it captures is unknown, so later names are not reported as undefined. */
  capturesUnknown(): void;
}

/** Keys a `use` step may carry besides `use` and `with`: the rest belong to a step that sends a request. */
const USE_KEYS = new Set(['use', 'with', 'name', 'doc', 'if', 'forEach', 'as', 'continueOnFailure']);

/**
 * The `use` part of a step; `inputs` receives the used notebook's inputs that `with` does not fill
 * (they get their values as the notebook's own do: --var, environment, default, prompt).
 */
export function buildUse(b: UseBuilder, s: Record<string, any>, at: Path, load: UsedLoader | undefined, inputs: InputDef[]): { spec: UseSpec; title?: string } {
  const span = b.source.at([...at, 'use']);
  for (const key of Object.keys(s)) {
    if (!USE_KEYS.has(key)) b.report({ message: `\`${key}\` does not go with \`use\`: the used notebook's steps send the requests`, span: b.source.keyAt(at, key), hint: 'put it in a step of the used notebook, or in a step of its own after this one' });
  }
  const written = String(s.use);
  const loaded = load ? load(written, span) : { diagnostics: [{ message: '`use` is not available here', span }] };
  loaded.diagnostics.forEach((d) => b.report(d));
  // One broken used file is one problem, not one more for every later step reading its captures.
  if (!loaded.notebook) b.capturesUnknown();
  const withValues = Object.entries((s.with ?? {}) as Record<string, unknown>).map(([name, value]) => ({
    name,
    value: b.template(value, [...at, 'with', name]),
    span: b.source.keyAt([...at, 'with'], name),
  }));
  const used = loaded.notebook;
  if (used) {
    const known = new Set(used.inputs.map((i) => i.name));
    for (const w of withValues) {
      if (!known.has(w.name)) b.report({ message: `\`${w.name}\` is not an input of ${written}`, span: w.span, hint: used.inputs.length ? `its inputs: ${used.inputs.map((i) => i.name).join(', ')}` : `${written} declares no \`inputs:\`` });
    }
    const filled = new Set(withValues.map((w) => w.name));
    // Located at the use: "input `user` has no value" then points at the line that could give it one.
    for (const def of used.inputs) if (!filled.has(def.name) && !inputs.some((i) => i.name === def.name)) inputs.push({ ...def, span });
  }
  const notebook: Notebook = used ?? { file: written, title: written, inputs: [], defaults: { encoding: 'json' }, vars: [], steps: [], teardown: [] };
  return { spec: { written, notebook, with: withValues, captures: capturedBy(notebook), span }, title: used?.title };
}

/** Every name a notebook's steps and teardown capture, those of the notebooks it uses included. */
export function capturedBy(notebook: Notebook): string[] {
  const names = new Set<string>();
  const visit = (steps: Step[]) => {
    for (const step of steps) {
      for (const c of step.captures) names.add(c.name);
      if (step.kind === 'use') step.use.captures.forEach((n) => names.add(n));
    }
  };
  visit(notebook.steps);
  visit(notebook.teardown);
  return [...names];
}

/**
 * Postman collections (v2.0 and v2.1) → notebooks. A plain typed reader of the collection JSON:
 * Postman's SDK (postman-collection) would bring a dozen packages to read a documented format
 * we walk once, and it does not keep source positions, which every warning needs.
 */
import type { DraftInput, DraftNotebook, DraftStep, ImportResult, Kept, Warning } from './draft.js';
import { envName, identifier, ImportError, newDraft, newStep, SECRET_NAME, uniqueName } from './draft.js';
import { Positions } from './positions.js';
import { translateTests, type ScriptNames } from './postman-script.js';
import { requestOf, type PmRequest } from './postman-request.js';

export interface PmVariable {
  key: string;
  value?: unknown;
  type?: string;
  disabled?: boolean;
  enabled?: boolean;
}
interface PmEvent {
  listen: string;
  disabled?: boolean;
  script?: { exec?: string | string[] };
}
interface PmItem {
  name?: string;
  description?: string | { content?: string };
  item?: PmItem[];
  request?: PmRequest | string;
  event?: PmEvent[];
  auth?: unknown;
}
export interface PmCollection {
  info: { name?: string; description?: string | { content?: string }; schema?: string };
  item: PmItem[];
  variable?: PmVariable[];
  auth?: unknown;
  event?: PmEvent[];
}
export interface PmEnvironment {
  name?: string;
  values?: PmVariable[];
}

export function isPostmanCollection(data: unknown): data is PmCollection {
  const d = data as PmCollection;
  return !!d && typeof d === 'object' && !!d.info && Array.isArray(d.item) && (/getpostman\.com|postman/i.test(String(d.info.schema ?? '')) || '_postman_id' in d.info);
}

export interface PostmanOptions {
  split: boolean;
  env?: { data: PmEnvironment; text: string; file: string };
}

/** Where each Postman variable is set, used and captured, to decide var, input or capture. */
class Names implements ScriptNames {
  readonly notebookName = new Map<string, string>();
  readonly usedInRequests = new Set<string>();
  readonly usedInScripts = new Set<string>();
  readonly captured = new Map<string, number>();
  readonly firstUse = new Map<string, number>();
  stepIndex = 0;

  id(postmanName: string): string {
    let n = this.notebookName.get(postmanName);
    if (!n) this.notebookName.set(postmanName, (n = identifier(postmanName)));
    return n;
  }
  request(postmanName: string): string {
    this.usedInRequests.add(postmanName);
    this.noteUse(postmanName);
    return this.id(postmanName);
  }
  use(postmanName: string): string {
    this.usedInScripts.add(postmanName);
    this.noteUse(postmanName);
    return this.id(postmanName);
  }
  set(postmanName: string): string {
    if (!this.captured.has(postmanName)) this.captured.set(postmanName, this.stepIndex);
    return this.id(postmanName);
  }
  private noteUse(name: string): void {
    if (!this.firstUse.has(name)) this.firstUse.set(name, this.stepIndex);
  }
}

export function importPostman(data: PmCollection, text: string, options: PostmanOptions): ImportResult {
  if (!Array.isArray(data.item)) throw new ImportError('a Postman collection has an `item` list', 1);
  const pos = new Positions(text);
  const warnings: Warning[] = [];
  const names = new Names();
  const collectionVars = enabled(data.variable);
  const envVars = enabled(options.env?.data.values);
  const groups: Array<{ folder?: string; steps: DraftStep[] }> = [];
  const taken = new Set<string>();
  const requests: PmRequest[] = [];
  const skipped: Kept[] = [];

  const addStep = (item: PmItem, path: Array<string | number>, prefix: string[], auth: unknown, group: DraftStep[]) => {
    names.stepIndex++;
    const request = typeof item.request === 'string' ? ({ url: item.request, method: 'GET' } as PmRequest) : item.request!;
    requests.push(request);
    const step = newStep(uniqueName(taken, [...prefix, item.name ?? 'Request'].join(' / ')));
    const doc = describe(item.description) ?? describe(typeof item.request === 'object' ? item.request.description : undefined);
    if (doc) step.doc = doc;
    step.request = requestOf(request, names, step, [...path, 'request'], pos, item.auth ?? request.auth ?? auth);
    for (const [k, event] of (item.event ?? []).entries()) {
      if (event.disabled) continue;
      const exec = event.script?.exec;
      const lines = Array.isArray(exec) ? exec : typeof exec === 'string' ? exec.split('\n') : [];
      const source = lines.join('\n');
      if (!source.trim()) continue;
      const execPath = [...path, 'event', k, 'script', 'exec'];
      const lineOf = (l: number) => (Array.isArray(exec) ? pos.line([...execPath, l - 1]) : pos.line(execPath) + l - 1);
      if (event.listen === 'test') step.kept.push(...translateTests(source, lineOf, step, names));
      else step.kept.push({ line: lineOf(1), why: `a ${event.listen} script runs code before the request; set what it computes as vars or inputs`, source });
    }
    group.push(step);
  };

  const walk = (items: PmItem[], path: Array<string | number>, prefix: string[], auth: unknown, group: DraftStep[]) => {
    items.forEach((item, i) => {
      const here = [...path, i];
      if (!item || typeof item !== 'object') {
        skipped.push({ line: pos.line(here), why: 'an item that is not an object is skipped', source: JSON.stringify(item) ?? String(item) });
        return;
      }
      if (Array.isArray(item.item)) {
        const folderAuth = item.auth ?? auth;
        let target = group;
        if (options.split && prefix.length === 0) {
          groups.push({ folder: item.name ?? `Folder ${i + 1}`, steps: (target = []) });
          taken.clear();
        }
        const before = target.length;
        walk(item.item, [...here, 'item'], options.split && prefix.length === 0 ? [] : [...prefix, item.name ?? `Folder ${i + 1}`], folderAuth, target);
        const folderDoc = describe(item.description);
        if (folderDoc && target[before]) target[before]!.doc = [folderDoc, target[before]!.doc].filter(Boolean).join('\n\n');
        for (const e of item.event ?? []) keepEvent(e, target[before], [...here, 'event'], pos, 'folder');
      } else if (item.request) addStep(item, here, prefix, auth, group);
    });
  };
  const loose: DraftStep[] = [];
  groups.push({ steps: loose });
  walk(data.item, ['item'], [], data.auth, loose);

  const draftFor = (title: string, steps: DraftStep[]): DraftNotebook => {
    const draft = newDraft(title);
    draft.header.push(`Imported by api-notebook from the Postman collection "${data.info.name ?? 'collection'}".`);
    const description = describe(data.info.description);
    if (description) draft.description = description;
    draft.steps = steps;
    return draft;
  };
  const title = data.info.name ?? 'Postman collection';
  const notebooks = groups
    .filter((g) => g.steps.length > 0)
    .map((g) => ({ suggestedName: g.folder ?? title, draft: draftFor(g.folder ? `${title}: ${g.folder}` : title, g.steps) }));
  if (notebooks.length === 0) throw new ImportError('the collection has no requests', pos.line(['item']), 'a collection with at least one request in `item` can be imported');

  notebooks[0]!.draft.kept.push(...skipped);
  for (const { draft } of notebooks) {
    declareNames(draft, names, collectionVars, envVars, options.env?.file);
    baseUrlFrom(draft, names, collectionVars, envVars);
    sharedHeaders(draft);
    sharedAuth(draft);
    for (const e of data.event ?? []) keepEvent(e, undefined, ['event'], pos, 'collection', draft);
    for (const step of draft.steps) for (const k of step.kept) warnings.push({ line: k.line, message: `${step.name}: ${k.why}` });
    for (const k of draft.kept) warnings.push({ line: k.line, message: k.why });
  }
  const version = /v2\.0/.test(String(data.info.schema)) ? '2.0' : '2.1';
  return { notebooks, warnings, format: `postman ${version}` };
}

function keepEvent(e: PmEvent, step: DraftStep | undefined, path: Array<string | number>, pos: Positions, where: string, draft?: DraftNotebook): void {
  const exec = e.script?.exec;
  const source = Array.isArray(exec) ? exec.join('\n') : (exec ?? '');
  if (e.disabled || !source.trim()) return;
  const kept: Kept = { line: pos.line(path), why: `a ${where}-level ${e.listen} script runs around every request; translate it into the steps it checks`, source };
  (step ?? draft)?.kept.push(kept);
}

function enabled(vars: PmVariable[] | undefined): Map<string, PmVariable> {
  return new Map((vars ?? []).filter((v) => v && typeof v.key === 'string' && v.disabled !== true && v.enabled !== false).map((v) => [v.key, v]));
}

function describe(d: unknown): string | undefined {
  const text = typeof d === 'string' ? d : typeof (d as { content?: unknown })?.content === 'string' ? (d as { content: string }).content : undefined;
  return text?.trim() || undefined;
}

/**
 * Each Postman variable a notebook uses becomes: a var (collection or environment value), a secret
 * input (secret values never land in the file), an input read from the environment (set outside,
 * like Newman's --global-var), or a var starting at null (set by a test script before it is read).
 */
function declareNames(draft: DraftNotebook, names: Names, collection: Map<string, PmVariable>, env: Map<string, PmVariable>, envFile?: string): void {
  const used = new Set([...names.usedInRequests, ...names.usedInScripts, ...names.captured.keys()]);
  const text = JSON.stringify(draft.steps);
  for (const postmanName of used) {
    const name = names.id(postmanName);
    // With --split, each notebook declares only the names its own steps mention.
    if (!new RegExp(`\\b${name}\\b`).test(text)) continue;
    const known = env.get(postmanName) ?? collection.get(postmanName);
    const captured = names.captured.get(postmanName);
    const secret = known?.type === 'secret' || SECRET_NAME.test(postmanName);
    if (known && secret && captured === undefined) {
      draft.inputs[name] = { env: envName(name), secret: true };
      draft.header.push(`${envName(name)}: set it to the ${env.has(postmanName) ? `value of "${postmanName}" in ${envFile}` : `collection's "${postmanName}"`} (a secret, so it is not copied here).`);
    } else if (known) {
      draft.vars[name] = { value: known.value ?? '', ...(env.has(postmanName) && envFile ? { comment: `from ${envFile}` } : {}) };
    } else if (captured !== undefined) {
      if ((names.firstUse.get(postmanName) ?? Infinity) <= captured) draft.vars[name] = { value: null, comment: 'set by a step below; null until then' };
    } else if (names.usedInRequests.has(postmanName)) {
      const input: DraftInput = { env: envName(name) };
      if (secret) input.secret = true;
      draft.inputs[name] = input;
    } else {
      draft.vars[name] = { value: null, comment: `read by a test script but set nowhere in the collection; give it with --var ${name}=…` };
    }
  }
}

/** The prefix every request's URL starts with (`{{baseUrl}}` or `https://host`) becomes baseUrl. */
function baseUrlFrom(draft: DraftNotebook, names: Names, collection: Map<string, PmVariable>, env: Map<string, PmVariable>): void {
  const urls = draft.steps.map((s) => s.request?.url).filter((u): u is string => typeof u === 'string');
  if (urls.length === 0 || urls.length !== draft.steps.filter((s) => s.request).length) return;
  const variable = /^\$\{(\w+)\}/.exec(urls[0]!);
  const literal = /^https?:\/\/[^/?#$]+/.exec(urls[0]!);
  const prefix = variable?.[0] ?? literal?.[0];
  if (!prefix || !urls.every((u) => u.startsWith(prefix) && /^($|[/?])/.test(u.slice(prefix.length)))) return;
  for (const step of draft.steps) {
    const request = step.request!;
    const rest = String(request.url).slice(prefix.length);
    delete request.url;
    const path = rest.startsWith('/') ? rest : `/${rest}`;
    step.request = { method: request.method, path, ...Object.fromEntries(Object.entries(request).filter(([k]) => k !== 'method')) };
  }
  if (literal) {
    draft.baseUrl = prefix;
    return;
  }
  const name = variable![1]!;
  const postmanName = [...names.notebookName].find(([, n]) => n === name)?.[0] ?? name;
  const value = (env.get(postmanName) ?? collection.get(postmanName))?.value;
  if (!names.usedInScripts.has(postmanName) && !usedElsewhere(draft, name)) {
    delete draft.vars[name];
    delete draft.inputs[name];
  }
  if (typeof value === 'string' && /^https?:\/\//.test(value)) draft.baseUrl = value;
  else draft.header.push(`Every request starts with {{${postmanName}}}: give it as --base-url (e.g. --base-url http://localhost:3000/api).`);
}

function usedElsewhere(draft: DraftNotebook, name: string): boolean {
  const pattern = new RegExp(`\\b${name}\\b`);
  return draft.steps.some((s) => pattern.test(JSON.stringify({ ...s, request: { ...s.request, path: undefined } })));
}

/** A header every request sends with the same value goes once into defaults.headers. */
export function sharedHeaders(draft: DraftNotebook): void {
  const withRequest = draft.steps.filter((s) => s.request);
  if (withRequest.length < 2) return;
  const first = (withRequest[0]!.request!.headers ?? {}) as Record<string, string>;
  const shared: Record<string, string> = {};
  for (const [name, value] of Object.entries(first)) {
    if (withRequest.every((s) => ((s.request!.headers ?? {}) as Record<string, string>)[name] === value)) shared[name] = value;
  }
  if (Object.keys(shared).length === 0) return;
  draft.defaults = { ...draft.defaults, headers: shared };
  for (const s of withRequest) {
    const headers = { ...(s.request!.headers as Record<string, string>) };
    for (const name of Object.keys(shared)) delete headers[name];
    if (Object.keys(headers).length) s.request!.headers = headers;
    else delete s.request!.headers;
  }
}

/** The same auth on every step (the collection's) is the notebook's auth, said once. */
export function sharedAuth(draft: DraftNotebook): void {
  const steps = draft.steps.filter((s) => s.request);
  const first = JSON.stringify(steps[0]?.auth);
  if (!steps.length || steps[0]!.auth === undefined || steps[0]!.auth === 'none' || !steps.every((s) => JSON.stringify(s.auth) === first)) return;
  draft.auth = steps[0]!.auth;
  for (const s of steps) delete s.auth;
}

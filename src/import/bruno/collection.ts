/**
 * A Bruno collection → notebooks: each request a step (named by its folders), the collection's
 * headers, auth and vars said once at the top, environments as environments/NAME.yaml.
 */
import { dirname, relative, resolve } from 'node:path';
import type { DraftNotebook, DraftStep, ImportResult, Kept, Warning } from '../draft.js';
import { ImportError, newDraft, newStep, uniqueName } from '../draft.js';
import { templated } from '../postman-request.js';
import { applyAuth, authOf, type Auth } from './auth.js';
import { assertsInto } from './asserts.js';
import { environmentFiles, readEnvironments } from './environments.js';
import { metaOf, readCollection, type BruCollection, type BruFolder, type BruSource } from './files.js';
import { BruNames } from './names.js';
import { block, dictOf } from './parse.js';
import { methodBlock, requestOf, settingsInto } from './request.js';
import { preRequestInto, translateScript } from './script.js';

export interface BrunoOptions {
  split: boolean;
  outFile?: string;
}

interface Scope {
  prefix: string[];
  auth?: Auth;
  headers: Record<string, string>;
}

export async function importBruno(input: string, options: BrunoOptions): Promise<ImportResult> {
  const { collection } = await readCollection(input);
  const names = new BruNames();
  const envs = readEnvironments(collection.environments);
  const notebookDir = options.outFile ? dirname(resolve(options.outFile)) : process.cwd();
  const warnings: Warning[] = [];
  const stepFile = new Map<DraftStep, string>();
  const groups: Array<{ folder?: string; steps: DraftStep[] }> = [{ steps: [] }];
  const taken = new Set<string>();
  /** Steps whose auth is the collection's: said once as the notebook's auth when it has a baseUrl. */
  const fromCollection = new Set<DraftStep>();
  const c = collection.collection?.bru;
  const rootAuth = c ? authOf(c, dictOf(c, 'auth').get('mode')?.value, names, block(c, 'auth')?.line ?? 1) : undefined;

  const addRequest = (src: BruSource, scope: Scope, group: DraftStep[]) => {
    names.stepIndex++;
    const bru = src.bru;
    const m = methodBlock(bru);
    const step = newStep(uniqueName(taken, [...scope.prefix, metaOf(bru, 'name') ?? 'Request'].join(' / ')));
    stepFile.set(step, src.path);
    const type = metaOf(bru, 'type') ?? 'http';
    if (!m || (type !== 'http' && type !== 'graphql')) {
      step.kept.push({ line: 1, why: `a ${type} request is not an HTTP request the notebook sends`, source: `type: ${type}` });
      group.push(step);
      return;
    }
    const doc = block(bru, 'docs')?.text.trim();
    if (doc) step.doc = doc;
    for (const [k, p] of dictOf(bru, 'vars:pre-request')) names.declare(k, templated(p.value, names), p.line, step);
    step.request = requestOf(bru, step, { names, collectionRoot: collection.root, notebookDir });
    if (Object.keys(scope.headers).length) step.request!.headers = { ...scope.headers, ...(step.request!.headers as object) };
    settingsInto(bru, step.request!);
    const mode = m.pairs.find((p) => p.key === 'auth')?.value ?? 'inherit';
    const own = authOf(bru, mode, names, m.line);
    // `auth: none` where nothing would be inherited says nothing.
    const inherited = own === 'inherit' ? scope.auth : own !== undefined && 'notebook' in own && own.notebook === 'none' && !scope.auth ? undefined : own;
    applyAuth(inherited, step, `auth: ${mode}`);
    if (inherited === rootAuth) fromCollection.add(step);
    const pre = block(bru, 'script:pre-request');
    if (pre?.text.trim()) step.kept.push(...preRequestInto(pre.text, pre.textLine, step));
    const asserts = block(bru, 'assert');
    if (asserts) step.kept.push(...assertsInto(asserts.pairs, step, names));
    for (const [k, p] of dictOf(bru, 'vars:post-response')) capturePair(k, p.value, p.line, step, names);
    for (const name of ['script:post-response', 'tests']) {
      const b = block(bru, name);
      if (b?.text.trim()) step.kept.push(...translateScript(b.text, b.textLine, step, names));
    }
    group.push(step);
  };

  const walk = (folder: BruFolder, scope: Scope, group: DraftStep[], depth: number) => {
    for (const sub of folder.folders) {
      const f = sub.folder?.bru;
      const auth = f ? authOf(f, dictOf(f, 'auth').get('mode')?.value, names, block(f, 'auth')?.line ?? 1) : undefined;
      const headers = { ...scope.headers };
      for (const [k, p] of f ? dictOf(f, 'headers') : []) headers[k] = templated(p.value, names);
      let target = group;
      if (options.split && depth === 0) {
        groups.push({ folder: sub.name, steps: (target = []) });
        taken.clear();
      }
      const before = target.length;
      const prefix = options.split && depth === 0 ? [] : [...scope.prefix, sub.name];
      walk(sub, { prefix, auth: auth && auth !== 'inherit' ? auth : scope.auth, headers }, target, depth + 1);
      const first = target[before];
      if (f && first) folderExtras(sub.folder!, first);
    }
    for (const r of folder.requests) addRequest(r, scope, group);
  };
  walk(collection.top, { prefix: [], auth: rootAuth, headers: {} }, groups[0]!.steps, 0);

  const notebooks = groups.filter((g) => g.steps.length).map((g) => ({ suggestedName: g.folder ?? collection.name, draft: draftFor(collection, g.folder, g.steps, rootAuth, names, envs, fromCollection) }));
  if (!notebooks.length) throw new ImportError(`${input} holds no Bruno requests`, undefined, 'a collection has .bru files with a `get {`, `post {`… block');
  for (const { draft } of notebooks) {
    for (const step of draft.steps) for (const k of step.kept) warnings.push({ file: shown(collection, stepFile.get(step)), line: k.line, message: `${step.name}: ${k.why}` });
    for (const k of draft.kept) warnings.push({ file: shown(collection, collection.collection?.path), line: k.line, message: k.why });
  }
  return { notebooks, warnings, format: 'bruno', files: environmentFiles(envs, names) };
}

function draftFor(collection: BruCollection, folder: string | undefined, steps: DraftStep[], rootAuth: Auth | undefined, names: BruNames, envs: ReturnType<typeof readEnvironments>, fromCollection: Set<DraftStep>): DraftNotebook {
  const draft = newDraft(folder ? `${collection.name}: ${folder}` : collection.name);
  draft.header.push(`Imported by api-notebook from the Bruno collection "${collection.name}".`);
  draft.steps = steps;
  const c = collection.collection?.bru;
  if (c) {
    const doc = block(c, 'docs')?.text.trim();
    if (doc) draft.description = doc;
    const headers = Object.fromEntries([...dictOf(c, 'headers')].map(([k, p]) => [k, templated(p.value, names)]));
    if (Object.keys(headers).length) draft.defaults = { headers };
    for (const [k, p] of dictOf(c, 'vars:pre-request')) names.declare(k, templated(p.value, names), p.line);
    const holder = newStep('collection');
    applyAuth(rootAuth, holder, 'auth (collection.bru)');
    draft.kept.push(...holder.kept);
    for (const name of ['script:pre-request', 'script:post-response', 'tests']) {
      const b = block(c, name);
      if (b?.text.trim()) draft.kept.push({ line: b.line, why: `the collection's ${name} runs around every request; translate it into the steps it checks`, source: b.text });
    }
  }
  if (collection.config && /"proxy"\s*:/.test(collection.config.text)) draft.header.push('bruno.json sets a proxy: give it with --proxy or HTTPS_PROXY when you run (docs/notebook-format.md, "TLS, proxies and HTTP/2").');
  // Bruno follows up to 5 redirects unless a request's settings say otherwise.
  draft.defaults = { ...draft.defaults, followRedirects: 5 };
  names.declareInto(draft, envs);
  hoistAuth(draft, fromCollection);
  return draft;
}

/**
 * The collection's auth, carried by each step that inherits it, is said once at the top when
 * the notebook has a baseUrl: a notebook's auth goes only to its base URL's origin.
 */
function hoistAuth(draft: DraftNotebook, fromCollection: Set<DraftStep>): void {
  const steps = draft.steps.filter((s) => fromCollection.has(s) && s.auth !== undefined);
  if (!draft.baseUrl || !steps.length) return;
  draft.auth = steps[0]!.auth;
  for (const s of steps) delete s.auth;
}

/** A folder's docs go to its first step; its scripts stay as comments there. */
function folderExtras(folder: BruSource, first: DraftStep): void {
  const doc = block(folder.bru, 'docs')?.text.trim();
  if (doc) first.doc = [doc, first.doc].filter(Boolean).join('\n\n');
  for (const name of ['script:pre-request', 'script:post-response', 'tests']) {
    const b = block(folder.bru, name);
    if (b?.text.trim()) first.kept.push({ line: b.line, why: `the folder's ${name} (${relative(process.cwd(), folder.path)}) runs around each of its requests; translate it into the steps it checks`, source: b.text } satisfies Kept);
  }
}

/** `vars:post-response { id: res.body.id }` → a capture. */
function capturePair(name: string, value: string, line: number, step: DraftStep, names: BruNames): void {
  const m = /^res\.(body|status|headers)((?:\.[A-Za-z_]\w*|\[\d+\])*)$/.exec(value.trim());
  if (!m) {
    step.kept.push({ line, why: `the post-response var \`${name}\` is computed by code that is not translated`, source: `${name}: ${value}` });
    return;
  }
  (step.capture ??= {})[names.set(name)] = `${m[1]}${m[2]}`;
}

function shown(collection: BruCollection, path: string | undefined): string | undefined {
  return path ? relative(process.cwd(), path) || path : undefined;
}

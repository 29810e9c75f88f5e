/**
 * A parsed .http file → one notebook: each request a step, `@var`s as vars, environments
 * (http-client.env.json) as environments/NAME.yaml, checks from `??` lines and `> {% %}`
 * handlers. REST Client and httpyac follow redirects and keep cookies: so does the notebook.
 */
import { dirname, relative } from 'node:path';
import { notebookFile } from './body-file.js';
import { dict } from '../dict.js';
import type { DraftNotebook, DraftStep, ImportResult, Warning } from '../draft.js';
import { envName, identifier, ImportError, newDraft, newStep, uniqueName } from '../draft.js';
import { mapStrings, parseJsonWithVariables } from '../postman-request.js';
import { assertInto, handlerInto } from './checks.js';
import type { HttpEnvironments } from './environments.js';
import { HttpNames, type Use } from './names.js';
import type { HttpFile, HttpRequest } from './parse.js';

export interface HttpContext {
  file: string;
  notebookDir: string;
  envs: HttpEnvironments;
}

export function mapHttp(parsed: HttpFile, ctx: HttpContext): ImportResult {
  const names = new HttpNames();
  const draft = newDraft(titleOf(ctx.file));
  draft.header.push(`Imported by api-notebook from the .http file ${relative(process.cwd(), ctx.file) || ctx.file}.`);
  draft.defaults = { followRedirects: true };
  const taken = new Set<string>();
  for (const v of parsed.vars) names.fileVars.set(v.name, v.value);
  for (const r of parsed.requests) if (r.name) names.namedLater.add(r.name);
  for (const r of parsed.requests) draft.steps.push(stepOf(r, names, taken, ctx));
  if (!draft.steps.length) throw new ImportError(`${ctx.file} holds no requests`, 1, 'a request is a line like `GET https://api.example.test/users`, requests separated by `###`');
  for (const v of parsed.vars) if (!draft.vars[v.name] && !names.requestAlias(v.name)) draft.vars[v.name] = { value: names.template(v.value, { line: v.line, step: draft.steps[0]! }) };
  for (const u of names.untranslated) u.use.step.kept.push({ line: u.use.line, why: `${u.text} ${u.why ?? 'has no translation'}; it is sent as written`, source: u.text });
  declare(draft, names, ctx.envs);
  const baseVar = baseUrlInto(draft);
  const warnings: Warning[] = draft.steps.flatMap((s) => s.kept.map((k) => ({ line: k.line, message: `${s.name}: ${k.why}` })));
  return { notebooks: [{ suggestedName: draft.title, draft }], warnings, format: 'http', files: ctx.envs.files(names, baseVar) };
}

function stepOf(r: HttpRequest, names: HttpNames, taken: Set<string>, ctx: HttpContext): DraftStep {
  const path = r.url.replace(/^https?:\/\/[^/]+/, '').split('?')[0] || '/';
  const step = newStep(uniqueName(taken, r.name ?? r.title ?? `${r.method} ${path}`));
  if (r.name) names.named.set(r.name, step);
  if (r.title && r.name) step.doc = r.title;
  const use = (line: number): Use => ({ line, step });
  const t = (s: string, line: number) => names.template(s, use(line));
  for (const u of r.unknown) step.kept.push({ line: u.line, why: u.why, source: u.source });
  if (!r.url) return step;
  const request: Record<string, unknown> = { method: r.method, url: t(r.url, r.line) };
  const headers: Record<string, string> = dict();
  for (const h of r.headers) headers[h.name] = t(h.value, h.line);
  const basic = Object.keys(headers).find((k) => k.toLowerCase() === 'authorization' && /^Basic\s+\S+\s+\S+$/.test(headers[k]!));
  if (basic) {
    // REST Client's `Authorization: Basic user password` (two words, not base64).
    const [, user, pass] = headers[basic]!.split(/\s+/);
    step.auth = { basic: { username: user, password: pass } };
    delete headers[basic];
  }
  const type = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  const graphql = Object.keys(headers).find((k) => k.toLowerCase() === 'x-request-type' && /graphql/i.test(headers[k]!));
  if (r.body) bodyInto(request, headers, r.body, type, graphql, step, ctx, t);
  for (const m of r.meta) metaInto(m, request, step);
  if (Object.keys(headers).length) request.headers = headers;
  step.request = request;
  for (const a of r.asserts) assertInto(a.text, a.line, step);
  for (const h of r.handlers) step.kept.push(...handlerInto(h, step, names));
  return step;
}

function bodyInto(request: Record<string, unknown>, headers: Record<string, string>, body: { text: string; line: number }, type: string, graphql: string | undefined, step: DraftStep, ctx: HttpContext, t: (s: string, line: number) => string): void {
  const text = body.text;
  const fileBody = /^<(@\w*)?\s+(.+)$/.exec(text.trim());
  if (fileBody && !text.trim().includes('\n')) {
    const file = notebookFile(fileBody[2]!.trim(), dirname(ctx.file), ctx.notebookDir);
    if ('why' in file) {
      step.kept.push({ line: body.line, why: file.why, source: text.trim() });
      return;
    }
    request.body = { file: file.path };
    if (fileBody[1]) step.kept.push({ line: body.line, why: 'the file is sent as it is: `<@` also replaced {{variables}} inside it', source: text.trim() });
    return;
  }
  if (graphql) {
    const [query, vars] = text.split(/\n\s*\n(?=\s*\{)/);
    const variables = vars ? parseJsonWithVariables(vars) : undefined;
    request.graphql = { query: t(query!, body.line), ...(variables !== undefined ? { variables: mapStrings(variables, (s) => t(s, body.line)) } : {}) };
    delete headers[graphql];
    return;
  }
  if (/json/i.test(type) || (!type && /^\s*[{[]/.test(text))) {
    const json = parseJsonWithVariables(text);
    if (json !== undefined) {
      request.json = mapStrings(json, (s) => t(s, body.line));
      for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-type' && /^application\/json\s*$/i.test(headers[k]!)) delete headers[k];
      return;
    }
  }
  if (/x-www-form-urlencoded/i.test(type)) {
    const form: Record<string, string> = dict();
    for (const pair of text.replace(/\n\s*&/g, '&').split('&').map((p) => p.trim()).filter(Boolean)) {
      const eq = pair.indexOf('=');
      form[decode(eq < 0 ? pair : pair.slice(0, eq))] = t(eq < 0 ? '' : decode(pair.slice(eq + 1)), body.line);
    }
    request.form = form;
    for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-type') delete headers[k];
    return;
  }
  const boundary = /multipart\/form-data;\s*boundary=("?)([^";]+)\1/i.exec(type);
  if (boundary) {
    const parts = multipartOf(text, boundary[2]!, body.line, step, ctx, t);
    if (parts) {
      request.multipart = parts;
      for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-type') delete headers[k];
      return;
    }
  }
  request.body = t(text, body.line);
}

function multipartOf(text: string, boundary: string, line: number, step: DraftStep, ctx: HttpContext, t: (s: string, line: number) => string): Record<string, unknown> | undefined {
  const parts: Record<string, unknown> = dict();
  for (const chunk of text.split(`--${boundary}`).slice(1)) {
    if (chunk.trim() === '--' || !chunk.trim()) continue;
    const [head, ...rest] = chunk.replace(/^\r?\n/, '').split(/\r?\n\r?\n/);
    const name = /name="([^"]*)"/.exec(head ?? '')?.[1];
    if (!name) {
      step.kept.push({ line, why: 'a multipart part without a name is not sent', source: chunk.trim() });
      continue;
    }
    const filename = /filename="([^"]*)"/.exec(head!)?.[1];
    const contentType = /content-type:\s*(.+)/i.exec(head!)?.[1]?.trim();
    const value = rest.join('\n\n').replace(/\r?\n$/, '');
    const file = /^<\s+(.+)$/.exec(value.trim());
    const sendable = file && notebookFile(file[1]!.trim(), dirname(ctx.file), ctx.notebookDir);
    if (sendable && 'why' in sendable) step.kept.push({ line, why: `the part "${name}": ${sendable.why}`, source: value.trim() });
    else if (sendable) parts[name] = { file: sendable.path, ...(contentType ? { contentType } : {}), ...(filename ? { filename } : {}) };
    else parts[name] = contentType ? { value: t(value, line), contentType } : t(value, line);
  }
  return Object.keys(parts).length ? parts : undefined;
}

function metaInto(m: { key: string; value: string; line: number }, request: Record<string, unknown>, step: DraftStep): void {
  if (m.key === 'no-redirect') request.followRedirects = false;
  else if (m.key === 'no-cookie-jar') step.kept.push({ line: m.line, why: 'the cookie jar is on for the whole notebook (defaults.cookies: false turns it off for all)', source: `# @${m.key}` });
  else if (m.key === 'prompt') {
    const [name, ...words] = m.value.split(/\s+/);
    if (name) prompts.set(identifier(name), words.join(' ') || name);
  } else if (m.key === 'timeout' && /^\d+$/.test(m.value)) request.timeoutMs = Number(m.value);
  else if (m.key === 'insecure' || m.key === 'no-reject-unauthorized') request.tls = { insecure: true };
  else if (m.key !== 'title' && m.key !== 'description') step.kept.push({ line: m.line, why: `\`@${m.key}\` is not translated`, source: `# @${m.key} ${m.value}`.trim() });
  if (m.key === 'description' || m.key === 'title') step.doc = [step.doc, m.value].filter(Boolean).join('\n\n');
}

/** `# @prompt name description`: an input asked for when the run starts (or read from the environment). */
const prompts = new Map<string, string>();

function declare(draft: DraftNotebook, names: HttpNames, envs: HttpEnvironments): void {
  for (const [name, prompt] of prompts) if (names.used.has(name)) draft.inputs[name] = { env: envName(name), prompt };
  prompts.clear();
  for (const [name, env] of names.inputs) draft.inputs[name] = names.secretInputs.has(name) ? { env, secret: true } : { env };
  for (const [name] of names.used) {
    if (draft.vars[name] || draft.inputs[name]) continue;
    if (names.captured.has(name)) {
      draft.vars[name] = { value: null, comment: 'a response handler sets it; null until then' };
      continue;
    }
    const raw = names.rawName.get(name) ?? name;
    const fromEnv = envs.valueOf(raw);
    if (envs.isSecret(raw)) draft.inputs[name] = { env: envName(name), secret: true };
    else if (fromEnv !== undefined) draft.vars[name] = { value: fromEnv, comment: `from ${envs.defaultName} in http-client.env.json (environments/*.yaml set it per environment)` };
    else draft.inputs[name] = { env: envName(name) };
  }
}

/** Every URL starting with the same `${var}` or origin: that is the baseUrl, and URLs become paths. */
function baseUrlInto(draft: DraftNotebook): string | undefined {
  const requests = draft.steps.filter((s) => s.request);
  const urls = requests.map((s) => String(s.request!.url));
  const prefix = /^\$\{(\w+)\}/.exec(urls[0] ?? '')?.[0] ?? /^https?:\/\/[^/?#$]+/.exec(urls[0] ?? '')?.[0];
  if (!prefix || !urls.every((u) => u.startsWith(prefix) && /^($|[/?])/.test(u.slice(prefix.length)))) return undefined;
  for (const s of requests) {
    const { url, method, ...rest } = s.request!;
    const path = String(url).slice(prefix.length);
    s.request = { method, path: path.startsWith('/') ? path : `/${path}`, ...rest };
  }
  const variable = /^\$\{(\w+)\}$/.exec(prefix)?.[1];
  if (!variable) {
    draft.baseUrl = prefix;
    return undefined;
  }
  const value = draft.vars[variable]?.value;
  const stillUsed = new RegExp(`\\$\\{[^}]*\\b${variable}\\b`).test(JSON.stringify([draft.steps, Object.entries(draft.vars).filter(([k]) => k !== variable)]));
  if (typeof value === 'string' && /^https?:\/\/[^$]+$/.test(value)) draft.baseUrl = value.replace(/\/$/, '');
  else draft.header.push(`Every request starts with {{${variable}}}: give it as --base-url.`);
  if (!stillUsed) {
    delete draft.vars[variable];
    delete draft.inputs[variable];
  }
  return variable;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

function titleOf(file: string): string {
  return (file.split(/[\\/]/).pop() ?? file).replace(/\.(http|rest)$/, '');
}

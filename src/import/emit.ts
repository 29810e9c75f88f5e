/**
 * DraftNotebook → YAML text. Built with the yaml library's Document API so that what could not
 * be translated sits as a comment right above the step it belongs to, the prose that introduced
 * a var above that var, and a Postman test's name beside the assert it became.
 */
import { Document, isMap, isSeq, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { DraftNotebook, DraftStep, Kept } from './draft.js';

export function emitNotebook(draft: DraftNotebook): string {
  const doc = new Document(plainNotebook(draft));
  doc.commentBefore = draft.header.map((line) => ` ${line}`).join('\n') || null;
  const root = doc.contents as YAMLMap;
  commentVars(root, draft);
  commentSteps(root, draft.steps);
  if (draft.kept.length) {
    const lines = keptLines(draft.kept);
    doc.comment = lines.join('\n');
  }
  return doc.toString({ lineWidth: 0, blockQuote: 'literal' });
}

function plainNotebook(d: DraftNotebook): Record<string, unknown> {
  const out: Record<string, unknown> = { title: d.title };
  if (d.description) out.description = d.description;
  if (d.baseUrl) out.baseUrl = d.baseUrl;
  if (d.openapi) out.openapi = d.openapi;
  if (Object.keys(d.inputs).length) out.inputs = d.inputs;
  if (d.auth) out.auth = d.auth;
  if (d.defaults && Object.keys(d.defaults).length) out.defaults = d.defaults;
  if (Object.keys(d.vars).length) out.vars = Object.fromEntries(Object.entries(d.vars).map(([k, v]) => [k, v.value]));
  out.steps = d.steps.map(plainStep);
  return out;
}

function plainStep(s: DraftStep): Record<string, unknown> {
  const out: Record<string, unknown> = { name: s.name };
  if (s.doc) out.doc = s.doc;
  if (s.forEach) out.forEach = s.forEach;
  if (s.as) out.as = s.as;
  if (s.if) out.if = s.if;
  if (s.auth !== undefined) out.auth = s.auth;
  if (s.request) out.request = s.request;
  if (s.expect && Object.keys(s.expect).length) out.expect = s.expect;
  if (s.capture && Object.keys(s.capture).length) out.capture = s.capture;
  if (s.assert?.length) out.assert = s.assert.map((a) => a.expr);
  if (s.retries) out.retries = s.retries;
  if (s.retryDelayMs) out.retryDelayMs = s.retryDelayMs;
  if (s.continueOnFailure) out.continueOnFailure = true;
  return out;
}

function commentVars(root: YAMLMap, draft: DraftNotebook): void {
  const vars = root.get('vars', true);
  if (!isMap(vars)) return;
  for (const pair of vars.items) {
    const key = pair.key as Scalar;
    const comment = draft.vars[String(key.value)]?.comment;
    if (comment) key.commentBefore = asComment(comment);
  }
}

function commentSteps(root: YAMLMap, steps: DraftStep[]): void {
  const seq = root.get('steps', true);
  if (!isSeq(seq)) return;
  steps.forEach((step, i) => {
    const node = (seq as YAMLSeq).items[i] as YAMLMap;
    if (step.kept.length) node.commentBefore = keptLines(step.kept).join('\n');
    const asserts = node.get('assert', true);
    if (isSeq(asserts)) {
      step.assert?.forEach((a, j) => {
        const item = asserts.items[j] as Scalar;
        if (a.note) item.comment = ` ${oneLine(a.note)}`;
      });
    }
  });
}

/** Each piece of kept source: why, where from, then the source itself, commented out. */
function keptLines(kept: Kept[]): string[] {
  const lines: string[] = [];
  for (const k of kept) {
    lines.push(` not translated (source line ${k.line}): ${oneLine(k.why)}`);
    for (const src of k.source.split('\n')) lines.push(`   ${src}`);
  }
  return lines;
}

function asComment(text: string): string {
  return text
    .split('\n')
    .map((l) => ` ${l}`)
    .join('\n');
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

/**
 * `xpath(body, path)` and `xpathAll(body, path)`: XPath 1.0 over an XML or HTML response body.
 *
 * XML is read by @xmldom/xmldom, HTML by parse5 (the HTML standard's own parsing rules, so a
 * real page with unclosed `<p>`s reads as a browser reads it) and handed to the same XPath engine
 * (the `xpath` package) as an XML tree without namespaces, so `//title` works on both.
 *
 * A body comes from the server under test and may be hostile. Neither parser fetches anything;
 * xmldom never expands entities, and a document that declares entities (`<!ENTITY …>`, the
 * "billion laughs" and external-entity attacks) is refused outright, so what is read is what
 * arrived. The text read is at most MARKUP_MAX_CHARS, and a tree deeper than the XPath engine can
 * walk is an error, not a crash.
 */
import { createRequire } from 'node:module';
import { memoByText } from './memo.js';

/**
 * The libraries are loaded only by notebooks that call xpath (they cost tens of milliseconds of
 * start-up): xmldom and xpath (CommonJS) synchronously on first use; parse5, which is an ES
 * module only, is imported as soon as the loader sees a call to xpath()/xpathAll(), and each step
 * waits for that import (markupLoading) before it evaluates anything.
 */
const require = createRequire(import.meta.url);
let xml: typeof import('@xmldom/xmldom') | undefined;
let xp: any;
let html: typeof import('parse5') | undefined;
let htmlLoading: Promise<void> | undefined;

function xmldom(): typeof import('@xmldom/xmldom') {
  xml ??= require('@xmldom/xmldom') as typeof import('@xmldom/xmldom');
  return xml;
}

function xpathLib(): any {
  if (!xp) {
    xp = require('xpath');
    fastNodeSets(xp.XNodeSet.prototype);
  }
  return xp;
}

/**
 * The engine's node set drops duplicates by scanning every node it holds, on each add: `//a` on a
 * list of 100,000 items took 10 s, 200,000 took 40 s (quadratic), held where no deadline acts. A
 * Set beside the list does the same in constant time; it is rebuilt if the list ever changed
 * behind it, so the engine's own behaviour (the order kept, each node once) is unchanged.
 */
function fastNodeSets(proto: { add(n: unknown): void }): void {
  type NodeSet = { nodes: unknown[]; size: number; tree: unknown; seen?: Set<unknown> };
  proto.add = function add(this: NodeSet, n: unknown): void {
    if (!this.seen || this.seen.size !== this.nodes.length) this.seen = new Set(this.nodes);
    if (this.seen.has(n)) return;
    this.tree = null;
    this.nodes.push(n);
    this.seen.add(n);
    this.size += 1;
  };
}

/** Starts loading the HTML parser (the loader calls it when an expression calls xpath). */
export function loadMarkup(): void {
  htmlLoading ??= import('parse5').then((m) => {
    html = m;
  });
}

/** A promise while the HTML parser is still loading, else undefined (no wait, no microtask turn). */
export function markupLoading(): Promise<void> | undefined {
  return htmlLoading && !html ? htmlLoading : undefined;
}

/** Largest document xpath() reads (characters): the default --max-body, with room. */
export const MARKUP_MAX_CHARS = 16 * 1024 * 1024;

type XNode = { nodeType: number; textContent?: string | null; nodeValue?: string | null };

export class MarkupError extends Error {}

/** What the engine returns: a node set, or a string, number or boolean (`count(//item)`). */
interface XResult {
  toArray?(): XNode[];
  stringValue(): string;
  numberValue(): number;
  booleanValue(): boolean;
}

interface ParsedXPath {
  evaluate(options: { node: unknown; namespaces?: Record<string, string> }): XResult;
}



const compiled = memoByText((path: string): ParsedXPath => {
  try {
    return (xpathLib() as { parse(p: string): ParsedXPath }).parse(path);
  } catch (err) {
    throw new MarkupError(`invalid XPath ${JSON.stringify(path)}: ${(err as Error).message.replace(/^XPath parse error:?\s*/i, '') || 'it cannot be parsed'}`);
  }
}, 1_000);

/** Why an XPath cannot be parsed, or undefined (checked when the notebook is loaded). */
export function xpathProblem(path: string): string | undefined {
  try {
    compiled(path);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** The last document read: a step's captures and asserts usually query the same body. */
let last: { text: string; doc: { doc: unknown; namespaces: Record<string, string> } } | undefined;

function documentOf(body: unknown, fn: string): { doc: unknown; namespaces: Record<string, string> } {
  let text: string;
  if (typeof body === 'string') text = body;
  else if (body instanceof Uint8Array) text = new TextDecoder().decode(body);
  else throw new MarkupError(`${fn}() reads an XML or HTML body (text), got ${body === null ? 'null' : Array.isArray(body) ? 'a list' : typeof body}`);
  if (text.length > MARKUP_MAX_CHARS) throw new MarkupError(`${fn}() reads documents of at most ${MARKUP_MAX_CHARS.toLocaleString('en')} characters; this one has ${text.length.toLocaleString('en')}`);
  if (last?.text === text) return last.doc;
  const doc = isHtml(text) ? htmlDocument(text) : xmlDocument(text, fn);
  numberInDocumentOrder(doc.doc);
  last = { text, doc };
  return doc;
}

/**
 * The XPath engine sorts every node set in document order with `compareDocumentPosition`, and
 * xmldom's walks the common parent's children for each comparison: a flat list of 10,000 items
 * made `//a/b` take a minute (a hostile body, or just a big page, held the run where no deadline
 * or Ctrl-C acts). Each node gets its position in one walk; comparing two is then two lookups.
 * Attributes come right after their element, before its children, as XPath orders them.
 */
function numberInDocumentOrder(doc: any): void {
  const order = new WeakMap<object, number>();
  const original = doc.compareDocumentPosition as (this: object, other: object) => number;
  function compare(this: object, other: object): number {
    const a = order.get(this);
    const b = order.get(other);
    if (a === undefined || b === undefined) return original.call(this, other);
    return a === b ? 0 : a < b ? 4 /* other follows */ : 2 /* other precedes */;
  }
  let n = 0;
  const stack: any[] = [doc];
  while (stack.length) {
    const node = stack.pop();
    order.set(node, n++);
    node.compareDocumentPosition = compare;
    for (let i = 0; i < (node.attributes?.length ?? 0); i++) {
      const attr = node.attributes[i];
      order.set(attr, n++);
      attr.compareDocumentPosition = compare;
    }
    for (let c = node.lastChild; c; c = c.previousSibling) stack.push(c);
  }
}

/** HTML when it says so at its start (a doctype or an <html> element); else XML. */
function isHtml(text: string): boolean {
  const head = text.slice(0, 2048).replace(/^\uFEFF/, '').replace(/^(\s|<!--[\s\S]*?-->)+/, '');
  return /^<!doctype\s+html[\s>]/i.test(head) || /^<html[\s>]/i.test(head) || (!head.startsWith('<?xml') && !head.startsWith('<') && /<html[\s>]/i.test(head));
}

function xmlDocument(text: string, fn: string): { doc: unknown; namespaces: Record<string, string> } {
  let problem: string | undefined;
  const parser = new (xmldom().DOMParser)({
    // Warnings are the parser's business; the first error is the answer (never printed to stderr).
    onError: (level: string, message: string) => {
      if (level !== 'warning') problem ??= message.split('\n')[0];
      if (level === 'fatalError') throw new MarkupError(message);
    },
  });
  let doc: any;
  try {
    doc = parser.parseFromString(text, 'text/xml');
  } catch (err) {
    problem ??= (err as Error).message.split('\n')[0];
  }
  if (doc?.doctype && /<!ENTITY/i.test(String(doc.doctype.internalSubset ?? ''))) {
    throw new MarkupError(`${fn}(): the document declares entities (<!ENTITY …>); they are never expanded, and such a document is refused (a "billion laughs" or external-entity attack looks like this)`);
  }
  if (!doc?.documentElement || problem) throw new MarkupError(`${fn}(): the body is not well-formed XML (${problem ?? 'no root element'})`);
  return { doc, namespaces: prefixesOf(doc.documentElement) };
}

/** `xmlns:p="…"` declarations anywhere in the document, so `//soap:Body` works as written. */
function prefixesOf(root: any): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  const stack = [root];
  let seen = 0;
  while (stack.length && seen++ < 100_000) {
    const el = stack.pop();
    for (let i = 0; i < (el.attributes?.length ?? 0); i++) {
      const a = el.attributes[i];
      if (a.name.startsWith('xmlns:') && !(a.name.slice(6) in out)) out[a.name.slice(6)] = a.value;
    }
    for (let c = el.lastChild; c; c = c.previousSibling) if (c.nodeType === 1) stack.push(c);
  }
  return out;
}

interface Parse5Node {
  nodeName: string;
  tagName?: string;
  attrs?: Array<{ name: string; value: string }>;
  childNodes?: Parse5Node[];
  content?: Parse5Node;
  value?: string;
  data?: string;
}

/** parse5's tree copied into an xmldom document (walked with a stack: a deep page cannot overflow it). */
function htmlDocument(text: string): { doc: unknown; namespaces: Record<string, string> } {
  if (!html) throw new MarkupError('xpath(): the HTML parser is not loaded yet');
  const tree = html.parse(text) as unknown as Parse5Node;
  const doc: any = new (xmldom().DOMImplementation)().createDocument(null, null as unknown as string);
  const stack: Array<[Parse5Node, any]> = (tree.childNodes ?? []).map((c) => [c, doc] as [Parse5Node, any]).reverse();
  while (stack.length) {
    const [node, parent] = stack.pop()!;
    let made: any;
    if (node.nodeName === '#text') made = doc.createTextNode(node.value ?? '');
    else if (node.nodeName === '#comment') made = doc.createComment(node.data ?? '');
    else if (node.tagName) {
      try {
        made = doc.createElement(node.tagName);
      } catch {
        continue; // a name XML cannot hold (HTML is lenient): left out with what is inside it
      }
      for (const a of node.attrs ?? []) {
        try {
          made.setAttribute(a.name, a.value);
        } catch {
          // an attribute name XML cannot hold (`@click`): left out
        }
      }
      const kids = node.tagName === 'template' ? node.content?.childNodes : node.childNodes;
      for (let i = (kids?.length ?? 0) - 1; i >= 0; i--) stack.push([kids![i], made]);
    } else continue;
    parent.appendChild(made);
  }
  return { doc, namespaces: Object.create(null) };
}

function textOf(node: XNode): string {
  return node.nodeType === 2 || node.nodeType === 3 || node.nodeType === 4 ? String(node.nodeValue ?? '') : String(node.textContent ?? '');
}

function run(body: unknown, path: string, fn: string): unknown {
  const expr = compiled(path);
  const { doc, namespaces } = documentOf(body, fn);
  try {
    const result = expr.evaluate({ node: doc, namespaces });
    const X = xpathLib() as { XNodeSet: Function; XNumber: Function; XBoolean: Function };
    if (result instanceof X.XNodeSet) return result.toArray!();
    if (result instanceof X.XNumber) return result.numberValue();
    if (result instanceof X.XBoolean) return result.booleanValue();
    return result.stringValue();
  } catch (err) {
    if (err instanceof RangeError) throw new MarkupError(`${fn}(): the document nests too deeply to search`);
    throw new MarkupError(`${fn}(${JSON.stringify(path)}): ${(err as Error).message}`);
  }
}

/** The text of the first node the path selects (`null` when none), or the path's value when it computes one (`count(//item)`). */
export function xpathFirst(body: unknown, path: string): unknown {
  const found = run(body, path, 'xpath');
  if (Array.isArray(found)) return found.length ? textOf(found[0] as XNode) : null;
  return found;
}

/** The text of every node the path selects, in document order. */
export function xpathAll(body: unknown, path: string): unknown[] {
  const found = run(body, path, 'xpathAll');
  if (Array.isArray(found)) return found.map((n) => textOf(n as XNode));
  return [found];
}

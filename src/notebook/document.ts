/**
 * Checks on the yaml library's document before it is turned into data, for what would otherwise
 * crash, hang or silently change the data: an alias that names no anchor, an alias inside the
 * node it names (a cycle), the values all aliases add once expanded (a "billion laughs" file of a
 * few hundred bytes expands to 10^9), and a key that is a list or mapping (JavaScript would make
 * it the text "[object Object]"). Each problem is located where it is written. The walk is
 * iterative and resolves every alias in O(1): one pass over the document whatever it holds.
 */
import { isAlias, isCollection, isMap, isPair, isScalar, type Alias, type Document, type Node, type YAMLMap } from 'yaml';
import type { Diagnostic } from './diagnostic.js';
import type { Span } from './types.js';
import { LIMITS } from './limits.js';
import type { YamlSourceMap } from './source.js';

type Visit = { node: unknown; children?: unknown[]; next: number };

/** `tally.total` (when given) receives how many problems there are, beyond those listed. */
export function checkDocument(doc: Document, source: YamlSourceMap, tally?: { total: number }): Diagnostic[] {
  const duplicates: Diagnostic[] = [];
  const anchors = new Map<string, Node>();
  const sizes = new Map<unknown, number>();
  const open = new Set<unknown>();
  let added = 0;
  const at = (node: Alias) => (node.range ? source.spanOfOffsets(node.range[0], node.range[1]) : source.at([]));

  const stack: Visit[] = [{ node: doc.contents, next: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1];
    const node = top.node;
    if (top.children === undefined) {
      // First visit: an anchor is known from its opening on (so an alias inside it is a cycle).
      const anchor = (node as { anchor?: string } | null)?.anchor;
      if (anchor && !isAlias(node)) anchors.set(anchor, node as Node);
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        if (!target) return [...duplicates, { message: `alias \`*${node.source}\` names no anchor`, span: at(node), hint: `an alias repeats a value marked \`&${node.source}\` earlier in the file` }];
        if (open.has(target)) return [...duplicates, { message: `alias \`*${node.source}\` is inside the value it names, which would make it contain itself`, span: at(node), hint: 'an alias may repeat a value defined before it, not one it is part of' }];
        const size = sizes.get(target) ?? 1;
        added += size;
        if (added > LIMITS.aliasValues) {
          return [...duplicates, {
            message: `aliases expand to more than ${LIMITS.aliasValues.toLocaleString('en')} values (\`*${node.source}\` alone adds ${size > 1e15 ? 'over 10^15' : size.toLocaleString('en')})`,
            span: at(node),
            hint: 'a notebook may repeat values through aliases, not multiply them (this looks like a "billion laughs" file)',
          }];
        }
        sizes.set(node, size);
        stack.pop();
        continue;
      }
      if (isPair(node) && (isCollection(node.key) || isAlias(node.key))) {
        const key = node.key as Node;
        return [...duplicates, { message: 'a key must be text, not a list, a mapping or an alias', span: key.range ? source.spanOfOffsets(key.range[0], key.range[1]) : source.at([]), hint: 'keys are names such as `title` or `Authorization`; `? ` starts a complex key, which notebooks do not use' }];
      }
      if (isMap(node)) duplicateKeys(node, source, duplicates, tally);
      top.children = isCollection(node) ? [...node.items] : isPair(node) ? [node.key, node.value] : [];
      open.add(node);
    }
    if (top.next < top.children.length) {
      const child = top.children[top.next++];
      if (child !== null && child !== undefined && (isCollection(child) || isPair(child) || isScalar(child) || isAlias(child))) stack.push({ node: child, next: 0 });
      continue;
    }
    open.delete(node);
    sizes.set(node, top.children.reduce<number>((sum, c) => sum + (sizes.get(c) ?? 0), isPair(node) ? 0 : 1));
    stack.pop();
  }
  return duplicates;
}

/** Keys written twice in one mapping, in one pass (the yaml library's own check is quadratic). */
function duplicateKeys(map: YAMLMap, source: YamlSourceMap, found: Diagnostic[], tally?: { total: number }): void {
  const seen = new Set<string>();
  for (const pair of map.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    if (!seen.has(key)) seen.add(key);
    else {
      if (tally) tally.total++;
      if (found.length >= LIMITS.diagnostics) continue;
      const range = pair.key.range;
      found.push(duplicateKey(key, range ? source.spanOfOffsets(range[0], range[1]) : source.at([])));
    }
  }
}

/** Worded once for both readers that find it (the subset reader reads on past one). */
export function duplicateKey(key: string, span: Span): Diagnostic {
  return { message: `YAML: the key \`${key}\` appears twice in this mapping`, span, hint: 'each key may appear once in a mapping' };
}

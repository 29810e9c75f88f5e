/**
 * The files of one description (the root and every file its `$ref`s reach), by URL, and JSON
 * pointers into them. json-schema-ref-parser reads and resolves the files; we keep them un-dereferenced
 * so ajv can follow `$ref`s itself (cycles included) and an error can say where a schema lives.
 */
import { pathToFileURL } from 'node:url';

/** A node of a description and where it is: `url#pointer`. */
export interface Located {
  value: any;
  url: string;
  pointer: string;
}

export class FileSet {
  private readonly files = new Map<string, unknown>();

  /** `paths` as json-schema-ref-parser's `$refs.values()` gives them: file paths or URLs. */
  constructor(values: Record<string, unknown>) {
    for (const [path, value] of Object.entries(values)) this.files.set(toUrl(path), value);
  }

  entries(): IterableIterator<[string, unknown]> {
    return this.files.entries();
  }

  /** The node `ref` (relative to `base`) names, or undefined. */
  locate(ref: string, base: string): Located | undefined {
    const target = new URL(ref, base);
    const pointer = decodeURIComponent(target.hash.replace(/^#/, ''));
    target.hash = '';
    let value = this.files.get(target.href);
    if (value === undefined) return undefined;
    for (const token of pointer.split('/').slice(1)) {
      if (value === null || typeof value !== 'object') return undefined;
      value = (value as Record<string, unknown>)[token.replace(/~1/g, '/').replace(/~0/g, '~')];
      if (value === undefined) return undefined;
    }
    return { value, url: target.href, pointer };
  }

  /** Follows Reference Objects (`{ $ref }`) until a real node; undefined on a broken or looping chain. */
  deref(at: Located): Located | undefined {
    let cur: Located | undefined = at;
    for (let hops = 0; cur && isRef(cur.value); hops++) {
      if (hops > 50) return undefined;
      cur = this.locate(cur.value.$ref, cur.url);
    }
    return cur;
  }
}

export function child(at: Located, ...keys: string[]): Located {
  let { value, pointer } = at;
  for (const k of keys) {
    value = value?.[k];
    pointer += `/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  }
  return { value, url: at.url, pointer };
}

/** `url#pointer` as a `$ref` ajv can resolve (the pointer's characters escaped for a URI fragment). */
export function refOf(at: Located): string {
  return `${at.url}#${encodeURI(at.pointer).replace(/#/g, '%23')}`;
}

function isRef(v: unknown): v is { $ref: string } {
  return v !== null && typeof v === 'object' && typeof (v as { $ref?: unknown }).$ref === 'string';
}

export function toUrl(path: string): string {
  return /^[a-z][a-z0-9+.-]+:\/\//i.test(path) ? path : pathToFileURL(path).href;
}

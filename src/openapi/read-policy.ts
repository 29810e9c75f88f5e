/**
 * What json-schema-ref-parser may read while it follows a description's `$ref`s, for the contract
 * checks (load.ts) and for `import --from openapi` alike:
 *
 * - a local file only through THE file rule (src/files/access.ts): inside the repository of the
 *   notebook (or imported file) that names the description, the schemas shipped with
 *   api-notebook, or a folder given with `--allow-files`; symlinks resolved before the check, so
 *   `$ref: /home/me/.aws/credentials` and a link pointing out of the repository are refused;
 * - an http(s) URL only when fetching is allowed: `run` and `open` send requests anyway, but
 *   `validate` says "nothing was sent", so it fetches nothing without `--allow-fetch`, and
 *   `import` neither (an imported file must not make the machine fetch what it names);
 * - only JSON and YAML: the library's text and binary parsers would turn any file (a key file,
 *   a credentials file) into a string value that an import then copies into a request body.
 *
 * The resolvers record what they refused, so the error can say why with a hint, however the
 * library wraps it.
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ParserOptions } from '@apidevtools/json-schema-ref-parser';
// The library's own path decoding, so the path checked is the path it would have read.
import { isFileSystemPath, toFileSystemPath } from '@apidevtools/json-schema-ref-parser/dist/lib/util/url.js';
import { checkFileAccess, FileAccessError, type FileRules } from '../files/access.js';

/** A description and its `$ref`d files may be this large each (Stripe's full description is ~7 MB). */
export const MAX_DESCRIPTION_FILE_BYTES = 32 * 1024 * 1024;

export interface ReadPolicy {
  /** Where local files may come from. */
  rules: FileRules;
  /** Whether http(s) descriptions and `$ref`s are fetched. */
  fetch: boolean;
  /** What refuses a fetch, for the hint: `validate`, `import`. */
  command: string;
}

/** Why a read was refused: a file outside the rule, or a URL not fetched. */
export type Refusal = { kind: 'file'; error: FileAccessError } | { kind: 'fetch'; url: string };

export class RefusedRead extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.kind === 'file' ? refusal.error.message : `${refusal.url} is not fetched`);
  }
}

/** The parser options for `policy`, and where the first refusal is recorded. */
export function refParserOptions(policy: ReadPolicy): { options: ParserOptions; refused: () => Refusal | undefined } {
  let refused: Refusal | undefined;
  const refuse = (r: Refusal): never => {
    refused ??= r;
    throw new RefusedRead(r);
  };
  const options = {
    parse: { text: false, binary: false },
    resolve: {
      file: {
        order: 100,
        canRead: (file: { url: string }) => isFileSystemPath(file.url),
        async read(file: { url: string }): Promise<Buffer> {
          const path = toFileSystemPath(file.url);
          let real: string;
          try {
            real = checkFileAccess(path, dirname(path), policy.rules, 'OpenAPI file');
          } catch (err) {
            if (err instanceof FileAccessError) return refuse({ kind: 'file', error: err });
            throw err;
          }
          const data = await readFile(real);
          if (data.length > MAX_DESCRIPTION_FILE_BYTES) throw new Error(`${path} is ${Math.ceil(data.length / 1024 ** 2)} MiB; a description file may be at most ${MAX_DESCRIPTION_FILE_BYTES / 1024 ** 2} MiB`);
          return data;
        },
      },
      // The user names the description, often on their own machine or network (the API serving
      // its own /openapi.json), so private addresses are allowed when fetching is; a slow server
      // does not hang the command.
      http: policy.fetch
        ? { safeUrlResolver: false, timeout: 10_000, maxContentLength: MAX_DESCRIPTION_FILE_BYTES }
        : { order: 200, canRead: (file: { url: string }) => /^https?:\/\//i.test(file.url), read: (file: { url: string }) => refuse({ kind: 'fetch', url: file.url }) },
    },
  };
  return { options: options as unknown as ParserOptions, refused: () => refused };
}

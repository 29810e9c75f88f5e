/**
 * Reads an OpenAPI 3.0 or 3.1 description (JSON or YAML, `$ref`s across files) into a Description.
 *
 * Library choice: @apidevtools/swagger-parser reads JSON and YAML, resolves `$ref`s across files
 * and URLs, and validates the document against the official 3.0/3.1 schemas plus the rules they
 * cannot express (unique operationIds, path parameters declared), with messages that name the
 * place; it is the long-kept reference parser (used by Redocly's and Stoplight's tooling) and
 * brings no transitive weight we do not already carry (it validates with ajv too). For 3.0's
 * Schema Objects, @openapi-contrib/openapi-schema-to-json-schema is the maintained converter
 * (nullable, formats, 3.0-only keywords). Validation itself is ajv, like every other check.
 */
import { relative, resolve } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Description } from './description.js';
import { FileSet } from './resolve.js';

export class DescriptionError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

/** Loads, checks and prepares a description; a broken one is a DescriptionError saying why. */
export async function loadDescription(path: string): Promise<Description> {
  const file = resolve(path);
  const shown = relative(process.cwd(), file) || file;
  try {
    // Validation dereferences the document it checks; the copy we keep is resolved but intact.
    await new SwaggerParser().validate(file);
    const $refs = await new SwaggerParser().resolve(file);
    const root = $refs.get(file) as Record<string, any>;
    const version = String(root.openapi ?? root.swagger ?? '');
    if (!/^3\.[01]\./.test(version)) {
      throw new DescriptionError(`${shown} is ${root.swagger ? `Swagger ${version}` : `OpenAPI ${version || '(no version)'}`}; only OpenAPI 3.0 and 3.1 are checked`, 'convert it to OpenAPI 3 (for example with swagger2openapi)');
    }
    return new Description(shown, new FileSet($refs.values() as Record<string, unknown>), file, version.startsWith('3.0') ? '3.0' : '3.1');
  } catch (err) {
    if (err instanceof DescriptionError) throw err;
    throw new DescriptionError(`the OpenAPI description ${shown} cannot be used: ${describe(err)}`, hintFor(err));
  }
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string; details?: Array<{ instancePath?: string; message?: string }> };
  if (e?.code === 'ENOENT' || /ENOENT|no such file/i.test(e?.message ?? '')) return `file not found (${firstLine(e.message ?? "")})`;
  return firstLine(e?.message ?? String(err));
}

function hintFor(err: unknown): string {
  const message = (err as Error)?.message ?? '';
  if (/ENOENT|no such file|Error opening file/i.test(message)) return 'the path is relative to the notebook (or, for --openapi, the working directory)';
  if (/YAML|JSON|parse/i.test(message)) return 'the file must be a JSON or YAML OpenAPI document';
  return 'check the document with an OpenAPI linter; the first problem is shown';
}

function firstLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.slice(0, 4).join(' ').slice(0, 600);
}

/**
 * `openapi: stripe-2015-07-28`: a description named, as `expect.schema` names a schema, rather
 * than a path. A notebook that names the description shipped with api-notebook runs the same
 * wherever it is copied; a path (`../../schemas/….openapi.json`) only where that path exists.
 *
 * A value is a NAME when it has no `/` or `\` and does not end in .json, .yaml or .yml; anything
 * else is a path relative to the notebook (or an http(s) URL), as before. A name is looked up as
 * `<name>.openapi.json` (then .yaml, .yml) in exactly the folders a schema name is: `schemas/` next
 * to the notebook and in every folder above it, then the working directory's, then the package's
 * own (SchemaRegistry.searchPath, so both follow THE file rule). Nearest first: a project may
 * ship its own copy under the same name.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { SchemaRegistry } from '../checks/schemas.js';
import { closest } from '../notebook/diagnostic.js';

const ENDINGS = ['.openapi.json', '.openapi.yaml', '.openapi.yml'];

/** Whether an `openapi:` value names a description rather than giving its path or URL. */
export function isDescriptionName(value: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value) && !/\.(json|ya?ml)$/i.test(value);
}

/** A value as quoted in a message: a line of a diagnostic stays readable whatever the file holds. */
export function shortened(value: string, max = 80): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

export type NamedDescription = { file: string } | { problem: { message: string; hint: string } };

/** The file `name` stands for, seen from a notebook in `notebookDir`, or why there is none. */
export function findNamedDescription(name: string, notebookDir: string, registry: SchemaRegistry, cwd = process.cwd()): NamedDescription {
  const dirs = registry.searchPath(notebookDir);
  for (const dir of dirs) {
    for (const ending of ENDINGS) {
      const file = join(dir, name + ending);
      if (existsSync(file)) return { file };
    }
  }
  const known = new Set<string>();
  for (const dir of dirs.filter(existsSync)) {
    for (const f of readdirSync(dir)) {
      const ending = ENDINGS.find((e) => f.endsWith(e));
      if (ending) known.add(f.slice(0, -ending.length));
    }
  }
  const guess = name.length <= 200 ? closest(name, known) : undefined;
  const shownName = shortened(name);
  const shown = dirs.filter(existsSync).map((d) => relative(cwd, d) || '.');
  return {
    problem: {
      message: `no OpenAPI description named \`${shownName}\``,
      hint: guess
        ? `did you mean \`${guess}\`?`
        : `looked for ${shownName}.openapi.json (or .yaml) in ${shown.join(', ') || 'schemas/ folders (none exist)'}` +
          (known.size ? `; known: ${[...known].sort().join(', ')}` : '') +
          '; a path to a file needs a `/` or a .json/.yaml ending (`./openapi.json`)',
    },
  };
}

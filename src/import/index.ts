/**
 * `api-notebook import`: reads a MuleSoft API Notebook (markdown), a Postman collection or an
 * OpenAPI description, detected from the file (or named with --from), and gives notebooks.
 */
import { basename } from 'node:path';
import { parseDocument } from 'yaml';
import { fileRulesFor } from '../files/access.js';
import { ImportError, type ImportResult } from './draft.js';
import { IMPORT_LIMITS, readImportText } from './limits.js';
import { importCurl } from './curl/index.js';
import { readStdin } from './curl/stdin.js';
import { importHurl } from './hurl/index.js';
import { importMulesoft, isMulesoftNotebook } from './mulesoft.js';
import { importOpenApi, isOpenApi } from './openapi.js';
import { importBruno, isBrunoSource } from './bruno/index.js';
import { importHttp } from './http/index.js';
import { importPostman, isPostmanCollection, type PmEnvironment } from './postman.js';

export const FORMATS = ['mulesoft', 'postman', 'openapi', 'curl', 'hurl', 'bruno', 'http'] as const;
export type Format = (typeof FORMATS)[number];

export interface ImportOptions {
  from?: Format;
  split: boolean;
  envFile?: string;
  /** Where the notebook will be written, so `openapi:` can be relative to it. */
  outFile?: string;
  /** --allow-files DIR: folders outside the imported file's repository that `$ref`s may read. */
  allowFiles?: readonly string[];
  /** --allow-fetch: whether an imported description's http(s) `$ref`s are fetched. */
  allowFetch?: boolean;
  /** --negative: an OpenAPI import adds steps for the documented 4xx responses it can provoke (openapi-negative.ts). */
  negative?: boolean;
}

export { ImportError };

export async function importFile(file: string, options: ImportOptions): Promise<ImportResult> {
  if (options.from === 'bruno' || (!options.from && isBrunoSource(file))) return importBruno(file, { split: options.split, outFile: options.outFile });
  if (options.from === 'http' || (!options.from && /\.(http|rest)$/.test(file))) return importHttp(file, { outFile: options.outFile });
  const text = file === '-' ? await readStdin() : await readText(file);
  const format = options.from ?? detect(file, text);
  try {
    return await importAs(format, file, text, options);
  } catch (err) {
    if (err instanceof ImportError) throw err;
    // A file that passed detection but is shaped unlike its format (an item that is a number…).
    throw new ImportError(`${file} is not shaped like a ${format} file: ${(err as Error).message}`, undefined, `export it again from its tool, or name another format with --from`);
  }
}

async function importAs(format: Format, file: string, text: string, options: ImportOptions): Promise<ImportResult> {
  if (options.negative && format !== 'openapi') throw new ImportError(`--negative needs an OpenAPI description; ${file} is read as ${format}`, undefined, 'negative steps come from the error responses a description documents: import an OpenAPI 3.0/3.1 file');
  if (format === 'mulesoft') return importMulesoft(text, basename(file));
  if (format === 'curl') return importCurl(text, { file, outFile: options.outFile });
  if (format === 'hurl') return importHurl(text, { file, outFile: options.outFile });
  const data = parseData(file, text, format);
  if (format === 'postman') {
    if (!isPostmanCollection(data)) throw new ImportError(`${file} is not a Postman collection (no \`info\` and \`item\`)`, 1, 'export the collection from Postman as Collection v2.1 (or v2.0)');
    const env = options.envFile ? await readEnvironment(options.envFile) : undefined;
    return importPostman(data, text, { split: options.split, env });
  }
  if (!isOpenApi(data)) throw new ImportError(`${file} is not an OpenAPI 3 description (no \`openapi: 3.x\` and \`paths\`)`, 1, 'only OpenAPI 3.0 and 3.1 are read; convert Swagger 2.0 first (for example with swagger2openapi)');
  const policy = { rules: fileRulesFor(file, options.allowFiles), fetch: options.allowFetch === true, command: 'import', maxBytes: IMPORT_LIMITS.fileBytes };
  return importOpenApi(file, data as Record<string, unknown>, text, options.outFile, policy, options.negative === true);
}

async function readText(file: string): Promise<string> {
  try {
    return await readImportText(file);
  } catch (err) {
    if (err instanceof ImportError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ImportError(code === 'ENOENT' ? `${file}: file not found` : code === 'EISDIR' ? `${file} is a folder; import takes one file` : `${file}: cannot read (${code})`);
  }
}

/** What the file says it is: JSON/YAML with `info`+`item` is Postman, with `openapi` is OpenAPI, markdown with cells is MuleSoft. */
function detect(file: string, text: string): Format {
  if (/\.hurl$/i.test(file)) return 'hurl';
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    const data = parseData(file, text, 'postman');
    if (isPostmanCollection(data)) return 'postman';
    if (isOpenApi(data)) return 'openapi';
    throw unknownFormat(file);
  }
  if (isMulesoftNotebook(text)) return 'mulesoft';
  if (/^(openapi|swagger)\s*:/m.test(text)) return 'openapi';
  if (/^\s*(?:[$>]\s*)?curl(?:\.exe)?\s/im.test(text)) return 'curl';
  throw unknownFormat(file);
}

function unknownFormat(file: string): ImportError {
  return new ImportError(
    `${file} is not a format import reads`,
    1,
    'import reads a MuleSoft API Notebook (markdown with ```javascript cells), a Postman collection (v2.0/v2.1 JSON) or an OpenAPI 3 description; name it with --from mulesoft|postman|openapi|curl|hurl',
  );
}

function parseData(file: string, text: string, format: Format): unknown {
  if (text.trimStart().startsWith('{') || format === 'postman') {
    try {
      return JSON.parse(text);
    } catch (err) {
      const message = (err as Error).message;
      const at = /position (\d+)/.exec(message);
      const line = at ? text.slice(0, Number(at[1])).split('\n').length : undefined;
      throw new ImportError(`${file}${line ? `:${line}` : ''}: broken JSON (${message.replace(/^JSON\.parse: /, '')})`, line, 'fix the JSON, or export the file again');
    }
  }
  return parseYaml(file, text);
}

function parseYaml(file: string, text: string): unknown {
  const doc = parseDocument(text);
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0].line;
    throw new ImportError(`${file}${line ? `:${line}:${error.linePos![0].col}` : ''}: broken YAML (${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')})`, line, 'fix the YAML, or export the file again');
  }
  return doc.toJS({ maxAliasCount: 1000 });
}

async function readEnvironment(file: string): Promise<{ data: PmEnvironment; text: string; file: string }> {
  const text = file === '-' ? await readStdin() : await readText(file);
  const data = parseData(file, text, 'postman') as PmEnvironment;
  if (!data || typeof data !== 'object' || !Array.isArray(data.values)) {
    throw new ImportError(`${file} is not a Postman environment (no \`values\` list)`, 1, 'export the environment from Postman (Environments → … → Export)');
  }
  return { data, text, file };
}

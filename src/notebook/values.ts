/**
 * Checks on single values that can be decided when the notebook is loaded, so that a typo is
 * reported with its line before any request is sent rather than as a runtime error mid-run.
 * Each returns the problem (message and hint) or undefined; the builder locates it.
 */
import { regexProblem } from '../expr/index.js';
import type { Diagnostic } from './diagnostic.js';

type Problem = Omit<Diagnostic, 'span'> | undefined;

/** `baseUrl`: an absolute http(s) URL, since every path is joined to it. */
export function checkBaseUrl(value: string): Problem {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url && (url.protocol === 'http:' || url.protocol === 'https:') && url.host) return undefined;
  const hint = /^[\w.-]+(:\d+)?(\/|$)/.test(value) && !/^https?:/i.test(value) ? `add the scheme: \`http://${value}\`` : 'e.g. `https://api.example.test` or `http://127.0.0.1:8080/v1`';
  return { message: `\`baseUrl\` must be an absolute http:// or https:// URL, not ${JSON.stringify(value)}`, hint };
}

/** The same test as the header check's (src/checks/headers.ts): `/…/` with known flags. */
const HEADER_REGEX = /^\/(.*)\/([gimsuy]*)$/s;

/** An expected header written as `/regex/flags` must compile. */
export function checkHeaderPattern(value: string): Problem {
  const m = HEADER_REGEX.exec(value);
  if (!m || value.includes('${')) return undefined;
  const problem = regexProblem(m[1], m[2]);
  return problem ? { message: `invalid regular expression ${value}: ${problem}`, hint: 'a header value written /like this/ is a JavaScript regular expression; escape special characters with \\' } : undefined;
}

/** A schema name is a file name inside a schemas/ folder: no `..`, no absolute path, no `\`. */
const SCHEMA_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$/;

export function checkSchemaName(name: string): Problem {
  if (SCHEMA_NAME.test(name) && !name.split('/').some((p) => p.startsWith('.'))) return undefined;
  return {
    message: `\`${name}\` is not a schema name`,
    hint: 'name a file inside a schemas/ folder, without `.json` and without `..` or a leading `/` (e.g. `customer`), or write the schema inline',
  };
}

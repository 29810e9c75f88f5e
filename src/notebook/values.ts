/**
 * Checks on single values that can be decided when the notebook is loaded, so that a typo is
 * reported with its line before any request is sent rather than as a runtime error mid-run.
 * Each returns the problem (message and hint) or undefined; the builder locates it.
 */
import { patternProblem, slashPattern } from '../expr/index.js';
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

/**
 * An expected value written as `/regex/flags` (a header, a body field, `expect.text`) must be a
 * pattern RE2 takes: compiled now, so a broken one (`/json(/`) or one using what RE2 leaves out
 * (backreferences, lookaround) is reported at its line before anything is sent.
 */
export function checkSlashPattern(value: string): Problem {
  const slashed = slashPattern(value);
  if (!slashed || value.includes('${')) return undefined;
  const problem = patternProblem(slashed.source, slashed.flags);
  return problem ? { message: problem.message.replace(/^invalid regular expression (".*"…?)/s, `invalid regular expression ${value.length > 80 ? `${value.slice(0, 80)}…` : value}`), hint: `a value written /like this/ is a regular expression; ${problem.hint}` } : undefined;
}

/** An expected header written as `/regex/flags` must compile. */
export const checkHeaderPattern = checkSlashPattern;

/** A schema name is a file name inside a schemas/ folder: no `..`, no absolute path, no `\`. */
const SCHEMA_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$/;

export function checkSchemaName(name: string): Problem {
  if (SCHEMA_NAME.test(name) && !name.split('/').some((p) => p.startsWith('.'))) return undefined;
  return {
    message: `\`${name}\` is not a schema name`,
    hint: 'name a file inside a schemas/ folder, without `.json` and without `..` or a leading `/` (e.g. `customer`), or write the schema inline',
  };
}

/**
 * `auth` holding two forms at once (`{ basic: …, bearer: … }`): the schema can only say it
 * "does not match any accepted form", which hides that each key alone would. Said plainly, at
 * the second form, naming both.
 */
import type { Diagnostic } from './diagnostic.js';
import type { Path, SourceMap } from './source.js';

const FORMS = ['basic', 'bearer', 'oauth2'];

export function twoAuthForms(path: Path, data: unknown, source: SourceMap): Diagnostic | undefined {
  if (path.at(-1) !== 'auth' || data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const forms = Object.keys(data).filter((k) => FORMS.includes(k));
  if (forms.length < 2) return undefined;
  const [first, second] = forms;
  return {
    message: `\`auth\` has two forms, \`${first}\` and \`${second}\`; it takes one`,
    span: source.keyAt(path, second),
    // At the top, the other form may still serve some steps; in a step, one form is all it sends.
    hint: path.length === 1 ? `keep \`${first}\` or \`${second}\`; a step that needs the other sets its own \`auth:\`` : `keep \`${first}\` or \`${second}\``,
  };
}

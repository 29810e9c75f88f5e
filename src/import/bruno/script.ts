/**
 * Bruno scripts (`script:post-response`, `tests`) → checks and captures. Bruno's idioms are
 * Postman's under other names (`test` for `pm.test`, `bru.setVar` for `pm.environment.set`,
 * `res.getBody()` for `pm.response.json()`), so they are renamed and handed to the Postman
 * script translator (one statement walker for both). The renaming keeps every line where it
 * was, so what stays untranslated is shown in Bruno's own words, at its own line.
 */
import type { DraftStep, Kept } from '../draft.js';
import { translateTests, type ScriptNames } from '../postman-script.js';

const RENAMES: Array<[RegExp, string]> = [
  [/(?<![.\w$])test\s*\(/g, 'pm.test('],
  [/(?<![.\w$])expect\s*\(/g, 'pm.expect('],
  [/\bbru\.(setVar|setEnvVar|setGlobalEnvVar|setCollectionVar)\s*\(/g, 'pm.environment.set('],
  [/\bbru\.(getVar|getEnvVar|getGlobalEnvVar|getCollectionVar|getRequestVar|getFolderVar)\s*\(/g, 'pm.environment.get('],
  [/(?<![.\w$])res\.getStatus\(\)/g, 'pm.response.code'],
  [/(?<![.\w$])res\.status\b(?!\s*\()/g, 'pm.response.code'],
  [/(?<![.\w$])res\.getBody\(\)/g, 'pm.response.json()'],
  [/(?<![.\w$])res\.body\b/g, 'pm.response.json()'],
  [/(?<![.\w$])res\.getHeader\s*\(/g, 'pm.response.headers.get('],
];

/** Bruno's script text in Postman's names, line for line. */
export function asPostman(source: string): string {
  return RENAMES.reduce((s, [pattern, to]) => s.replace(pattern, to), source);
}

export function translateScript(source: string, firstLine: number, step: DraftStep, names: ScriptNames): Kept[] {
  const original = source.split('\n');
  const lineOf = (l: number) => firstLine + l - 1;
  const kept = translateTests(asPostman(source), lineOf, step, names);
  // Kept source back in Bruno's words: the same lines of the original script.
  return kept.map((k) => ({ ...k, source: original.slice(k.line - firstLine, k.line - firstLine + k.source.split('\n').length).join('\n') || k.source }));
}

/** Pre-request idioms with a notebook key; anything else in the script stays as a comment. */
export function preRequestInto(source: string, firstLine: number, step: DraftStep): Kept[] {
  const kept: Kept[] = [];
  source.split('\n').forEach((line, i) => {
    const text = line.trim();
    if (!text || text.startsWith('//')) return;
    const redirects = /^req\.setMaxRedirects\((\d+)\);?$/.exec(text);
    if (redirects && step.request) {
      step.request.followRedirects = Number(redirects[1]) === 0 ? false : Number(redirects[1]);
      return;
    }
    const timeout = /^req\.setTimeout\((\d+)\);?$/.exec(text);
    if (timeout && step.request) {
      step.request.timeoutMs = Number(timeout[1]);
      return;
    }
    const last = kept[kept.length - 1];
    if (last && last.line + last.source.split('\n').length === firstLine + i) last.source += `\n${line}`;
    else kept.push({ line: firstLine + i, why: 'a pre-request script runs code before the request; set what it computes as vars or inputs', source: line });
  });
  return kept;
}

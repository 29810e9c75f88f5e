/**
 * What a curl line holds that must not become a literal in the notebook: credentials (`-u`,
 * `Authorization`, API-key headers and fields, keys such as Stripe's `sk_test_…`, session
 * cookies) become secret inputs read from the environment, and `$NAME` references become inputs
 * read from the variable the shell would have read. The same value on several lines is one input.
 */
import { dict, type Dict } from '../dict.js';
import { envName, identifier, SECRET_NAME, type DraftInput } from '../draft.js';
import { ENV_REF } from './tokenize.js';

/** Values that are credentials whatever they are called. */
const SECRET_VALUE = /^(sk|rk)_(test|live)_\w+|^gh[pousr]_\w{20,}|^github_pat_\w+|^xox[abpr]-[\w-]+|^AKIA[0-9A-Z]{16}|^eyJ[\w-]+\.[\w-]+\./;

export function looksSecret(name: string, value: string): boolean {
  return SECRET_NAME.test(name) || SECRET_VALUE.test(value);
}

export class Inputs {
  readonly inputs: Dict<DraftInput> = dict();
  /** Lines for the notebook's header: which variable to set, and to what. */
  readonly notes: string[] = [];
  private readonly byValue = new Map<string, string>();
  private readonly secrets = new Set<string>();

  /** `${name}` for a secret value: an input with `env:` and `secret: true`, the value never written. */
  secret(value: string, wanted: string, what: string, env?: string): string {
    const known = this.byValue.get(value);
    if (known) return `\${${known}}`;
    if (ENV_REF.test(value)) {
      ENV_REF.lastIndex = 0;
      return this.text(value, true);
    }
    let name = identifier(wanted);
    for (let n = 2; name in this.inputs; n++) name = `${identifier(wanted)}${n}`;
    const variable = env && !Object.values(this.inputs).some((i) => i.env === env) ? env : envName(name);
    this.inputs[name] = { env: variable, secret: true };
    this.byValue.set(value, name);
    this.secrets.add(value);
    this.notes.push(`${variable}: set it to ${what} (a secret, so it is not copied here).`);
    return `\${${name}}`;
  }

  /** `$NAME` / `${NAME}` in a word → `${name}`, an input read from NAME (secret when `secret` or named so). */
  text(word: string, secret = false): string {
    return word.replace(ENV_REF, (_, env: string) => {
      const name = identifier(env.toLowerCase().replace(/_/g, ' '));
      if (!this.inputs[name]) {
        this.inputs[name] = { env, ...(secret || SECRET_NAME.test(env) ? { secret: true } : {}) };
        this.notes.push(`${env}: the command line read it from the environment; so does the notebook.`);
      } else if (secret) this.inputs[name]!.secret = true;
      return `\${${name}}`;
    });
  }

  /** `text` with every secret value seen so far replaced, for comments beside a step. */
  redact(text: string): string {
    let out = text;
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) if (s.length >= 4) out = out.split(s).join('…');
    return out;
  }
}

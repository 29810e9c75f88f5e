/**
 * Hurl's `{{name}}` variables → notebook names. A name an earlier entry captures stays a capture;
 * one `[Options] variable:` sets is a var; any other comes from outside (hurl's `--variable` or a
 * `HURL_name` environment variable) and becomes an input read from `HURL_name` — secret when
 * named like one. `{{newUuid}}` and `{{newDate}}` are functions.
 */
import { identifier, SECRET_NAME } from '../draft.js';
import { literal, type QueryContext } from './query.js';

const FUNCTIONS: Record<string, string> = { newUuid: 'uuid()', newDate: 'string(now())' };

export class HurlNames implements QueryContext {
  readonly used = new Map<string, string>();
  readonly captured = new Set<string>();
  readonly set = new Map<string, string>();
  /** Names whose capture could not be translated: a check that reads one is kept too. */
  readonly lost = new Set<string>();

  name(hurl: string): string {
    const n = identifier(hurl);
    if (!FUNCTIONS[hurl]) this.used.set(hurl, n);
    return n;
  }

  /** `{{x}}` inside request text → `${x}`. */
  text(value: string): string {
    return value.replace(/\{\{\s*([A-Za-z_][\w-]*)\s*\}\}/g, (_, name: string) => `\${${FUNCTIONS[name] ?? this.name(name)}}`);
  }

  /** A predicate's text with `{{x}}` → an expression (`"id=" + x`, or `x` alone). */
  templ = (value: string): string => {
    const parts: string[] = [];
    let last = 0;
    for (const m of value.matchAll(/\{\{\s*([A-Za-z_][\w-]*)\s*\}\}/g)) {
      if (m.index! > last) parts.push(literal(value.slice(last, m.index)));
      parts.push(FUNCTIONS[m[1]!] ?? this.name(m[1]!));
      last = m.index! + m[0].length;
    }
    if (last < value.length || parts.length === 0) parts.push(literal(value.slice(last)));
    return parts.length === 1 ? parts[0]! : parts.map((p, i) => (i === 0 && !p.startsWith('"') ? `string(${p})` : p)).join(' + ');
  };

  /** Inputs for the names set nowhere in the file. */
  inputs(): Record<string, { env: string; secret?: boolean }> {
    const out: Record<string, { env: string; secret?: boolean }> = {};
    for (const [hurl, n] of this.used) {
      if (this.captured.has(n) || this.set.has(n) || this.lost.has(n)) continue;
      out[n] = { env: `HURL_${hurl}`, ...(SECRET_NAME.test(hurl) ? { secret: true } : {}) };
    }
    return out;
  }
}

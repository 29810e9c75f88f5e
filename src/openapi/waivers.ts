/**
 * `openapi.ignore` in a notebook's long form: what the contract check leaves alone, so one
 * undocumented path (or a range of statuses nobody has described yet) does not fail a whole
 * notebook while a team adopts a contract step by step. Each entry is one of:
 *
 * - `GET /api/status` — a method and a path: the description's template (`/items/{id}`) or a
 *   path as requested, relative to the base URL or a server base path; a `{…}` in it matches
 *   one segment;
 * - `/api/status` — a path, any method;
 * - `404`, `4XX` — responses with that status (or in that range), whatever the operation.
 *
 * Anything else is a diagnostic where it is written (`ignoreProblem`).
 */
import { templatePattern } from './match.js';

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'];
const STATUS = /^[1-5](?:\d\d|XX)$/i;

/** Why an entry means nothing (undefined when it is fine). */
export function ignoreProblem(entry: string): string | undefined {
  const text = entry.trim();
  if (STATUS.test(text)) return undefined;
  const m = /^(?:(\S+)\s+)?(\S+)$/.exec(text);
  if (!m) return `\`${entry}\` is not a status, a path or \`METHOD /path\``;
  if (m[1] !== undefined && !METHODS.includes(m[1].toUpperCase())) return `\`${m[1]}\` is not an HTTP method`;
  if (!m[2]!.startsWith('/')) return /^\d/.test(m[2]!) ? `\`${m[2]}\` is not a status (100 to 599, or a range such as 4XX)` : `the path \`${m[2]}\` must start with /`;
  return undefined;
}

/** Whether an entry of `ignore` names this exchange: its method, one of the paths it is known by, or its status. */
export function waived(ignore: readonly string[] | undefined, method: string, paths: readonly string[], status: number): boolean {
  if (!ignore?.length) return false;
  return ignore.some((entry) => {
    const text = entry.trim();
    if (STATUS.test(text)) {
      const key = text.toUpperCase();
      return key.endsWith('XX') ? key[0] === String(status)[0] && String(status).length === 3 : Number(key) === status;
    }
    const m = /^(?:(\S+)\s+)?(\S+)$/.exec(text);
    if (!m) return false;
    if (m[1] !== undefined && m[1].toUpperCase() !== method) return false;
    const pattern = templatePattern(m[2]!);
    return paths.some((p) => p === m[2] || pattern.test(p));
  });
}

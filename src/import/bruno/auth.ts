/**
 * Bruno auth (`auth: basic|bearer|apikey|inherit|none` with its `auth:MODE { … }` block) → a
 * notebook auth. `inherit` is resolved by the caller (folder.bru, then collection.bru).
 */
import type { DraftStep } from '../draft.js';
import { templated, type RequestNames } from '../postman-request.js';
import { dictOf, type BruFile } from './parse.js';

export type Auth = { notebook: unknown } | { header: [string, string] } | { query: [string, string] } | { kept: string; line: number } | 'inherit';

/** The auth a file declares: its method block's `auth:` (requests) or `auth { mode }` (folders, collection). */
export function authOf(file: BruFile, mode: string | undefined, names: RequestNames, line: number): Auth | undefined {
  if (mode === undefined) return undefined;
  const t = (s: string | undefined) => templated(s ?? '', names);
  const s = dictOf(file, `auth:${mode}`);
  const v = (k: string) => s.get(k)?.value;
  switch (mode) {
    case 'inherit':
      return 'inherit';
    case 'none':
      return { notebook: 'none' };
    case 'basic':
      return { notebook: { basic: { username: t(v('username')), password: t(v('password')) } } };
    case 'bearer':
      return { notebook: { bearer: t(v('token')) } };
    case 'apikey': {
      const pair: [string, string] = [v('key') || 'X-API-Key', t(v('value'))];
      return v('placement') === 'queryparams' ? { query: pair } : { header: pair };
    }
    case 'oauth2':
      if (v('grant_type') === 'client_credentials' && v('access_token_url')) {
        const scope = v('scope');
        return { notebook: { oauth2: { tokenUrl: t(v('access_token_url')), clientId: t(v('client_id')), clientSecret: t(v('client_secret')), ...(scope ? { scopes: t(scope).split(/\s+/) } : {}) } } };
      }
  }
  return { kept: `${mode} auth is not translated; the notebook has basic, bearer, API keys and OAuth2 client credentials`, line };
}

/** Applies an auth to a step: its own `auth:`, or a header or query parameter of its request. */
export function applyAuth(auth: Auth | undefined, step: DraftStep, source: string): void {
  if (!auth || auth === 'inherit') return;
  if ('notebook' in auth) step.auth = auth.notebook;
  else if ('kept' in auth) step.kept.push({ line: auth.line, why: auth.kept, source });
  else if (step.request) {
    const [key, value] = 'header' in auth ? auth.header : auth.query;
    const where = 'header' in auth ? 'headers' : 'query';
    step.request[where] = { ...(step.request[where] as object), [key]: value };
  }
}

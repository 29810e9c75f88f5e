/**
 * `secretCookies: [session]`: the values of those cookies are secrets. Each value is added to the
 * run's redactor the moment a response sets it, before anything (a check, a capture, a report,
 * a log line) can read it, so it is redacted everywhere as a secret input is: in a capture of
 * `cookies.session` or of `headerValues('set-cookie')`, in a body that echoes it, in any encoding.
 * (The Cookie and Set-Cookie headers themselves are always masked whole.)
 */
import type { HttpResponse } from '../http/client.js';
import { shortSecretMessage, tooShortToRedact, type Redactor } from './redact.js';

export class SecretCookieError extends Error {
  readonly kind = 'secret-cookie';
}

/** Called with each response of a step; throws when a secret cookie is too short to redact. */
export function watchSecretCookies(names: readonly string[] | undefined, redactor: Redactor): ((response: HttpResponse) => void) | undefined {
  if (!names?.length) return undefined;
  const secret = new Set(names);
  return (response) => {
    for (const header of response.headerLists['set-cookie'] ?? []) {
      const pair = header.split(';', 1)[0];
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      if (!secret.has(name)) continue;
      let value = pair.slice(eq + 1).trim();
      // A quoted value ("abc"): the text inside is the secret (hiding it hides the quoted form too).
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      if (!value) continue;
      if (tooShortToRedact(value)) {
        throw new SecretCookieError(`${shortSecretMessage(`the value of secret cookie \`${name}\``, value)}; the response was not kept (its value cannot be hidden)`);
      }
      redactor.add(value);
    }
  };
}

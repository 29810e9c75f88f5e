/**
 * A command kept whole as a comment (a URL glob, no URL, an odd method) is written back from its
 * words with every credential replaced by `…`: `-u`, `Authorization`, cookies, API-key headers
 * and key-shaped values never reach the notebook, even as a comment.
 */
import { looksSecret } from './inputs.js';
import type { CurlCall, Opt } from './parse.js';

const CREDENTIAL_OPTIONS = new Set(['user', 'cookie', 'oauth2-bearer', 'pass', 'proxy-user']);

export function maskedCommand(call: CurlCall): string {
  const words = ['curl', ...call.options.map(shown), ...call.urls.map((u) => quote(maskValue(u.text)))];
  return words.join(' ');
}

function shown(o: Opt): string {
  if (o.value === undefined) return o.written;
  return `${o.written} ${quote(masked(o))}`;
}

function masked(o: Opt): string {
  const v = o.value ?? '';
  if (CREDENTIAL_OPTIONS.has(o.name)) return '…';
  if (o.name === 'proxy') return v.replace(/\/\/[^@/]*@/, '//…@');
  if (o.name === 'header') {
    const colon = v.indexOf(':');
    const name = colon > 0 ? v.slice(0, colon).trim() : '';
    if (/^(authorization|cookie|proxy-authorization)$/i.test(name) || looksSecret(name, v.slice(colon + 1).trim())) return `${name}: …`;
  }
  return maskValue(v);
}

/** Key-shaped tokens and `name=value` fields named like secrets inside any value. */
function maskValue(v: string): string {
  return v
    .replace(/\b(?:sk|rk)_(?:test|live)_\w+|\bgh[pousr]_\w{20,}|\bgithub_pat_\w+|\bxox[abpr]-[\w-]+/g, '…')
    .replace(/([?&]|^)([^=&?]+)=([^&]*)/g, (m, sep: string, name: string, value: string) => (looksSecret(name, value) ? `${sep}${name}=…` : m))
    .replace(/\/\/[^@/]*:[^@/]*@/, '//…@');
}

function quote(s: string): string {
  return /^[\w@%+=:,./…-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

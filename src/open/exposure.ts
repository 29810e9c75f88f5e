/**
 * `open --host` with an address other machines can reach (0.0.0.0, ::, a LAN address): the page
 * sends requests with the user's keys, and over plain HTTP. Say so, with the address really
 * listened on and where others can reach it, instead of printing a 127.0.0.1 URL that hides it.
 */
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

export function isLoopback(address: string): boolean {
  const a = address.toLowerCase().replace(/^::ffff:/, '');
  return a === '::1' || a === 'localhost' || (isIP(a) === 4 && a.startsWith('127.'));
}

const bracket = (a: string) => (a.includes(':') ? `[${a}]` : a);

/** The warning to print for the address listened on, or undefined for a loopback address. */
export function exposureWarning(address: string, port: number): string | undefined {
  if (isLoopback(address)) return undefined;
  const wildcard = address === '0.0.0.0' || address === '::';
  const reachable = wildcard
    ? Object.values(networkInterfaces())
        .flat()
        .filter((i) => i && !i.internal && (address === '::' || i.family === 'IPv4'))
        .map((i) => `http://${bracket(i!.address.split('%')[0])}:${port}/`)
    : [`http://${bracket(address)}:${port}/`];
  const where = wildcard ? `every network interface of this machine${reachable.length ? ` (${reachable.join(', ')})` : ''}` : `an address other machines can reach`;
  return (
    `warning: the page is served on ${bracket(address)}:${port}, ${where}, not only on this machine. ` +
    'Whoever can reach it and has the URL (its token) can run this notebook with your keys and secrets, and plain HTTP carries the token and every response unencrypted. ' +
    'Unless you mean it, leave --host out (127.0.0.1) and reach the page through an SSH tunnel (ssh -L).'
  );
}

/**
 * Which Host headers the mock answers. A web page the user visits can point a name it controls
 * at 127.0.0.1 (DNS rebinding) and then read and write the mock's data with the browser's
 * same-origin rights; such a request still says the page's own name in `Host`. So only names
 * that are this mock are answered: the address it listens on, `localhost` (and 127.0.0.1,
 * [::1]), the name given to `--host`, and, when it listens on every interface (0.0.0.0, ::),
 * each interface's address and the machine's hostname. Everything else gets 421 Misdirected
 * Request (RFC 9110 §15.5.20: this server does not answer for that authority), with Stripe's
 * error shape so an SDK shows the message.
 */
import type { IncomingMessage } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import { StripeError } from './errors.js';

const WILDCARD = new Set(['0.0.0.0', '::', '']);

/** Lower case, without a trailing dot (`localhost.` is the same name) or IPv6 brackets. */
function normalName(name: string): string {
  let n = name.trim().toLowerCase();
  if (n.endsWith('.')) n = n.slice(0, -1);
  if (n.startsWith('[') && n.endsWith(']')) n = n.slice(1, -1);
  return n.split('%')[0];
}

/** The names (without port) a mock listening on `host` answers to. */
export function hostNames(host: string, extra: string[] = []): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '::1', normalName(host), ...extra.map(normalName)]);
  if (WILDCARD.has(host)) {
    names.add(normalName(hostname()));
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.add(normalName(a.address));
  }
  names.delete('');
  return names;
}

/** Splits `name:port`, `[v6]:port`, `name`; undefined when it is not a host at all. */
function splitHost(value: string): { name: string; port?: number } | undefined {
  const m = /^(\[[0-9a-f:.%a-z]+\]|[^:[\]\s]+)(?::(\d{1,5}))?$/i.exec(value.trim());
  if (!m) return undefined;
  return { name: normalName(m[1]), port: m[2] === undefined ? undefined : Number(m[2]) };
}

/**
 * The refusal for a request whose Host is not this mock (undefined: it may go on). The port is
 * not compared: a rebinding page can only send its own name, while a proxy or a port mapping
 * (`docker run -p 8080:12111`, then `localhost:8080`) passes on our name with another port.
 */
export function hostRefusal(req: IncomingMessage, names: ReadonlySet<string>, port: number): StripeError | undefined {
  const given = req.headers.host;
  const parsed = given === undefined ? undefined : splitHost(given);
  if (parsed && names.has(parsed.name)) return undefined;
  const shown = given === undefined ? 'no Host header' : `Host ${JSON.stringify(given.slice(0, 200))}`;
  return new StripeError(
    421,
    'invalid_request_error',
    `This mock does not answer for ${shown}: it answers only for localhost, 127.0.0.1, [::1] and the address it listens on (port ${port} here), so that a web page cannot reach it through a name of its own (DNS rebinding). To use another name, start the mock with --host NAME.`,
  );
}

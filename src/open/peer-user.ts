/**
 * Which local user is at the other end of a TCP connection to us (Linux: /proc/net/tcp and
 * tcp6 list every socket of this network namespace with its owner's uid). Used for the trade of
 * the browser's one-time code: its URL passed through the opener's command line, which other
 * local users can read in `ps` and race the browser to the code with. A code traded from a
 * socket owned by another user is refused, so that race cannot be won by another user.
 * undefined: not known (not Linux, a peer on another machine, /proc not readable).
 */
import { readFileSync } from 'node:fs';
import { isIPv4, isIPv6, type Socket } from 'node:net';
import { endianness } from 'node:os';

export function peerUid(socket: Socket): number | undefined {
  if (process.platform !== 'linux') return undefined;
  const peer = canonical(socket.remoteAddress);
  const self = canonical(socket.localAddress);
  if (!peer || !self || !socket.remotePort || !socket.localPort) return undefined;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'latin1');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 8) continue;
      // The peer's own socket: its local end is the peer, its remote end is us.
      const local = fromProc(f[1]);
      const remote = fromProc(f[2]);
      if (local && remote && local.port === socket.remotePort && remote.port === socket.localPort && local.address === peer && remote.address === self) {
        const uid = Number(f[7]);
        return Number.isInteger(uid) ? uid : undefined;
      }
    }
  }
  return undefined;
}

/** An address as 32 hex digits (IPv4 as IPv4-mapped IPv6), or undefined. */
function canonical(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const plain = address.split('%')[0];
  if (isIPv4(plain)) return `00000000000000000000ffff${v4hex(plain)}`;
  if (!isIPv6(plain)) return undefined;
  let text = plain;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const h = v4hex(v4[1]);
    text = `${text.slice(0, -v4[1].length)}${h.slice(0, 4)}:${h.slice(4)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((g) => g.padStart(4, '0')).join('').toLowerCase();
}

function v4hex(address: string): string {
  return address.split('.').map((n) => Number(n).toString(16).padStart(2, '0')).join('');
}

/** `0100007F:9C41` (or 32 hex digits for tcp6), in the kernel's byte order per 32-bit word. */
function fromProc(field: string): { address: string; port: number } | undefined {
  const [hex, port] = field.split(':');
  if (!hex || !port || (hex.length !== 8 && hex.length !== 32)) return undefined;
  const words = hex.match(/.{8}/g)!.map((w) => (endianness() === 'LE' ? w.match(/../g)!.reverse().join('') : w).toLowerCase());
  const address = words.length === 1 ? `00000000000000000000ffff${words[0]}` : words.join('');
  return { address, port: parseInt(port, 16) };
}

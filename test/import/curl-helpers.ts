/**
 * For the curl round-trip tests: a server that records what it is sent, and the real curl run on a
 * fixture's command lines (through bash, so bash's quoting is the reference for ours).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FIXTURES } from './helpers.js';

const exec = promisify(execFile);

export interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answers every request 200 with `{"ok":true}` and keeps what it got. */
export async function recorder(): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise((done) => server.close(() => done())) };
}

/** The fixture's commands, each as its own text (blank lines part them; `#` lines are notes). */
export function commandsOf(fixture: string): string[] {
  const text = readFileSync(join(FIXTURES, 'curl', fixture), 'utf8');
  return text
    .split(/\n\s*\n/)
    .map((block) => block.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n').trim())
    .filter((block) => block.startsWith('curl'));
}

/** Runs one command line with the real curl (through bash), its origin replaced by `base`; gives the status. */
export async function runCurl(command: string, origin: string, base: string): Promise<number> {
  // The request's own URL only: a Referer or Origin header keeps the origin it names.
  const line = command.replace(new RegExp(`(?<!: )${origin.replace(/[.]/g, '\\.')}`, 'g'), base);
  const { stdout } = await exec('bash', ['-c', `${line} -s -o /dev/null -w '%{http_code}'`], { timeout: 20_000 });
  return Number(stdout);
}

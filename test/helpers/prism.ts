/**
 * Prism (@stoplight/prism-cli), the usual mock of an OpenAPI description, serving one at the root
 * of 127.0.0.1 on a port the system picks: a server nobody here wrote, answering with the
 * description's examples. It needs no network. `close()` ends the process and waits for it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './cli.js';

export interface Prism {
  url: string;
  close(): Promise<void>;
}

const BIN = join(ROOT, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');

export function startPrism(description: string, timeoutMs = 30_000): Promise<Prism> {
  const child = spawn(process.execPath, [BIN, 'mock', '--host', '127.0.0.1', '--port', '0', description], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      void close();
      reject(new Error(`Prism did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Prism is listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, close });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited (${code}) before listening:\n${out}`));
    });
  });
}

/**
 * Uploads are streamed: the bin sending a 100 MB file (multipart, and as the raw body) keeps its
 * peak resident memory well under 100 MB, about what it uses to send a tiny file. The server on
 * 127.0.0.1 parses the multipart body with busboy and hashes what arrived, which must be the file.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import busboy from 'busboy';
import { BIN, readJson, tempDir } from './helpers/cli.js';

const MB = 1024 * 1024;

let server: Server;
let url: string;

before(async () => {
  server = createServer((req, res) => {
    const reply = (body: object) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/raw') {
      const hash = createHash('sha256');
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        hash.update(c);
      });
      req.on('end', () => reply({ size, sha256: hash.digest('hex') }));
      return;
    }
    const bb = busboy({ headers: req.headers });
    const files: Array<{ size: number; sha256: string }> = [];
    bb.on('file', (_name, stream) => {
      const hash = createHash('sha256');
      let size = 0;
      stream.on('data', (c: Buffer) => {
        size += c.length;
        hash.update(c);
      });
      stream.on('end', () => files.push({ size, sha256: hash.digest('hex') }));
    });
    bb.on('close', () => reply({ files }));
    req.pipe(bb);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => {
  server.closeAllConnections();
  server.close(() => r());
}));

/** A file of `size` bytes of a repeating pattern, written in pieces; returns its SHA-256. */
function bigFile(path: string, size: number): string {
  const piece = Buffer.alloc(MB);
  for (let i = 0; i < piece.length; i++) piece[i] = (i * 31) & 0xff;
  const hash = createHash('sha256');
  const fd = openSync(path, 'w');
  for (let left = size; left > 0; left -= piece.length) {
    const part = left >= piece.length ? piece : piece.subarray(0, left);
    writeSync(fd, part);
    hash.update(part);
  }
  closeSync(fd);
  return hash.digest('hex');
}

/** Runs the real bin and reads its peak resident memory (from inside, at exit). */
function runMeasured(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string; maxRssMiB: number }> {
  const hook = `data:text/javascript,process.on('exit',()=>process.stderr.write('MAX_RSS_KIB='+process.resourceUsage().maxRSS+'\\n'))`;
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', hook, BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => done({ code, stdout, stderr, maxRssMiB: Number(/MAX_RSS_KIB=(\d+)/.exec(stderr)?.[1] ?? NaN) / 1024 }));
  });
}

const NOTEBOOK = (file: string, digest: string, size: number) => `title: Big upload
steps:
  - name: Multipart
    request: { method: POST, path: /multipart, multipart: { note: hello, file: { file: ${file} } } }
    assert:
      - body.files[0].size == ${size}
      - body.files[0].sha256 == "${digest}"
  - name: Raw
    request: { method: PUT, path: /raw, body: { file: ${file} } }
    expect: { body: { size: ${size}, sha256: "${digest}" } }
`;

describe('uploads are streamed', () => {
  it('a 100 MB file, multipart and raw, arrives whole while the peak memory of the bin grows by less than 20 MiB over a tiny upload', { timeout: 120_000 }, async (t) => {
    const dir = tempDir('upload-');
    // 100 MB is not left behind in the temp folder.
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, '.git'));
    const size = 100 * MB;
    const digest = bigFile(join(dir, 'big.bin'), size);
    writeFileSync(join(dir, 'small.bin'), 'tiny');
    writeFileSync(join(dir, 'big.yaml'), NOTEBOOK('big.bin', digest, size));
    writeFileSync(join(dir, 'small.yaml'), NOTEBOOK('small.bin', createHash('sha256').update('tiny').digest('hex'), 4));

    const measure = async () => {
      const small = await runMeasured(['run', 'small.yaml', '--base-url', url, '--out', join(dir, 'out-small')], dir);
      assert.equal(small.code, 0, small.stdout + small.stderr);
      const big = await runMeasured(['run', 'big.yaml', '--base-url', url, '--out', join(dir, 'out-big')], dir);
      assert.equal(big.code, 0, big.stdout + big.stderr);
      return { small, big };
    };
    let { small, big } = await measure();
    // On CI's loaded 2-core machine a GC that comes late has added ~20 MiB of stream buffers to one
    // run; a pair over the limit is measured once more and the closer pair kept. A file held in
    // memory is 100 MiB over in every run, and still fails.
    if (big.maxRssMiB - small.maxRssMiB >= 20) {
      const again = await measure();
      if (again.big.maxRssMiB - again.small.maxRssMiB < big.maxRssMiB - small.maxRssMiB) ({ small, big } = again);
    }
    const report = readJson(join(dir, 'out-big', 'report.json'));
    assert.equal(report.notebooks[0].steps[0].request.multipart[1].size, size);
    if (process.env.SHOW_RSS) console.log(`peak RSS: tiny upload ${Math.round(small.maxRssMiB)} MiB, 100 MB upload ${Math.round(big.maxRssMiB)} MiB`);
    // Held in memory even once, the file alone would take 100 MiB more than the tiny upload. (Measured
    // against the tiny upload, not against a fixed figure: node's own baseline differs by version,
    // 73 MiB on Node 20, 95 MiB on Node 24.)
    assert.ok(big.maxRssMiB - small.maxRssMiB < 20, `peak RSS ${Math.round(big.maxRssMiB)} MiB against ${Math.round(small.maxRssMiB)} MiB for a tiny upload`);
  });
});

/**
 * Reports survive big and odd responses: a body past --max-body (default 10 MiB) stops being
 * read and fails its step with a clear error; reports keep bodies cut short with their real size;
 * peak memory stays bounded; gzip, br and deflate are decoded, with the cap on decoded bytes, so
 * a gzip bomb is refused. The real bin, a local server streaming 100 MB responses.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { brotliCompressSync, createGzip, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { parseCommandLine, type RunArgs } from '../src/cli/args.js';
import { BIN, readJson, ROOT, runCli, tempDir } from './helpers/cli.js';
import { json, startTestServer, type TestServer } from './helpers/server.js';

const FIX = join('test', 'fixtures', 'runtime');
const MB = 1024 * 1024;

/** Streams `total` bytes (content-length given, or chunked when `declare` is false) of `chunk` repeated (with an optional head and tail), minding backpressure. */
function stream(res: ServerResponse, contentType: string, total: number, chunk: Buffer, head = '', tail = '', declare = true): void {
  res.writeHead(200, { 'content-type': contentType, ...(declare ? { 'content-length': String(total + head.length + tail.length) } : {}) });
  res.write(head);
  let sent = 0;
  let closed = false;
  res.on('close', () => (closed = true));
  const pump = () => {
    while (!closed && sent < total) {
      const piece = total - sent >= chunk.length ? chunk : chunk.subarray(0, total - sent);
      sent += piece.length;
      if (!res.write(piece)) return void res.once('drain', pump);
    }
    if (!closed) res.end(tail);
  };
  pump();
}

/** 50 MiB of zeros, gzipped to about 50 KiB. */
async function gzipBomb(): Promise<Buffer> {
  const gz = createGzip();
  const parts: Buffer[] = [];
  gz.on('data', (c: Buffer) => parts.push(c));
  const zeros = Buffer.alloc(MB);
  for (let i = 0; i < 50; i++) if (!gz.write(zeros)) await new Promise((r) => gz.once('drain', r));
  await new Promise((r) => gz.end(r));
  return Buffer.concat(parts);
}

let server: TestServer;
before(async () => {
  server = await startTestServer();
  const bomb = await gzipBomb();
  const item = Buffer.from('{"id":"item_0123456789","n":12345},'.repeat(1000));
  server.route('GET', '/thing', (_req, res) => json(res, 200, { ok: true }));
  server.route('GET', '/huge-json', (_req, res) => stream(res, 'application/json', 100 * MB, item, '[', '{}]'));
  server.route('GET', '/huge-lt', (_req, res) => stream(res, 'text/html', 100 * MB, Buffer.alloc(64 * 1024, '<')));
  // Chunked, no content-length: the read must stop on the bytes as they arrive.
  server.route('GET', '/huge-text', (_req, res) => stream(res, 'text/plain', 100 * MB, Buffer.alloc(64 * 1024, 'lorem ipsum '), '', '', false));
  server.route('GET', '/chunked-text', (_req, res) => {
    // No content-length: the cap must hold on the bytes as they arrive.
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(Buffer.alloc(3000, 'y'));
  });
  server.route('GET', '/gzip-bomb', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
    res.end(bomb);
  });
  server.route('GET', '/gzip-empty', (_req, res) => {
    res.writeHead(204, { 'content-encoding': 'gzip' });
    res.end();
  });
  const encoded = (name: string, data: Buffer) => server.route('GET', `/${name}-json`, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': name });
    res.end(data);
  });
  encoded('gzip', gzipSync(JSON.stringify({ encoded: 'gzip' })));
  encoded('br', brotliCompressSync(JSON.stringify({ encoded: 'br' })));
  encoded('deflate', deflateSync(JSON.stringify({ encoded: 'deflate' })));
  // Raw deflate (no zlib header), as some servers send it under `deflate`.
  server.route('GET', '/raw-deflate-json', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'deflate' });
    res.end(deflateRawSync(JSON.stringify({ encoded: 'raw deflate' })));
  });
});
after(() => server.close());

/** Runs the real bin and reports its peak resident memory (from inside, at exit). */
function runMeasured(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; maxRssMiB: number }> {
  const hook = `data:text/javascript,process.on('exit',()=>process.stderr.write('MAX_RSS_KIB='+process.resourceUsage().maxRSS+'\\n'))`;
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', hook, BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => {
      const kib = Number(/MAX_RSS_KIB=(\d+)/.exec(stderr)?.[1] ?? NaN);
      done({ code, stdout, stderr, maxRssMiB: kib / 1024 });
    });
  });
}

describe('big and odd bodies', () => {
  it('100 MB responses stop at the cap, every report is written whole, memory stays bounded, encodings are decoded, a bomb is refused', { timeout: 60_000 }, async () => {
    const out = tempDir();
    const result = await runMeasured(['run', join(FIX, 'bodies.yaml'), '--base-url', server.url, '--out', out]);
    assert.equal(result.code, 1, result.stderr);
    assert.doesNotMatch(result.stderr, /internal error|RangeError/);
    // Before: 1.5 GB for 100 MB of text, and no reports at all for the JSON array.
    assert.ok(result.maxRssMiB < 300, `peak RSS ${Math.round(result.maxRssMiB)} MiB`);
    if (process.env.SHOW_RSS) console.log(`peak RSS ${Math.round(result.maxRssMiB)} MiB`);

    const report = readJson(join(out, 'report.json'));
    const byName = Object.fromEntries(report.notebooks[0].steps.map((s: any) => [s.name, s]));
    for (const name of ['gzip JSON', 'br JSON', 'deflate JSON', 'raw deflate JSON', 'Empty body that says gzip']) assert.equal(byName[name].status, 'passed', JSON.stringify(byName[name].error ?? byName[name].checks));
    for (const name of ['100 MB JSON array', '100 MB of <']) {
      const step = byName[name];
      assert.equal(step.status, 'error');
      assert.equal(step.error.kind, 'body-too-large');
      assert.match(step.error.message, /--max-body limit of 10 MiB \(10485760 bytes\): content-length says 10485\d{4} bytes/);
    }
    const text = byName['100 MB of text'];
    assert.equal(text.error.kind, 'body-too-large');
    assert.match(text.error.message, /--max-body limit of 10 MiB \(10485760 bytes\): 10\d{6} bytes had arrived when the read was stopped/);
    assert.equal(text.response.bodyTruncated, true);
    assert.ok(text.response.body.startsWith('lorem ipsum lorem'));
    const bomb = byName['gzip bomb'];
    assert.equal(bomb.error.kind, 'body-too-large');
    assert.match(bomb.error.message, /10 MiB \(10485760 bytes\): \d+ bytes \(decoded\) had arrived when the read was stopped/);
    assert.ok(bomb.response.bodyTruncated, 'the report keeps the start of the body');
    assert.ok(bomb.response.bodyBytes > 1024 * 1024 && bomb.response.bodyBytes <= 10485760, `bodyBytes ${bomb.response.bodyBytes}`);
    assert.ok(bomb.response.body.length <= 1024 * 1024);
    assert.equal(byName['After them all'].status, 'passed');

    assert.match(readFileSync(join(out, 'junit.xml'), 'utf8'), /<\/testsuites>\s*$/);
    execFileSync('xmllint', ['--noout', join(out, 'junit.xml')]);
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /<\/html>\s*$/);
    assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /body-too-large/);
  });

  it('--max-body: a body past it fails the step naming the limit and the size seen; the report notes the real size', async () => {
    const out = tempDir();
    const nb = join(out, 'nb.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(nb, 'title: Cap\nsteps:\n  - name: Chunked\n    request: GET /chunked-text\n');
    const result = await runCli(['run', nb, '--base-url', server.url, '--out', out, '--max-body', '1kb']);
    assert.equal(result.code, 1);
    const step = readJson(join(out, 'report.json')).notebooks[0].steps[0];
    assert.equal(step.error.kind, 'body-too-large');
    assert.match(step.error.message, /--max-body limit of 1 KiB \(1024 bytes\): 3000 bytes had arrived when the read was stopped/);
    assert.equal(step.response.bodyTruncated, true);
    assert.equal(step.response.bodyBytes, 0, 'nothing past the cap is kept');
    assert.match(result.stdout, /body-too-large/);
    // The same body fits when the cap allows it.
    const fits = await runCli(['run', nb, '--base-url', server.url, '--out', out, '--max-body', '3000']);
    assert.equal(fits.code, 0, fits.stdout);
  });

  it('--max-body takes bytes or a unit; anything else is exit 2', async () => {
    const size = (text: string) => (parseCommandLine(['run', 'x.yaml', '--max-body', text]) as RunArgs).maxBodyBytes;
    assert.equal(size('10mb'), 10 * MB);
    assert.equal(size('512KB'), 512 * 1024);
    assert.equal(size('1.5mib'), 1.5 * MB);
    assert.equal(size('4096'), 4096);
    assert.equal((parseCommandLine(['run', 'x.yaml']) as RunArgs).maxBodyBytes, 10 * MB);
    const bad = await runCli(['run', join(FIX, 'bodies.yaml'), '--max-body', 'lots']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--max-body takes a size in bytes, or with a unit/);
    const badTeardown = await runCli(['run', join(FIX, 'bodies.yaml'), '--teardown-timeout', 'soon']);
    assert.equal(badTeardown.code, 2);
    assert.match(badTeardown.stderr, /--teardown-timeout takes milliseconds/);
  });
});

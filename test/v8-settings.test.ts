/**
 * The CLI keeps undici's HTTP parser (WebAssembly) on V8's baseline compiler (src/cli/v8-settings.ts):
 * with node's defaults V8 recompiles it with TurboFan after a few responses, ~0.15 s of CPU that a
 * short run must wait for before it can exit. V8's own trace says which compiler built each function.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { liftoffOnlyAtRunTime } from '../src/cli/v8-settings.js';
import { BIN, tempDir } from './helpers/cli.js';
import { json, startTestServer, type TestServer } from './helpers/server.js';

function runTraced(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((done) => {
    // V8 prints its compilation trace on stdout, beside the CLI's own output.
    const child = spawn(process.execPath, ['--trace-wasm-compilation-times', BIN, ...args], { env: { ...process.env, NO_COLOR: '1', CI: 'true' }, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.on('close', (code) => done({ code, stdout }));
  });
}

describe('V8 settings of the CLI', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    server.route('GET', '/ping', (_req, res) => json(res, 200, { ok: true }));
  });
  after(() => server.close());

  it('sets the flag for the V8 of Node 20 and 22, where it works at run time, and not from V8 13 (Node 24)', () => {
    assert.equal(liftoffOnlyAtRunTime('11.3.244.8-node.30'), true);
    assert.equal(liftoffOnlyAtRunTime('12.4.254.21-node.57'), true);
    assert.equal(liftoffOnlyAtRunTime('13.6.233.17-node.63'), false);
    assert.equal(liftoffOnlyAtRunTime('14.0.1'), false);
  });

  const applies = liftoffOnlyAtRunTime(process.versions.v8);
  it('compiles the HTTP parser with Liftoff only, never with TurboFan', { skip: !applies && `V8 ${process.versions.v8} ignores the flag set at run time` }, async () => {
    const dir = tempDir();
    const steps = Array.from({ length: 30 }, (_, i) => `  - name: Ping ${i}\n    request: GET /ping\n    expect: { status: 200 }\n`).join('');
    writeFileSync(join(dir, 'ping.yaml'), `title: Ping\nsteps:\n${steps}`);
    const { code, stdout } = await runTraced(['run', join(dir, 'ping.yaml'), '--base-url', server.url, '--out', join(dir, 'out'), '--quiet']);
    assert.equal(code, 0);
    // The trace works (the parser was compiled and traced), and no function went to TurboFan.
    assert.match(stdout, /using Liftoff/);
    assert.doesNotMatch(stdout, /using TurboFan/);
  });
});

/**
 * Interrupts end, and end cleanly: after the first SIGINT/SIGTERM teardown gets --teardown-timeout
 * in all, whatever the run was doing when the signal landed; a second signal stops teardown at
 * once; a signal at any moment (start-up, steps, teardown) gives exit 130, never a death by
 * signal, and every report file whole. Ctrl-C typed at a prompt ends the run with 130 and one line.
 * The real bin runs as a child process against a local server.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BIN, readJson, ROOT, runCli, tempDir, type CliResult } from './helpers/cli.js';
import { json, startTestServer, type TestServer } from './helpers/server.js';
import { hasPythonPty, ptyDriver } from './helpers/pty.js';

const FIX = join('test', 'fixtures', 'runtime');

let server: TestServer;
/** Called when the server receives the hanging teardown request. */
let onTeardownHang: (() => void) | undefined;
before(async () => {
  server = await startTestServer();
  server.route('GET', '/thing', (_req, res) => json(res, 200, { ok: true }));
  server.route('GET', '/teardown-hang', () => onTeardownHang?.());
});
after(() => server.close());

/** Runs the bin; `signals(child)` sends the signals. Resolves with the result and when it ended. */
function runWithSignals(args: string[], signals: (child: ReturnType<typeof spawn>) => void): Promise<CliResult & { endedAt: number }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    signals(child);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr, endedAt: performance.now() }));
  });
}

function assertReportsWhole(out: string): void {
  const report = readJson(join(out, 'report.json'));
  assert.equal(report.interrupted, true);
  assert.match(readFileSync(join(out, 'junit.xml'), 'utf8'), /<\/testsuites>\s*$/);
  assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /<\/html>\s*$/);
  assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /Interrupted/);
}

describe('interrupts', () => {
  it('a signal during steps starts the teardown deadline: a hanging teardown ends at --teardown-timeout', { timeout: 20_000 }, async () => {
    const out = tempDir();
    let signalledAt = 0;
    const result = await runWithSignals(['run', join(FIX, 'teardown-hang.yaml'), '--base-url', server.url, '--out', out, '--teardown-timeout', '1000'], (child) => {
      child.stdout!.on('data', (c: Buffer) => {
        if (!signalledAt && c.toString().includes('Quick')) {
          signalledAt = performance.now();
          child.kill('SIGINT');
        }
      });
    });
    assert.equal(result.code, 130, result.stderr);
    assert.equal(result.signal, null);
    const took = result.endedAt - signalledAt;
    // Before the fix the deadline's AbortSignal.timeout was garbage-collected: 60 s. The upper
    // margin is for a starved CPU (start-up and writing reports happen after the signal too).
    assert.ok(took >= 1000 && took < 6000, `ended ${Math.round(took)} ms after the signal`);
    assertReportsWhole(out);
    const steps = readJson(join(out, 'report.json')).notebooks[0].steps;
    assert.deepEqual(steps.map((s: any) => [s.name, s.status]), [['Quick', 'passed'], ['Slow', 'error'], ['Hanging clean-up', 'error'], ['After it', 'skipped']]);
    assert.equal(steps[2].error.kind, 'interrupted');
    assert.match(result.stderr, /teardown deadline \(1000 ms\) reached/);
  });

  it('a signal while teardown is already running starts the deadline too', { timeout: 20_000 }, async () => {
    const out = tempDir();
    let signalledAt = 0;
    const result = await runWithSignals(['run', join(FIX, 'teardown-only-hang.yaml'), '--base-url', server.url, '--out', out, '--teardown-timeout', '800'], (child) => {
      onTeardownHang = () => {
        signalledAt = performance.now();
        child.kill('SIGTERM');
      };
    });
    onTeardownHang = undefined;
    assert.equal(result.code, 130, result.stderr);
    assert.equal(result.signal, null);
    const took = result.endedAt - signalledAt;
    // Before the fix a signal during teardown never started a deadline: the step's own 60 s.
    assert.ok(took >= 800 && took < 5800, `ended ${Math.round(took)} ms after the signal`);
    assertReportsWhole(out);
  });

  it('a second signal stops teardown at once', { timeout: 20_000 }, async () => {
    const out = tempDir();
    let secondAt = 0;
    const result = await runWithSignals(['run', join(FIX, 'teardown-only-hang.yaml'), '--base-url', server.url, '--out', out], (child) => {
      onTeardownHang = () => {
        child.kill('SIGINT');
        setTimeout(() => {
          secondAt = performance.now();
          child.kill('SIGINT');
        }, 200);
      };
    });
    onTeardownHang = undefined;
    assert.equal(result.code, 130, result.stderr);
    const took = result.endedAt - secondAt;
    assert.ok(took < 5000, `ended ${Math.round(took)} ms after the second signal (the deadline is 10 s)`);
    assert.match(result.stderr, /SIGINT again: teardown stops now/);
    assertReportsWhole(out);
  });

  it('a signal while notebooks are loading: exit 130, never killed by it, nothing sent', { timeout: 20_000 }, async () => {
    // The notebook is a named pipe: the child opening it proves it is loading, and it stays
    // loading until we write, so the signal lands there on any machine, however busy.
    const dir = tempDir();
    const fifo = join(dir, 'notebook.yaml');
    execFileSync('mkfifo', [fifo]);
    const before = server.requests.length;
    let pipe: FileHandle | undefined;
    const result = await runWithSignals(['run', fifo, '--base-url', server.url, '--out', join(dir, 'out')], (child) => {
      void open(fifo, 'w').then(async (handle) => {
        pipe = handle;
        child.kill('SIGINT');
        await new Promise((r) => setTimeout(r, 150));
        await handle.writeFile(readFileSync(join(FIX, 'teardown-hang.yaml')));
        await handle.close();
      });
    });
    assert.equal(result.signal, null, 'killed by the signal');
    assert.equal(result.code, 130, result.stderr);
    assert.match(result.stderr, /SIGINT: stopping before any request was sent/);
    assert.equal(server.requests.length, before, 'nothing was sent');
    assert.ok(pipe, 'the child opened the notebook');
  });

  it('exit 130 with every report whole on SIGTERM mid-run (runCli, as users see it)', async () => {
    const out = tempDir();
    const result = await runCli(['run', join(FIX, 'teardown-hang.yaml'), '--base-url', server.url, '--out', out, '--teardown-timeout', '300'], {
      onSpawn: (child) => child.stdout?.once('data', () => setTimeout(() => child.kill('SIGTERM'), 100)),
    });
    assert.equal(result.code, 130, result.stderr);
    assertReportsWhole(out);
  });
});

const CTRL_C_AT_PROMPT = ptyDriver(`
read_until(b'Secret key: ')
os.write(fd, b'sk_te\\x03')
`);

describe('Ctrl-C at an input prompt', { skip: !hasPythonPty() && 'python3 with pty is not installed' }, () => {
  it('exits 130 with a one-line message and sends nothing', async () => {
    const before = server.requests.length;
    const env: Record<string, string> = { ...(process.env as Record<string, string>), NO_COLOR: '1', CI: '' };
    delete env.PROMPT_TEST_KEY;
    delete env.PROMPT_TEST_REGION;
    const child = spawn('python3', ['-c', CTRL_C_AT_PROMPT, process.execPath, BIN, 'run', join('test', 'fixtures', 'runner', 'prompt.yaml'), '--base-url', server.url, '--out', tempDir()], { cwd: ROOT, env });
    let text = '';
    child.stdout.on('data', (c) => (text += c));
    await new Promise((r) => child.on('close', r));
    text = text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
    assert.match(text, /EXIT=130/, text);
    const after = text.slice(text.indexOf('Secret key: ') + 'Secret key: '.length, text.indexOf('EXIT=')).trim();
    assert.equal(after.split(/\r?\n/).filter((l) => l.trim()).length, 1, `one line after the prompt: ${JSON.stringify(after)}`);
    assert.match(after, /Ctrl-C at the prompt .*nothing was sent/);
    assert.doesNotMatch(text, /sk_te/, 'the typed part of the secret is not echoed');
    assert.equal(server.requests.length, before);
  });
});

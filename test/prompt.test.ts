/**
 * Inputs asked on a terminal: the CLI runs under a real pseudo-terminal (Python's pty module,
 * a program we do not own, driving ours), answers arrive at the prompts, and the secret's
 * typed characters are not echoed.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BIN, ROOT, tempDir } from './helpers/cli.js';
import { json, startTestServer, type TestServer } from './helpers/server.js';

const PTY_DRIVER = `
import os, pty, sys, time, select
args = sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(args[0], args)
out = b''
def read_until(marker, timeout=10):
    global out
    end = time.time() + timeout
    while marker not in out and time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                out += os.read(fd, 4096)
            except OSError:
                return
read_until(b'Secret key: ')
os.write(fd, b'sk_test_typed_secret_42\\r')
read_until(b'Region: ')
os.write(fd, b'eu-west\\r')
while True:
    r, _, _ = select.select([fd], [], [], 10)
    if not r:
        break
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode('utf-8', 'replace'))
sys.stdout.write('\\nEXIT=%d\\n' % os.waitstatus_to_exitcode(status))
`;

function hasPython(): boolean {
  try {
    execFileSync('python3', ['-c', 'import pty'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

let server: TestServer;
before(async () => {
  server = await startTestServer();
  server.route('POST', '/echo', (req, res) => json(res, 200, JSON.parse(req.body)));
});
after(() => server.close());

describe('inputs on a terminal', { skip: !hasPython() && 'python3 with pty is not installed' }, () => {
  it('asks for each missing input, hides the secret as it is typed, and uses the answers', async () => {
    const out = tempDir();
    const env: Record<string, string> = { ...process.env as Record<string, string>, NO_COLOR: '1', CI: '' };
    delete env.PROMPT_TEST_KEY;
    delete env.PROMPT_TEST_REGION;
    const child = spawn('python3', ['-c', PTY_DRIVER, process.execPath, BIN, 'run', join('test', 'fixtures', 'runner', 'prompt.yaml'), '--base-url', server.url, '--out', out], { cwd: ROOT, env });
    let text = '';
    child.stdout.on('data', (c) => (text += c));
    await new Promise((r) => child.on('close', r));
    // readline moves the cursor with escape codes; what matters is the text.
    text = text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
    assert.match(text, /EXIT=0/, text);
    assert.match(text, /Secret key: /);
    assert.match(text, /Region: eu-west/, 'an ordinary answer is echoed');
    assert.ok(!text.includes('sk_test_typed_secret_42'), 'the secret is not echoed');
    const sent = JSON.parse(server.requests.at(-1)!.body);
    assert.deepEqual(sent, { key: 'sk_test_typed_secret_42', region: 'eu-west' });
  });
});

/**
 * Inputs asked on a terminal: the CLI runs under a real pseudo-terminal (Python's pty module,
 * a program we do not own, driving ours), answers arrive at the prompts, and the secret's
 * typed characters are not echoed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BIN, ROOT, tempDir } from './helpers/cli.js';
import { hasPythonPty, ptyDriver } from './helpers/pty.js';
import { json, startTestServer, type TestServer } from './helpers/server.js';

const PTY_DRIVER = ptyDriver(`
read_until(b'Secret key: ')
os.write(fd, b'sk_test_typed_secret_42\\r')
read_until(b'Region: ')
os.write(fd, b'eu-west\\r')
`);


let server: TestServer;
before(async () => {
  server = await startTestServer();
  server.route('POST', '/echo', (req, res) => json(res, 200, JSON.parse(req.body)));
});
after(() => server.close());

describe('inputs on a terminal', { skip: !hasPythonPty() && 'python3 with pty is not installed' }, () => {
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

/**
 * `import --from curl`: the tokenizer against bash itself, the option mapping, secrets, warnings,
 * stdin, and bad input, through the real bin where a user would see it.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { ENV_REF, splitCommands } from '../../src/import/curl/tokenize.js';
import { BIN, runCli, tempDir } from '../helpers/cli.js';
import { commandsOf, recorder } from './curl-helpers.js';
import { warningCount } from './helpers.js';

const exec = promisify(execFile);

/** The words bash hands to curl for `command`, read by a `curl` shell function that prints them. */
async function bashWords(command: string, env: Record<string, string> = {}): Promise<string[]> {
  const { stdout } = await exec('bash', ['-c', `curl() { printf '%s\\0' "$@"; }\n${command}`], { env: { PATH: process.env.PATH, LC_ALL: 'C.UTF-8', ...env } });
  return stdout.split('\0').slice(0, -1);
}

function ourWords(command: string, env: Record<string, string> = {}): string[] {
  const [first] = splitCommands(command);
  return first!.words.slice(1).map((w) => w.text.replace(ENV_REF, (_, name: string) => env[name] ?? ''));
}

const TRICKY = [
  `curl -H $'x-a: it\\'s\\t\\x41\\u00e9\\n' 'https://h.test/a b' "q=\\"x\\" \\$5 \\\\ ok"`,
  `curl https://h.test/ \\\n  -d 'a=1' \\\n  --data-raw "b=$TOKEN&c=\${TOKEN}x"`,
  `curl -sSL -XPOST -HAccept:\\ text/plain https://h.test/p -d@body.json`,
  `curl 'a'"b"c\\ d $'e\\'' -d "multi\nline"`,
];

test('the tokenizer reads each fixture line and some tricky quoting exactly as bash does', async () => {
  const env = { TOKEN: 'tok-123' };
  const commands = [...commandsOf('devtools-bash.sh'), ...commandsOf('github.sh'), ...commandsOf('stripe-2015.sh'), ...TRICKY];
  for (const command of commands) assert.deepEqual(ourWords(command, env), await bashWords(command, env), command);
});

test('the cmd dialect: ^"…^" quoting, ^ escapes, \\" quotes, ^ continuations and a ^-escaped line break', () => {
  const cmd = 'curl ^"https://h.test/x?a=1^&b=^%^20^" ^\n  -H ^"x-q: say ^\\^"hi^\\^"^" ^\n  --data-raw ^"line1^\n\nline2^"\n';
  assert.deepEqual(ourWords(cmd), ['https://h.test/x?a=1&b=%20', '-H', 'x-q: say "hi"', '--data-raw', 'line1\nline2']);
});

async function imported(lines: string, extra: string[] = []) {
  const dir = tempDir();
  writeFileSync(join(dir, 'calls.sh'), lines);
  const out = join(dir, 'nb.yaml');
  const res = await runCli(['import', 'calls.sh', '--out', out, ...extra], { cwd: dir });
  assert.equal(res.code, 0, res.stderr);
  const text = readFileSync(out, 'utf8');
  assert.equal((await runCli(['validate', out])).code, 0, text);
  return { dir, res, text, nb: parse(text) };
}

test('options map to their notebook keys: -X -H -d --data-urlencode -G -L --max-redirs -k -m --compressed -A -e -I --retry --http2', async () => {
  const { nb, res } = await imported(
    [
      `curl -G https://api.test/search --data-urlencode 'q=a b&c' -d limit=5 -L --max-redirs 3 -k -m 1.5 --retry 2 --retry-delay 0.5 --http2`,
      `curl -I https://api.test/health -A 'probe/1.0' -e 'https://ref.test/;auto' --compressed`,
      `curl -X PUT https://api.test/items/1 -H 'Content-Type: application/json' -d '{"name":"x","tags":["a"]}'`,
      `curl https://api.test/raw -H 'Content-Type: text/csv' --data-binary 'a,b'`,
    ].join('\n'),
  );
  const [search, health, put, raw] = nb.steps;
  assert.equal(nb.baseUrl, 'https://api.test');
  assert.deepEqual(search.request, { method: 'GET', path: '/search', query: { q: 'a b&c', limit: '5' }, followRedirects: 3, tls: { insecure: true }, timeoutMs: 1500, http2: true });
  assert.equal(search.retries, 2);
  assert.equal(search.retryDelayMs, 500);
  assert.deepEqual(health.request, { method: 'HEAD', path: '/health', headers: { 'User-Agent': 'probe/1.0', Referer: 'https://ref.test/', 'Accept-Encoding': 'gzip, deflate, br' } });
  assert.deepEqual(put.request, { method: 'PUT', path: '/items/1', json: { name: 'x', tags: ['a'] } });
  assert.deepEqual(raw.request, { method: 'POST', path: '/raw', body: 'a,b', headers: { 'Content-Type': 'text/csv' } });
  assert.equal(warningCount(res.stdout), 0);
});

test('-F multipart parts (text, @file with ;type= and ;filename=), -d @file and -T file bodies, --cacert/-E/--key', async () => {
  const dir = tempDir();
  for (const f of ['a.png', 'body.json', 'ca.pem', 'client.pem', 'client.key', 'up.bin']) writeFileSync(join(dir, f), 'x');
  writeFileSync(join(dir, 'calls.sh'), [
    `curl https://api.test/upload -F title=Report -F 'file=@a.png;type=image/png;filename=chart.png' -F 'meta={"a":1};type=application/json'`,
    `curl https://api.test/j -H 'Content-Type: application/json' --data-binary @body.json --cacert ca.pem -E client.pem:s3cretPass --key client.key`,
    `curl -T up.bin https://api.test/blob`,
  ].join('\n'));
  const out = join(dir, 'nb.yaml');
  const res = await runCli(['import', 'calls.sh', '--out', out], { cwd: dir });
  assert.equal(res.code, 0, res.stderr);
  const text = readFileSync(out, 'utf8');
  const nb = parse(text);
  assert.deepEqual(nb.steps[0].request.multipart, { title: 'Report', file: { file: 'a.png', contentType: 'image/png', filename: 'chart.png' }, meta: { value: '{"a":1}', contentType: 'application/json' } });
  assert.deepEqual(nb.steps[1].request.body, { file: 'body.json' });
  assert.deepEqual(nb.steps[1].request.tls, { ca: 'ca.pem', cert: 'client.pem', passphrase: '${certPassphrase}', key: 'client.key' });
  assert.deepEqual(nb.steps[2].request, { method: 'PUT', path: '/blob', body: { file: 'up.bin' } });
  assert.ok(!text.includes('s3cretPass'), 'the passphrase is an input, not a literal');
  assert.equal((await runCli(['validate', out])).code, 0, text);
});

test('secrets become secret inputs and never appear in the notebook or the output', async () => {
  const secrets = ['sk_test_4eC39HqLyjWDarjtT1zdp7dc', 'hunter2pass', 'abcdef0123456789abcdef', 'xapikey-98765', 'pr0xyPass'];
  const { nb, text, res } = await imported(
    [
      `curl https://api.stripe.com/v1/customers -u ${secrets[0]}:`,
      `curl https://api.stripe.com/v1/me -u ana:${secrets[1]} -b 'sessionid=${secrets[2]}'`,
      `curl https://api.stripe.com/v1/x -H 'X-Api-Key: ${secrets[3]}' -x http://me:${secrets[4]}@proxy.test:3128`,
      `curl 'https://api.stripe.com/v1/[1-3]' -u ${secrets[0]}: -H 'Authorization: Bearer ${secrets[3]}'`,
    ].join('\n'),
  );
  for (const s of secrets) {
    assert.ok(!text.includes(s), `${s} is not in the notebook`);
    assert.ok(!res.stdout.includes(s) && !res.stderr.includes(s), `${s} is not in the output`);
  }
  assert.deepEqual(nb.inputs.stripeSecretKey, { env: 'STRIPE_SECRET_KEY', secret: true });
  assert.deepEqual(nb.steps[0].auth, { basic: { username: '${stripeSecretKey}', password: '' } });
  assert.deepEqual(nb.steps[1].auth, { basic: { username: 'ana', password: '${stripePassword}' } });
  assert.equal(nb.steps[1].request.headers.Cookie, '${cookie}');
  assert.equal(nb.steps[2].request.headers['X-Api-Key'], '${stripeXApiKey}');
  assert.equal(nb.inputs.stripeXApiKey.secret, true);
  // The glob line is refused whole, a warning; the proxy is kept beside its step.
  assert.match(res.stdout, /calls\.sh:4: warning: URL globbing \(\[1-3\]\) sends one request per value/);
  assert.match(res.stdout, /calls\.sh:3: warning: GET \/v1\/x: a notebook names no proxy: run with --proxy URL/);
  assert.match(text, /# not translated \(source line 4\): URL globbing[\s\S]*curl -u … -H 'Authorization: …'/);
  assert.equal(warningCount(res.stdout), 2);
});

test('unknown options are counted comments beside their step, never dropped; other programs are kept too', async () => {
  const { text, res } = await imported(`export TOKEN=abc\ncurl https://api.test/a --resolve-weird x --ntlm -sS | jq .\n`);
  assert.match(res.stdout, /calls\.sh:2: warning: GET \/a: the curl option --resolve-weird is not translated/);
  assert.match(res.stdout, /calls\.sh:2: warning: GET \/a: --ntlm is not translated/);
  assert.match(res.stdout, /calls\.sh:1: warning: not a curl command \(export\)/);
  assert.match(res.stdout, /calls\.sh:2: warning: not a curl command \(jq\)/);
  assert.match(text, /# not translated \(source line 2\): the curl option --resolve-weird is not translated\n\s+#\s+--resolve-weird x/);
  assert.equal(warningCount(res.stdout), 4);
});

test('$NAME in a line becomes an input read from NAME; the run reads it from there', async () => {
  const { nb, dir } = await imported(`curl "https://api.test/v1/users/$USER_ID" -H "Authorization: Bearer $API_TOKEN"`);
  assert.deepEqual(nb.inputs.userId, { env: 'USER_ID' });
  assert.deepEqual(nb.inputs.apiToken, { env: 'API_TOKEN', secret: true });
  assert.equal(nb.steps[0].request.path, '/v1/users/${userId}');
  assert.deepEqual(nb.auth, { bearer: '${apiToken}' });
  const server = await recorder();
  try {
    const run = await runCli(['run', join(dir, 'nb.yaml'), '--base-url', server.url, '--out', join(dir, 'out')], { env: { USER_ID: 'u-42', API_TOKEN: 'tok-abcdef' } });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(server.seen[0]!.url, '/v1/users/u-42');
    assert.equal(server.seen[0]!.headers.authorization, 'Bearer tok-abcdef');
  } finally {
    await server.close();
  }
});

/** Runs the bin with `input` on stdin (or stdin left open and empty). */
function withStdin(args: string[], input: string, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

test('- reads the command lines from stdin; empty stdin is a clear error, not a hang', async () => {
  const dir = tempDir();
  const ok = await withStdin(['import', '-', '--from', 'curl'], 'curl https://api.test/ping\n', dir);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /title: curl commands\nbaseUrl: https:\/\/api\.test/);
  assert.match(ok.stderr, /Imported 1 step from - \(curl\); 0 warnings\./);
  const detected = await withStdin(['import', '-'], '$ curl https://api.test/ping\n', dir);
  assert.equal(detected.code, 0, detected.stderr);
  const empty = await withStdin(['import', '-', '--from', 'curl'], '', dir);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /error: - holds no curl command that can be imported/);
});

test('bad input: an unclosed quote at its line, no curl at all: exit 2, no stack trace', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'open.sh'), `curl https://api.test/a\ncurl https://api.test/b -d 'oops\n`);
  writeFileSync(join(dir, 'none.sh'), `echo hello\n`);
  for (const [file, message] of [['open.sh', /open\.sh:2: a ' quote opened on this line is never closed/], ['none.sh', /none\.sh holds no curl command[\s\S]*hint: not a curl command \(echo\)/]] as const) {
    const res = await runCli(['import', file, '--from', 'curl'], { cwd: dir });
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, message);
    assert.doesNotMatch(res.stderr, /\n\s+at .+:\d+:\d+/);
  }
});

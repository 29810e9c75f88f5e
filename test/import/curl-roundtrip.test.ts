/**
 * Round trip: each fixture's curl lines are run by the real curl, and the notebook imported from
 * them by the real bin, against one recording server: the two must send the same requests
 * (method, path and query, body, and every header the line sets, credentials included).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';
import { commandsOf, recorder, runCurl, type Seen } from './curl-helpers.js';
import { importAndValidate } from './helpers.js';

let server: Awaited<ReturnType<typeof recorder>>;
before(async () => {
  server = await recorder();
});
after(() => server.close());

/** Headers both sides choose for themselves (framing, their own defaults) are left out. */
const OWN = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'accept-encoding', 'keep-alive']);

function comparable(seen: Seen): Record<string, unknown> {
  const headers: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(seen.headers)) {
    if (OWN.has(name)) continue;
    if (name === 'user-agent' && /^(curl|undici|node|api-notebook)/i.test(String(value))) continue;
    if (name === 'accept' && value === '*/*') continue; // curl's default
    headers[name] = value;
  }
  const type = String(seen.headers['content-type'] ?? '');
  const body = /json/.test(type) ? JSON.parse(seen.body) : /urlencoded/.test(type) ? [...new URLSearchParams(seen.body)] : seen.body;
  return { method: seen.method, url: decodeURIComponent(seen.url), headers, body };
}

async function roundTrip(fixture: string, origin: string, env: Record<string, string>) {
  server.seen.length = 0;
  for (const command of commandsOf(fixture)) await runCurl(command, origin, server.url);
  const byCurl = server.seen.splice(0).map(comparable);
  const { file, stdout } = await importAndValidate(join('curl', fixture));
  const out = join(tempDir(), 'out');
  const run = await runCli(['run', file, '--base-url', server.url, '--out', out], { env });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const byNotebook = server.seen.splice(0).map(comparable);
  assert.equal(byNotebook.length, byCurl.length);
  byCurl.forEach((sent, i) => assert.deepEqual(byNotebook[i], sent, `request ${i + 1} of ${fixture}`));
  return { stdout, requests: byCurl.length };
}

test('DevTools "Copy as cURL (bash)": the notebook sends what curl sends (cookies, JSON with a quote, a form, --compressed)', async () => {
  const { stdout } = await roundTrip('devtools-bash.sh', 'https://shop.example.test', { COOKIE: 'sessionid=5f2c1e9a8b7d4c3e2f1a0b9c8d7e6f5a; theme=dark' });
  assert.match(stdout, /Imported 3 steps .*; 0 warnings\./);
});

test('GitHub REST docs curl lines: the notebook sends what curl sends (bearer token, vnd.github+json, -L, the -d body)', async () => {
  const { stdout, requests } = await roundTrip('github.sh', 'https://api.github.com', { GITHUB_TOKEN: '<YOUR-TOKEN>' });
  assert.equal(requests, 5);
  assert.match(stdout, /Imported 5 steps .*; 0 warnings\./);
});

test('the cmd copy of the DevTools requests imports to the same notebook as the bash copy', async () => {
  const bash = await importAndValidate(join('curl', 'devtools-bash.sh'));
  const cmd = await importAndValidate(join('curl', 'devtools-cmd.txt'), ['--from', 'curl']);
  const body = (text: string) => text.replace(/^.*devtools-(bash\.sh|cmd\.txt).*$/gm, '');
  assert.equal(body(cmd.text), body(bash.text));
  assert.match(cmd.text, /note: it's a gift/);
  assert.match(cmd.stdout, /Imported 3 steps .*; 0 warnings\./);
  assert.match(cmd.text, /address: R\. Augusta, 10/);
});

/** The front door works as written: the README's notebook runs, every docs example validates. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { readJson, ROOT, runCli, tempDir } from './helpers/cli.js';
import { startTokenServer } from './helpers/token-server.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const FORMAT = readFileSync(join(ROOT, 'docs', 'notebook-format.md'), 'utf8');

describe('README', () => {
  it('its notebook example runs against the embedded mock and every step passes', async () => {
    const example = /<!-- readme-example -->\n```yaml\n([\s\S]*?)```/.exec(README)?.[1];
    assert.ok(example, 'the README has its example');
    const dir = mkdtempSync(join(tmpdir(), 'readme-'));
    writeFileSync(join(dir, 'hello.yaml'), example);
    const out = tempDir();
    const { code, stdout } = await runCli(['run', 'hello.yaml', '--out', out], { cwd: dir });
    assert.equal(code, 0, stdout);
    const report = readJson(join(out, 'report.json'));
    assert.deepEqual(report.notebooks[0].steps.map((s: any) => s.status), ['passed', 'passed', 'passed']);
  });

  it('documents every command-line option', async () => {
    const { stdout } = await runCli(['help', 'run']);
    const flags = [...stdout.matchAll(/^\s+(--[a-z-]+)/gm)].map((m) => m[1]);
    assert.ok(flags.length >= 8);
    for (const f of flags) assert.ok(README.includes(`\`${f}`), `README documents ${f}`);
    for (const cmd of ['run', 'validate', 'mock']) assert.match(README, new RegExp(`api-notebook ${cmd}`));
    for (const code of ['`0`', '`1`', '`2`', '`130`']) assert.ok(README.includes(code));
  });
});

describe('docs/notebook-format.md', () => {
  const blocks = [...FORMAT.matchAll(/(?:<!-- use-example: ([\w./-]+) -->\n)?```yaml\n([\s\S]*?)```/g)].map((m) => ({ name: m[1], text: m[2] }));
  // The shared-steps example is files of one repository (`use:` of a file in a sibling folder): each named block is written at its path.
  const named = blocks.filter((b) => b.name);
  it('has examples', () => assert.ok(blocks.length >= 10));
  blocks.forEach(({ name, text: block }, i) => {
    it(`example ${i + 1} is a valid notebook`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'doc-'));
      mkdirSync(join(dir, '.git'));
      for (const b of named) {
        mkdirSync(dirname(join(dir, b.name!)), { recursive: true });
        writeFileSync(join(dir, b.name!), b.text);
      }
      const file = name ?? 'example.yaml';
      writeFileSync(join(dir, file), block);
      // The files an example uploads (`file: data/report.csv`) exist beside it, as in a real project.
      for (const [, name] of block.matchAll(/\bfile: ([\w./-]+)/g)) {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), 'example\n');
      }
      // The data files an example reads (`data('cases.csv')`) likewise, with a header and a row.
      for (const [, name] of block.matchAll(/\bdata\('([\w./-]+)'\)/g)) writeFileSync(join(dir, name), name.endsWith('.csv') ? 'sku,qty\nA-1,2\n' : '[]\n');
      const { code, stderr } = await runCli(['validate', file], { cwd: dir });
      assert.equal(code, 0, `${block}\n${stderr}`);
    });
  });

  it('its shared-steps example runs as written: the login in place of the use, its teardown after the notebook\'s', async () => {
    assert.deepEqual(named.map((b) => b.name), ['shared/login.yaml', 'suite/orders.yaml']);
    const srv = await startTokenServer();
    try {
      const dir = tempDir('doc-use-');
      mkdirSync(join(dir, '.git'));
      for (const b of named) {
        mkdirSync(dirname(join(dir, b.name!)), { recursive: true });
        writeFileSync(join(dir, b.name!), b.text);
      }
      const r = await runCli(['run', 'suite/orders.yaml', '--base-url', srv.url, '--out', 'out'], { cwd: dir, env: { API_PASSWORD: undefined } });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(srv.events.map((e) => e.replace(/-\d+$/, '')), ['login tok-orders-bot', 'logout tok-orders-bot']);
      // The console lines the section quotes, timings aside.
      const quoted = /```text\n(Orders \(suite\/orders\.yaml[\s\S]*?)```/.exec(FORMAT)?.[1];
      assert.ok(quoted, 'the section quotes the console');
      const lines = (t: string) => t.split('\n').filter((l) => /^\s+[✔▸]/.test(l)).map((l) => l.replace(/ \d+ ms$/, ''));
      assert.deepEqual(lines(r.stdout), lines(quoted));
      const steps = readJson(join(dir, 'out', 'report.json')).notebooks[0].steps;
      const first = steps[0];
      assert.equal(first.name, 'Login › Request a token');
      // The source line and the `used` record the section quotes.
      const at = /at `shared\/login\.yaml:(\d+)`/.exec(FORMAT)?.[1];
      assert.equal(`${first.span.file}:${first.span.line}`, `shared/login.yaml:${at}`);
      const used = /`"used": (\{[^`]*\})`/.exec(FORMAT)?.[1];
      assert.deepEqual(first.used, JSON.parse(used!));
    } finally {
      await srv.close();
    }
  });

  it('its quoted diagnostic inside a used file is what validate prints', async () => {
    const dir = tempDir('doc-use-bad-');
    mkdirSync(join(dir, '.git'));
    for (const b of named) {
      mkdirSync(dirname(join(dir, b.name!)), { recursive: true });
      writeFileSync(join(dir, b.name!), b.name === 'shared/login.yaml' ? b.text.replace('expect: { status: 200 }', 'expekt: { status: 200 }') : b.text);
    }
    const r = await runCli(['validate', 'suite/orders.yaml'], { cwd: dir });
    assert.equal(r.code, 2);
    const quoted = /```text\n(  error: unknown key `expekt`[\s\S]*?)  ```/.exec(FORMAT)?.[1];
    assert.ok(quoted, 'the section quotes the diagnostic');
    const unindented = quoted.split('\n').map((l) => l.replace(/^  /, '')).join('\n');
    assert.ok(r.stderr.includes(unindented), `${r.stderr}\n---\n${unindented}`);
  });

  it('names every key of the format', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'notebook.schema.json'), 'utf8'));
    const keys = [...Object.keys(schema.properties), ...Object.keys(schema.$defs.step.properties), ...Object.keys(schema.$defs.input.properties), ...Object.keys(schema.$defs.defaults.properties), ...Object.keys(schema.$defs.expect.properties)];
    for (const k of keys) assert.ok(FORMAT.includes(`${k}`), `docs mention ${k}`);
  });
});

describe('command line', () => {
  const usage: Array<[string, string[], RegExp]> = [
    ['unknown command', ['frobnicate'], /unknown command `frobnicate`/],
    ['unknown option', ['run', 'notebooks', '--bogus'], /Unknown option '--bogus'/],
    ['no paths', ['run'], /needs at least one notebook/],
    ['missing file', ['run', 'nope.yaml'], /no such file or folder: nope\.yaml/],
    ['bad --var', ['run', 'notebooks', '--var', 'novalue'], /--var takes name=value/],
    ['bad --timeout', ['run', 'notebooks', '--timeout', 'soon'], /--timeout takes milliseconds/],
    ['bad --base-url', ['run', 'notebooks', '--base-url', 'ftp://x'], /--base-url must be an http\(s\) URL/],
    ['bad --reporter', ['run', 'notebooks', '--reporter', 'pdf'], /unknown reporter `pdf`/],
  ];
  for (const [label, args, message] of usage) {
    it(`${label}: exit 2 with a clear message, no stack trace`, async () => {
      const { code, stderr } = await runCli(args);
      assert.equal(code, 2);
      assert.match(stderr, message);
      assert.doesNotMatch(stderr, /\n\s+at /);
    });
  }

  it('no base URL anywhere: exit 2 before sending', async () => {
    const { code, stderr } = await runCli(['run', 'test/fixtures/runner/checks.yaml', '--out', tempDir()]);
    assert.equal(code, 2);
    assert.match(stderr, /no base URL; give --base-url/);
  });

  it('--help and --version', async () => {
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Exit codes: 0/);
    const version = await runCli(['--version']);
    assert.match(version.stdout, /^api-notebook \d+\.\d+\.\d+/);
  });

  it('validate: a good notebook exits 0 and says what it found', async () => {
    const { code, stdout } = await runCli(['validate', 'notebooks']);
    assert.equal(code, 0);
    assert.match(stdout, /✔ notebooks\/stripe\/accounts-customers-plans-coupons\.yaml: 28 steps, 3 teardown/);
  });

  it('mock: serves until interrupted, and says where', async () => {
    let url = '';
    const result = await runCli(['mock', '--port', '0'], {
      onSpawn(child) {
        child.stdout?.on('data', async (chunk: Buffer) => {
          const m = /listening on (http:\/\/\S+)/.exec(chunk.toString());
          if (m && !url) {
            url = m[1];
            const res = await fetch(`${url}/v1/account`, { headers: { authorization: 'Bearer sk_test_cli' } });
            assert.equal(res.status, 200);
            child.kill('SIGINT');
          }
        });
      },
    });
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(result.code, 0);
  });
});

/** The front door works as written: the README's notebook runs, every docs example validates. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { readJson, ROOT, runCli, tempDir } from './helpers/cli.js';

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
  const blocks = [...FORMAT.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
  it('has examples', () => assert.ok(blocks.length >= 10));
  blocks.forEach((block, i) => {
    it(`example ${i + 1} is a valid notebook`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'doc-'));
      writeFileSync(join(dir, 'example.yaml'), block);
      // The files an example uploads (`file: data/report.csv`) exist beside it, as in a real project.
      for (const [, name] of block.matchAll(/\bfile: ([\w./-]+)/g)) {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), 'example\n');
      }
      // The data files an example reads (`data('cases.csv')`) likewise, with a header and a row.
      for (const [, name] of block.matchAll(/\bdata\('([\w./-]+)'\)/g)) writeFileSync(join(dir, name), name.endsWith('.csv') ? 'sku,qty\nA-1,2\n' : '[]\n');
      const { code, stderr } = await runCli(['validate', 'example.yaml'], { cwd: dir });
      assert.equal(code, 0, `${block}\n${stderr}`);
    });
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

/** docs/contract-testing.md works as written: its description and notebook run against the mock with full coverage. */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readJson, ROOT, runCli, tempDir } from '../helpers/cli.js';
import { startPrism } from '../helpers/prism.js';
import { startStripeMock } from '../../src/mock/stripe/index.js';

const PAGE = readFileSync(join(ROOT, 'docs', 'contract-testing.md'), 'utf8');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('docs/contract-testing.md', () => {
  it('its example description and notebook run against the embedded mock: every check passes, coverage 100%', async () => {
    const files = [...PAGE.matchAll(/<!-- contract-example: ([\w.-]+) -->\n```yaml\n([\s\S]*?)```/g)];
    assert.deepEqual(files.map((m) => m[1]), ['plans.openapi.yaml', 'plans.yaml']);
    const dir = tempDir('contract-doc-');
    for (const [, name, text] of files) writeFileSync(join(dir, name), text);
    const out = tempDir();
    const { code, stdout } = await runCli(['run', 'plans.yaml', '--out', out, '--coverage-min', '100'], { cwd: dir });
    assert.equal(code, 0, stdout);
    const report = readJson(join(out, 'report.json'));
    const checks = report.notebooks[0].steps.flatMap((s: any) => s.checks.filter((c: any) => c.kind === 'openapi'));
    assert.equal(checks.length, 5);
    assert.ok(checks.every((c: any) => c.passed));
    assert.equal(report.coverage.percent, 100);
    // The page shows this coverage record: keep it true.
    const compact = PAGE.replace(/\s+/g, '');
    for (const op of report.coverage.operations) assert.ok(compact.includes(JSON.stringify(op)), `the page shows ${op.method} ${op.path} as the run counts it`);
    assert.ok(compact.includes(`"responses":${JSON.stringify(report.coverage.responses)}`), 'the page shows the response coverage as the run counts it');
    assert.match(stdout, /OpenAPI coverage of plans\.openapi\.yaml: 3 of 3 operations \(100%\)/);
  });

  it('"Matching", "Waivers" and "Warn mode": the examples run against Prism serving the description at the root, as the page shows', async () => {
    const files = [...PAGE.matchAll(/<!-- contract-matching-example: ([\w.-]+) -->\n```yaml\n([\s\S]*?)```/g)];
    assert.deepEqual(files.map((m) => m[1]), ['users.openapi.yaml', 'users.yaml', 'adopting.yaml', 'gaps.yaml']);
    const dir = tempDir('contract-matching-doc-');
    for (const [, name, text] of files) writeFileSync(join(dir, name), text);
    const prism = await startPrism(join(dir, 'users.openapi.yaml'));
    try {
      const run = async (file: string, ...more: string[]) => {
        const out = tempDir();
        const r = await runCli(['run', file, '--base-url', prism.url, '--out', out, ...more], { cwd: dir });
        return { ...r, steps: readJson(join(out, 'report.json')).notebooks[0].steps as any[] };
      };
      const users = await run('users.yaml');
      assert.equal(users.code, 0, users.stdout);
      assert.deepEqual(users.steps.map((s) => s.checks.find((c: any) => c.kind === 'openapi')?.passed), [true, true]);

      const adopting = await run('adopting.yaml');
      assert.equal(adopting.code, 0, adopting.stdout);
      // Waived: the ignored path, the ignored 4XX, the step with openapi: false; checked: the others.
      assert.deepEqual(adopting.steps.map((s) => s.checks.filter((c: any) => c.kind === 'openapi').map((c: any) => c.passed)), [[true], [], [], [], [true]]);

      const output = /<!-- contract-warn-output -->\n```text\n([\s\S]*?)```/.exec(PAGE)![1]!;
      const args = /^\$ npx api-notebook (.*)$/m.exec(output)![1]!.split(' ').filter((a, i, all) => a !== '--base-url' && all[i - 1] !== '--base-url');
      const gaps = await run(args[1]!, ...args.slice(2));
      assert.equal(gaps.code, 0, gaps.stdout);
      const shown = (text: string) => text.replaceAll(prism.url, 'http://127.0.0.1:4010').replace(/\d+ ms/g, 'N ms').replace(/in [\d.]+ s/g, 'in N s').replace(/\nReports: .*\n/, '\n');
      assert.equal(shown(gaps.stdout).trim(), shown(output.replace(/^\$.*\n/m, '')).trim());
    } finally {
      await prism.close();
    }
  });

  it('"Negative steps" and "Response coverage": import --negative, the run against the embedded mock and `coverage` print what the page shows', async () => {
    const [, name, description] = /<!-- contract-negative-example: ([\w.-]+) -->\n```yaml\n([\s\S]*?)```/.exec(PAGE)!;
    const output = /<!-- contract-negative-output -->\n```text\n([\s\S]*?)```/.exec(PAGE)![1]!;
    const coverageOutput = /<!-- contract-coverage-output -->\n```text\n([\s\S]*?)```/.exec(PAGE)![1]!;
    const dir = tempDir('contract-negative-doc-');
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, name!), description!);
    const [importLine, runLine] = [...output.matchAll(/^\$ (.*)$/gm)].map((m) => m[1]!);
    const imported = await runCli(importLine!.replace(/^npx api-notebook /, '').split(' '), { cwd: dir });
    assert.equal(imported.code, 0, imported.stderr);
    const mock = await startStripeMock({ port: 0 });
    try {
      const [envPart, ...argv] = runLine!.split(' ');
      const [envName, envValue] = envPart!.split('=');
      const args = argv.slice(2).map((a) => (a.startsWith('http://127.0.0.1:') ? mock.url : a));
      const run = await runCli(args, { cwd: dir, env: { [envName!]: envValue } });
      assert.equal(run.code, 1, 'the skeleton\'s placeholder id fails its one step, as the page says');
      const shown = (text: string) => text.replaceAll(mock.url, 'http://127.0.0.1:12111').replace(/\d+ ms/g, 'N ms').replace(/in [\d.]+ s/g, 'in N s').replace(/\nReports: .*\n?/, '\n').trim();
      const expected = output.slice(output.indexOf(runLine!) + runLine!.length + 1);
      assert.equal(shown(`${imported.stdout}${run.stdout}`), shown(`${output.split('\n')[1]}\n${expected}`));
      const report = readJson(join(dir, 'reports', 'report.json'));
      assert.ok(report.notebooks[0].steps.filter((s: any) => s.name.includes(': ')).every((s: any) => s.status === 'passed' && s.checks.find((c: any) => c.kind === 'openapi').passed));
      const [coverageLine] = [...coverageOutput.matchAll(/^\$ npx api-notebook (.*)$/gm)].map((m) => m[1]!.split(' '));
      const cov = await runCli(coverageLine!, { cwd: dir });
      assert.equal(cov.code, 0, cov.stderr);
      assert.equal(cov.stdout, coverageOutput.replace(/^\$.*\n/, ''));
      const gate = await runCli([...coverageLine!, '--coverage-min-responses', '90'], { cwd: dir });
      assert.equal(gate.code, 1);
      const said = /`(Failed: response coverage of customers[^`]*)`/.exec(PAGE)![1]!;
      assert.equal(gate.stderr.trim(), said);
    } finally {
      await mock.close();
    }
  });

  it('"Request checks": the refused requests print what the page shows, and neither reaches the mock', async () => {
    const dir = tempDir('contract-request-doc-');
    const description = /<!-- contract-matching-example: users\.openapi\.yaml -->\n```yaml\n([\s\S]*?)```/.exec(PAGE)![1]!;
    const notebook = /<!-- contract-request-example: refused\.yaml -->\n```yaml\n([\s\S]*?)```/.exec(PAGE)![1]!;
    writeFileSync(join(dir, 'users.openapi.yaml'), description);
    writeFileSync(join(dir, 'refused.yaml'), notebook);
    const prism = await startPrism(join(dir, 'users.openapi.yaml'));
    try {
      const output = /<!-- contract-request-output -->\n```text\n([\s\S]*?)```/.exec(PAGE)![1]!;
      const out = tempDir();
      const r = await runCli(['run', 'refused.yaml', '--base-url', prism.url, '--out', out], { cwd: dir });
      assert.equal(r.code, 1, r.stdout);
      const steps = readJson(join(out, 'report.json')).notebooks[0].steps as any[];
      assert.deepEqual(steps.map((s) => [s.checks[0].kind, s.checks[0].passed, s.response]), [['openapi-request', false, undefined], ['openapi-request', false, undefined]]);
      const shown = (text: string) => text.replaceAll(prism.url, 'http://127.0.0.1:4010').replace(/\d+ ms/g, 'N ms').replace(/in [\d.]+ s/g, 'in N s').replace(/\nReports: .*\n/, '\n');
      assert.equal(shown(r.stdout).trim(), shown(output.replace(/^\$.*\n/m, '')).trim());
    } finally {
      await prism.close();
    }
  });

  it('"Swagger 2.0": the 2.0 example runs against Prism serving it, its requests and responses checked and passing', async () => {
    const files = [...PAGE.matchAll(/<!-- contract-swagger2-example: ([\w.-]+) -->\n```yaml\n([\s\S]*?)```/g)];
    assert.deepEqual(files.map((m) => m[1]), ['pets.swagger.yaml', 'pets.yaml']);
    const dir = tempDir('contract-swagger2-doc-');
    for (const [, name, text] of files) writeFileSync(join(dir, name), text);
    const prism = await startPrism(join(dir, 'pets.swagger.yaml'));
    try {
      const out = tempDir();
      const r = await runCli(['run', 'pets.yaml', '--base-url', prism.url, '--out', out], { cwd: dir });
      assert.equal(r.code, 0, r.stdout);
      const steps = readJson(join(out, 'report.json')).notebooks[0].steps as any[];
      assert.deepEqual(steps.map((s) => s.checks.filter((c: any) => c.kind.startsWith('openapi')).map((c: any) => `${c.kind} ${c.passed}`)), [['openapi-request true', 'openapi true'], ['openapi-request true', 'openapi true']]);
      // What the page says would fail, fails before sending.
      writeFileSync(join(dir, 'pets-wrong.yaml'), files[1]![2]!.replace('json: { name: Rex }', 'json: { id: 1, name: Rex }').replace('limit=10', 'limit=many').replace('expect: { status: 201 }', 'expect: { status: 201 }\n    continueOnFailure: true'));
      const wrong = await runCli(['run', 'pets-wrong.yaml', '--base-url', prism.url, '--out', out], { cwd: dir });
      assert.equal(wrong.code, 1);
      assert.match(wrong.stdout, /request body\.id is readOnly/);
      assert.match(wrong.stdout, /query parameter limit \("many"\) must be integer/);
    } finally {
      await prism.close();
    }
  });

  it('the README points at the page and names the flags', () => {
    assert.match(README, /docs\/contract-testing\.md/);
    for (const flag of ['--openapi FILE', '--coverage-min N', '--coverage-min-responses N']) assert.ok(README.includes(`\`${flag}\``), flag);
  });

  it('"Which files and URLs are read": the refused description, and --allow-files, print what the page shows', async () => {
    const notebook = /<!-- file-rule-example: notebooks\/orders\.yaml -->\n```yaml\n([\s\S]*?)```/.exec(PAGE);
    const output = /<!-- file-rule-output -->\n```text\n([\s\S]*?)```/.exec(PAGE);
    assert.ok(notebook && output, 'the page has the example and its output');
    const home = join(realpathSync(tempDir('file-rule-doc-')), 'home', 'me');
    const shop = join(home, 'shop');
    mkdirSync(join(shop, '.git'), { recursive: true });
    mkdirSync(join(shop, 'notebooks'));
    mkdirSync(join(home, 'common'));
    writeFileSync(join(shop, 'notebooks', 'orders.yaml'), notebook[1]);
    writeFileSync(join(home, 'common', 'orders.openapi.yaml'), 'openapi: 3.1.0\ninfo: { title: Orders, version: "1" }\npaths:\n  /orders:\n    get:\n      responses: { "200": { description: the orders } }\n');
    const [refusedCmd, allowedCmd] = [...output[1].matchAll(/^\$ api-notebook (.*)$/gm)].map((m) => m[1]!.split(' '));
    const refused = await runCli(refusedCmd!, { cwd: shop });
    const allowed = await runCli(allowedCmd!, { cwd: shop });
    assert.equal(refused.code, 2);
    assert.equal(allowed.code, 0, allowed.stderr);
    const shown = `$ api-notebook ${refusedCmd!.join(' ')}\n${refused.stderr.replaceAll(home, '/home/me')}$ api-notebook ${allowedCmd!.join(' ')}\n${allowed.stdout}`;
    assert.equal(shown, output[1]);
  });
});

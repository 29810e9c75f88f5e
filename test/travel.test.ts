/**
 * Notebooks that travel (issue 23, section 5): `openapi:` names a description shipped with
 * api-notebook (`openapi: stripe-2015-07-28`), found as schema names are, so a notebook copied
 * into any project runs there; `--openapi FILE` replaces a notebook's `openapi:` without reading it.
 *
 * The shipped notebooks are copied into a fresh project where api-notebook is installed from
 * `npm pack`, as a user gets it, and run with that install's own bin. The install is offline:
 * the project's node_modules holds links to this repository's packages, so npm finds every
 * dependency already there and fetches nothing (its cache is an empty temp folder and --offline
 * makes any fetch an error).
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { before, describe, it } from 'node:test';
import { readJson, ROOT, runCli, tempDir } from './helpers/cli.js';

const run = promisify(execFile);
const SHIPPED = join(ROOT, 'notebooks', 'stripe');
const NOTEBOOKS = readdirSync(SHIPPED).filter((f) => f.endsWith('.yaml')).sort();

/** A project folder with api-notebook installed from the packed tarball; returns its folder. */
async function installedProject(): Promise<string> {
  const dir = tempDir('travel-');
  const cache = join(dir, 'npm-cache');
  // Not the npm_* of an `npm test` around us (its local prefix, config, cache): this npm works in the temp project only.
  const outside = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const npmEnv = { ...outside, npm_config_cache: cache, npm_config_update_notifier: 'false' };
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, env: npmEnv });
  const tarball = join(dir, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0].filename);
  const project = join(dir, 'project');
  mkdirSync(join(project, 'node_modules'), { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'someone-elses-project', private: true }));
  // Every package this repository has, linked (scoped ones one by one), except api-notebook itself.
  const modules = join(ROOT, 'node_modules');
  for (const entry of readdirSync(modules)) {
    if (entry.startsWith('.') || entry === 'api-notebook') continue;
    if (entry.startsWith('@')) {
      mkdirSync(join(project, 'node_modules', entry));
      for (const pkg of readdirSync(join(modules, entry))) symlinkSync(join(modules, entry, pkg), join(project, 'node_modules', entry, pkg));
    } else {
      symlinkSync(join(modules, entry), join(project, 'node_modules', entry));
    }
  }
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], { cwd: project, env: npmEnv, timeout: 60_000 });
  return project;
}

/** The installed bin, run in `cwd`, as `npx api-notebook` would run it. */
function installedBin(project: string, args: string[], cwd = project): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(join(project, 'node_modules', '.bin', 'api-notebook'), args, { cwd, env: { ...process.env, NO_COLOR: '1', CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('the shipped notebooks run anywhere (installed from npm pack)', () => {
  let project: string;
  before(async () => {
    project = await installedProject();
  });

  it('the shipped notebooks name their description, not a path into this repository', () => {
    assert.ok(NOTEBOOKS.length >= 3);
    for (const f of NOTEBOOKS) assert.match(readFileSync(join(SHIPPED, f), 'utf8'), /^openapi: stripe-2015-07-28$/m, f);
  });

  for (const name of NOTEBOOKS) {
    it(`${name}, copied into a fresh project, passes with the installed bin`, async () => {
      const suite = join(project, 'api-tests');
      mkdirSync(suite, { recursive: true });
      cpSync(join(SHIPPED, name), join(suite, name));
      const out = join(project, `out-${name}`);
      const { code, stdout, stderr } = await installedBin(project, ['run', join('api-tests', name), '--out', out]);
      assert.equal(code, 0, `${stdout}\n${stderr}`);
      const report = readJson(join(out, 'report.json'));
      assert.equal(report.summary.failed, 0);
      assert.equal(report.summary.errors, 0);
      assert.ok(report.summary.passed > 10, `${report.summary.passed} passed`);
      // Only the clean-ups of earlier runs' leftovers are skipped, when there are none.
      for (const step of report.notebooks[0].steps.filter((s: { status: string }) => s.status !== 'passed')) {
        assert.equal(step.status, 'skipped', step.name);
      }
      // Checked against the description shipped inside the install, not this repository's.
      assert.match(stdout, /OpenAPI coverage of node_modules\/api-notebook\/schemas\/stripe-2015-07-28\.openapi\.json: [1-9]\d* of \d+ operations/);
      assert.ok(report.coverage, 'the report has the coverage');
    });
  }
});

describe('openapi: names and --openapi', () => {
  const shipped = readFileSync(join(ROOT, 'schemas', 'stripe-2015-07-28.openapi.json'), 'utf8');
  /** A repository with a copy of the shipped schemas/ folder (the description's `$ref`s reach its siblings). */
  const project = () => {
    const dir = tempDir();
    mkdirSync(join(dir, '.git'));
    cpSync(join(ROOT, 'schemas'), join(dir, 'schemas'), { recursive: true });
    return dir;
  };
  const notebook = (openapi: string) => `title: Named\nmock: stripe\nopenapi: ${openapi}\ninputs:\n  apiKey: { env: STRIPE_SECRET_KEY, secret: true, default: sk_test_x }\nauth:\n  basic: { username: "\${apiKey}", password: "" }\nsteps:\n  - name: list customers\n    request: GET /v1/customers\n    expect: { status: 200 }\n`;

  it('a name found in a schemas/ folder above the notebook comes before the shipped one', async () => {
    const dir = project();
    mkdirSync(join(dir, 'suite'));
    // The project's own description under the shipped name: it has no /v1/customers, so the step fails the contract.
    const own = JSON.parse(shipped);
    own.paths = { '/v1/charges': own.paths['/v1/charges'] };
    writeFileSync(join(dir, 'schemas', 'stripe-2015-07-28.openapi.json'), JSON.stringify(own));
    writeFileSync(join(dir, 'suite', 'nb.yaml'), notebook('stripe-2015-07-28'));
    const { code, stdout } = await runCli(['run', 'suite/nb.yaml', '--out', join(dir, 'out')], { cwd: dir });
    assert.equal(code, 1, stdout);
    assert.match(stdout, /OpenAPI coverage of schemas\/stripe-2015-07-28\.openapi\.json: 0 of \d+/);
  });

  it('a YAML description is found by its name too', async () => {
    const dir = project();
    writeFileSync(join(dir, 'schemas', 'mine.openapi.yaml'), shipped); // JSON is YAML
    writeFileSync(join(dir, 'nb.yaml'), notebook('mine'));
    const { code, stdout, stderr } = await runCli(['run', 'nb.yaml', '--out', join(dir, 'out')], { cwd: dir });
    assert.equal(code, 0, stdout + stderr);
    assert.match(stdout, /OpenAPI coverage of schemas\/mine\.openapi\.yaml: 1 of \d+/);
  });

  it('--openapi FILE replaces an openapi: that names a missing file, which is then not read', async () => {
    const dir = project();
    writeFileSync(join(dir, 'nb.yaml'), notebook('../nowhere/openapi.json'));
    writeFileSync(join(dir, 'schemas', 'api.json'), shipped);
    const without = await runCli(['validate', 'nb.yaml'], { cwd: dir });
    assert.equal(without.code, 2);
    assert.match(without.stderr, /OpenAPI description not found: \.\.\/nowhere\/openapi\.json/);
    for (const command of ['validate', 'run']) {
      const { code, stdout, stderr } = await runCli([command, 'nb.yaml', '--openapi', 'schemas/api.json', ...(command === 'run' ? ['--out', join(dir, 'out')] : [])], { cwd: dir });
      assert.equal(code, 0, `${command}: ${stdout}${stderr}`);
      assert.doesNotMatch(stderr, /nowhere/);
      if (command === 'run') assert.match(stdout, /OpenAPI coverage of schemas\/api\.json: 1 of \d+/);
    }
    // Nor is an unknown name looked up.
    writeFileSync(join(dir, 'nb.yaml'), notebook('no-such-description'));
    assert.equal((await runCli(['validate', 'nb.yaml', '--openapi', 'schemas/api.json'], { cwd: dir })).code, 0);
  });
});

describe('docs', () => {
  it('contract-testing.md shows the error an unknown name really gets', async () => {
    const page = readFileSync(join(ROOT, 'docs', 'contract-testing.md'), 'utf8');
    const shown = /```text\n(error: no OpenAPI description named[\s\S]*?)```/.exec(page)?.[1];
    assert.ok(shown, 'the page shows the error');
    const dir = tempDir();
    writeFileSync(join(dir, 'notebook.yaml'), 'title: Unknown name\nsteps: []\nopenapi: petstore\n');
    const { code, stderr } = await runCli(['validate', 'notebook.yaml'], { cwd: dir });
    assert.equal(code, 2);
    // Where it looked depends on where api-notebook is installed: the hint's start is compared.
    const upToHint = (text: string) => text.slice(0, text.indexOf(' in ', text.indexOf('= hint:')));
    assert.equal(upToHint(stderr), upToHint(shown));
    assert.match(stderr, /known: stripe-2015-07-28/);
  });
});

/**
 * L3 (issue 18): atomic writes never follow a symlink planted under their temp file's name.
 * Another user who can write to the folder (a shared reports folder, a checkout in /tmp) plants
 * links at every name the old code would have used; the real bin then writes its reports, its
 * --out probe and a Save in `open`, and the files the links point to are untouched.
 */
import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT, runCli, tempDir } from './helpers/cli.js';
import { json, startTestServer, type TestServer } from './helpers/server.js';
import { api, startOpen } from './open/helpers.js';

const PRECIOUS = 'precious: the attacker wants this file truncated or overwritten\n';
const REPORTS = ['report.json', 'junit.xml', 'report.html', 'report.md'];

/** A victim file, a victim folder holding the name a segment would be written under, and their links. */
function victims(root: string) {
  const file = join(root, 'victim.txt');
  writeFileSync(file, PRECIOUS);
  const dir = join(root, 'victim-dir');
  mkdirSync(dir);
  writeFileSync(join(dir, '0.part'), PRECIOUS);
  return {
    file,
    dir,
    plant(at: string, target = file) {
      try {
        symlinkSync(target, at);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    },
    untouched() {
      assert.equal(readFileSync(file, 'utf8'), PRECIOUS, 'the file a planted link points to is untouched');
      assert.deepEqual(readdirSync(dir), ['0.part'], 'nothing was written into the folder a planted link points to');
      assert.equal(readFileSync(join(dir, '0.part'), 'utf8'), PRECIOUS);
    },
  };
}

describe('atomic writes: temp files are made exclusively, never through a planted link (L3)', () => {
  let server: TestServer;
  let plantNow: (() => void) | undefined;
  before(async () => {
    server = await startTestServer();
    // The step's answer waits for the links to be planted: the old temp names held the time of the write.
    server.route('GET', '/slow', (_req, res) => {
      plantNow?.();
      setTimeout(() => json(res, 200, { ok: true }), 200);
    });
    server.route('POST', '/echo', (req, res) => json(res, 200, JSON.parse(req.body || '{}')));
  });
  after(() => server?.close());

  it('run: the reports, their segments and the --out probe', async () => {
    const root = tempDir();
    const v = victims(root);
    const out = join(root, 'reports');
    mkdirSync(out);
    const nb = join(root, 'nb.yaml');
    writeFileSync(nb, `title: Atomic\nsteps:\n  - name: Slow\n    request: { method: GET, path: /slow }\n    expect: { status: 200 }\n`);
    let pid = 0;
    plantNow = () => {
      // `.<file>.<pid>.<Date.now()>.tmp`, for every millisecond of the next few seconds.
      const t0 = Date.now();
      for (const r of REPORTS) for (let t = t0 - 50; t < t0 + 4000; t++) v.plant(join(out, `.${r}.${pid}.${t}.tmp`));
    };
    const result = await runCli(['run', nb, '--base-url', server.url, '--out', out], {
      onSpawn(child) {
        pid = child.pid!;
        // Before the bin has even started: the probe's and the segments' names held only the pid.
        v.plant(join(out, `.api-notebook-write-check-${pid}`));
        for (const r of REPORTS) {
          v.plant(join(out, `.${r}.${pid}.parts`), v.dir);
          v.plant(join(out, `.${r}.${pid}.tmp`));
        }
      },
    });
    plantNow = undefined;
    assert.equal(result.code, 0, result.stderr);
    v.untouched();
    for (const r of REPORTS) {
      assert.ok(lstatSync(join(out, r)).isFile(), `${r} is a file of its own`);
      assert.ok(statSync(join(out, r)).size > 0);
    }
    assert.match(readFileSync(join(out, 'report.json'), 'utf8'), /"Slow"/);
    // What the run made itself is gone; only the planted links are left.
    for (const name of readdirSync(out)) if (name.startsWith('.')) assert.ok(lstatSync(join(out, name)).isSymbolicLink(), `${name} left behind`);
  });

  it('open: Save writes the notebook, keeps its mode, and follows no link', async () => {
    const root = tempDir();
    const v = victims(root);
    const nb = join(root, 'saved.yaml');
    writeFileSync(nb, `title: Saved\nsteps:\n  - name: Echo\n    request: { method: POST, path: /echo, json: { a: 1 } }\n    expect: { status: 200 }\n`);
    chmodSync(nb, 0o640);
    const open = await startOpen([nb, '--base-url', server.url]);
    try {
      v.plant(join(root, `.saved.yaml.${open.child.pid}.tmp`));
      const t0 = Date.now();
      for (let t = t0 - 50; t < t0 + 4000; t++) v.plant(join(root, `.saved.yaml.${open.child.pid}.${t}.tmp`));
      const saved = await api(open, '/api/save', { cell: '0', yaml: 'name: Echo\nrequest: { method: POST, path: /echo, json: { a: 2 } }\nexpect: { status: 200 }\n' });
      assert.equal(saved.status, 200, saved.text);
      v.untouched();
      assert.ok(lstatSync(nb).isFile(), 'the notebook is still a file, not a planted link');
      assert.match(readFileSync(nb, 'utf8'), /json: \{ a: 2 \}/);
      assert.equal(statSync(nb).mode & 0o777, 0o640, 'the notebook keeps its mode');
    } finally {
      await open.stop();
    }
  });
});

// The class stays closed: a new atomic write cannot open its temp file some other way unnoticed.
describe('atomic writes: one helper (src/files/atomic-write.ts) for every temp file', () => {
  const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
  it('nothing else in src/ renames files, or writes a file by a name it made up', () => {
    const risky: Record<string, RegExp> = {
      rename: /\brename(Sync)?\(/,
      writeFile: /\bwriteFile(Sync)?\(/,
      stream: /createWriteStream\(/,
      append: /appendFile(Sync)?\(/,
      openForWriting: /openSync\([^)]*'[wa]\+?'/,
      mkdtemp: /mkdtemp(Sync)?\(/,
      tmpName: /\.tmp\b/,
    };
    // Renames follow createTemp(); the one plain writeFileSync writes the file the user named (import --out).
    const allowed: Record<string, string[]> = {
      'src/files/atomic-write.ts': ['rename', 'mkdtemp', 'tmpName'],
      'src/report/segments.ts': ['rename'],
      'src/cli/import-command.ts': ['writeFile'],
    };
    const found: string[] = [];
    for (const file of files(join(ROOT, 'src'))) {
      const name = relative(ROOT, file);
      const text = readFileSync(file, 'utf8');
      for (const [what, r] of Object.entries(risky)) if (r.test(text) && !(allowed[name] ?? []).includes(what)) found.push(`${name}: ${what}`);
    }
    assert.deepEqual(found, []);
  });
});

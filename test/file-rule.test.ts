/**
 * The one file rule (src/files/access.ts) as each reader of local files applies it, through the
 * real bin with real files and real symlinks: OpenAPI descriptions (`openapi:`, `--openapi`) and
 * every `$ref` they follow, named schemas (`expect.schema`), and `import --from openapi`. A file
 * outside the notebook's (or imported file's) repository is refused with a hint naming
 * --allow-files; a link inside the repository that points out of it is outside; a file that does
 * not parse is never quoted; `validate` and `import` fetch nothing without --allow-fetch.
 */
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, tempDir } from './helpers/cli.js';
import { json, startTestServer, type TestServer } from './helpers/server.js';

const SECRET = 'npm_k7Qx9ZsecretTokenValue1234';

const SPEC = (schema: string) => `openapi: 3.0.3
info: { title: Files, version: "1" }
paths:
  /things:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: ${schema}
`;

/** A repository (a folder with .git) holding `nb.yaml`, and a folder beside it that is outside. */
function layout(): { repo: string; outside: string } {
  const root = tempDir('api-notebook-files-');
  const repo = join(root, 'repo');
  const outside = join(root, 'outside');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(outside);
  // What a stray config file holds: it must never reach the terminal.
  writeFileSync(join(outside, 'conf.json'), `{\n  "npmToken": "${SECRET}",\n  "registry": [1,\n  "x": 2\n}\n`);
  writeFileSync(join(outside, 'credentials'), `[default]\naws_secret_access_key = ${SECRET}\n`);
  writeFileSync(join(outside, 'api.yaml'), SPEC('{ type: object }'));
  return { repo, outside };
}

function notebook(repo: string, openapi: string, extra = ''): string {
  const file = join(repo, 'nb.yaml');
  writeFileSync(file, `title: files\nbaseUrl: http://127.0.0.1:9\nopenapi: ${openapi}\nsteps:\n  - name: one\n    request: GET /things\n${extra}`);
  return file;
}

function refusedOutside(res: { code: number | null; stderr: string; stdout: string }, where: RegExp): void {
  assert.equal(res.code, 2, res.stderr);
  assert.match(res.stderr, where);
  assert.match(res.stderr, /outside the notebook's repository/);
  assert.match(res.stderr, /nb\.yaml:3:10|nb\.yaml:\d+:\d+/);
  assert.match(res.stderr, /hint: files are read only from inside .*repo; to allow another folder, pass --allow-files DIR/);
  assert.doesNotMatch(res.stderr + res.stdout, new RegExp(SECRET));
  assert.doesNotMatch(res.stderr, /\n\s+at /, 'no stack trace');
}

let server: TestServer;
before(async () => {
  server = await startTestServer();
  server.route('GET', '/openapi.yaml', (_q, res) => {
    res.writeHead(200, { 'content-type': 'application/yaml' });
    res.end(SPEC('{ type: object }'));
  });
  server.route('GET', '/things', (_q, res) => json(res, 200, {}));
});
after(() => server.close());

describe('openapi: and its $refs', () => {
  it('a description outside the repository (../, absolute) is refused at its openapi:, and allowed with --allow-files', async () => {
    const { repo, outside } = layout();
    for (const path of ['../outside/api.yaml', join(outside, 'api.yaml')]) {
      const file = notebook(repo, path);
      refusedOutside(await runCli(['validate', file]), /nb\.yaml:3:10/);
      const allowed = await runCli(['validate', file, '--allow-files', outside]);
      assert.equal(allowed.code, 0, allowed.stderr);
    }
  });

  it('a symlink inside the repository that points out of it is refused; a file or folder inside is fine', async () => {
    const { repo, outside } = layout();
    symlinkSync(join(outside, 'api.yaml'), join(repo, 'linked.yaml'));
    symlinkSync(outside, join(repo, 'specs'));
    refusedOutside(await runCli(['validate', notebook(repo, 'linked.yaml')]), /the OpenAPI description \S*linked\.yaml is outside the notebook's repository \(it resolves to .*outside\/api\.yaml\)/);
    refusedOutside(await runCli(['validate', notebook(repo, 'specs/api.yaml')]), /resolves to .*outside\/api\.yaml/);
    writeFileSync(join(repo, 'api.yaml'), SPEC('{ type: object }'));
    const inside = await runCli(['validate', notebook(repo, 'api.yaml')]);
    assert.equal(inside.code, 0, inside.stderr);
  });

  it('a $ref to a file outside the repository is refused, and the file is never printed, from validate and run', async () => {
    const { repo, outside } = layout();
    writeFileSync(join(repo, 'api.yaml'), SPEC(`{ $ref: "${join(outside, 'conf.json')}" }`));
    const file = notebook(repo, 'api.yaml');
    const before = server.requests.length;
    refusedOutside(await runCli(['validate', file]), /refers to .*outside\/conf\.json, which is outside/);
    refusedOutside(await runCli(['run', file, '--base-url', server.url, '--out', tempDir()]), /refers to .*conf\.json/);
    // Through a relative $ref and a linked file in the repository too.
    writeFileSync(join(repo, 'api.yaml'), SPEC('{ $ref: "../outside/credentials" }'));
    refusedOutside(await runCli(['validate', file]), /refers to .*outside\/credentials/);
    symlinkSync(join(outside, 'conf.json'), join(repo, 'schema.json'));
    writeFileSync(join(repo, 'api.yaml'), SPEC('{ $ref: "schema.json" }'));
    refusedOutside(await runCli(['validate', file]), /schema\.json, which is outside/);
    assert.equal(server.requests.length, before, 'nothing was sent');
  });

  it('a file that does not parse is not quoted: its reason and line:col only', async () => {
    const { repo, outside } = layout();
    const file = notebook(repo, '../outside/conf.json');
    const res = await runCli(['validate', file, '--allow-files', outside]);
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, /cannot be used: Error parsing .*conf\.json: .*\(5:1\)/);
    assert.doesNotMatch(res.stderr, /npmToken|registry/);
    assert.doesNotMatch(res.stderr, new RegExp(SECRET));
  });

  it('--openapi is the user\'s choice, read wherever it is; its $refs stay within its own repository', async () => {
    const { repo, outside } = layout();
    const file = notebook(repo, 'api.yaml');
    writeFileSync(join(repo, 'api.yaml'), SPEC('{ type: object }'));
    const named = await runCli(['validate', file, '--openapi', join(outside, 'api.yaml')], { cwd: repo });
    assert.equal(named.code, 0, named.stderr);
    const far = join(outside, '..', 'far');
    mkdirSync(far);
    writeFileSync(join(far, 'schema.yaml'), 'type: object\n');
    writeFileSync(join(outside, 'ref.yaml'), SPEC('{ $ref: "../far/schema.yaml" }'));
    const res = await runCli(['validate', file, '--openapi', join(outside, 'ref.yaml')], { cwd: repo });
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, /outside the description's own repository/);
    assert.match(res.stderr, /hint: .*--allow-files DIR/);
    const inside = await runCli(['validate', file, '--openapi', 'api.yaml'], { cwd: repo });
    assert.equal(inside.code, 0, inside.stderr);
  });
});

describe('validate sends nothing: no fetch without --allow-fetch', () => {
  it('an http(s) openapi: is not fetched; a located warning says so and names --allow-fetch; with it, it is fetched and checked', async () => {
    const { repo } = layout();
    const file = notebook(repo, `${server.url}/openapi.yaml`);
    const before = server.requests.length;
    const res = await runCli(['validate', file]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stderr, /warning: validate does not fetch the OpenAPI description http:\/\/127\.0\.0\.1:\d+\/openapi\.yaml; it was not checked\n --> \S*nb\.yaml:3:10/);
    assert.match(res.stderr, /hint: validate sends nothing; pass --allow-fetch/);
    assert.equal(server.requests.length, before, 'validate fetched nothing');
    const fetched = await runCli(['validate', file, '--allow-fetch']);
    assert.equal(fetched.code, 0, fetched.stderr);
    assert.equal(fetched.stderr, '');
    assert.equal(server.requests.filter((r) => r.url === '/openapi.yaml').length, 1);
  });

  it('an http $ref in a local description is not fetched either (a private address included)', async () => {
    const { repo } = layout();
    writeFileSync(join(repo, 'api.yaml'), SPEC(`{ $ref: "${server.url}/schema.json" }`));
    const file = notebook(repo, 'api.yaml');
    const before = server.requests.length;
    const res = await runCli(['validate', file]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stderr, /warning: the OpenAPI description \S*api\.yaml refers to http:\/\/127\.0\.0\.1:\d+\/schema\.json, which validate does not fetch/);
    assert.equal(server.requests.length, before);
  });
});

describe('named schemas (expect.schema)', () => {
  it('a schema file linked out of the repository is refused; a schemas/ folder above the repository is not searched', async () => {
    const { repo, outside } = layout();
    mkdirSync(join(repo, 'schemas'));
    writeFileSync(join(outside, 'thing.json'), '{ "type": "object" }');
    symlinkSync(join(outside, 'thing.json'), join(repo, 'schemas', 'linked.json'));
    const file = join(repo, 'nb.yaml');
    writeFileSync(file, 'title: s\nbaseUrl: http://127.0.0.1:9\nsteps:\n  - name: one\n    request: GET /things\n    expect: { schema: linked }\n');
    const res = await runCli(['validate', file]);
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, /the schema `.*linked\.json` is outside the notebook's repository/);
    assert.match(res.stderr, /nb\.yaml:6:23/);
    assert.match(res.stderr, /hint: .*--allow-files DIR/);
    assert.equal((await runCli(['validate', file, '--allow-files', outside])).code, 0);
    // A schema file inside that is not JSON: its reason and position, not its text.
    writeFileSync(join(repo, 'schemas', 'broken.json'), `npm_${SECRET}`);
    const broken = await runCli(['validate', file, '--allow-files', outside]);
    assert.equal(broken.code, 2, broken.stderr);
    assert.match(broken.stderr, /schema file .*broken\.json is not valid JSON: Unexpected token … is not valid JSON/);
    assert.doesNotMatch(broken.stderr, /npm_/);
    // ../schemas/above.json above the repository (the parent of repo holds a schemas/ folder).
    mkdirSync(join(repo, '..', 'schemas'));
    writeFileSync(join(repo, '..', 'schemas', 'above.json'), '{ "type": "object" }');
    writeFileSync(file, 'title: s\nbaseUrl: http://127.0.0.1:9\nsteps:\n  - name: one\n    request: GET /things\n    expect: { schema: above }\n');
    const above = await runCli(['validate', file]);
    assert.equal(above.code, 2, above.stderr);
    assert.match(above.stderr, /no schema named `above`/);
  });
});

describe('import --from openapi', () => {
  it('an example $ref to a file outside the imported file\'s repository is refused, and never becomes a request body', async () => {
    const { repo, outside } = layout();
    const spec = join(repo, 'api.yaml');
    const body = (ref: string) => `openapi: 3.0.3
info: { title: Import, version: "1" }
servers: [{ url: "https://api.example.test" }]
paths:
  /upload:
    post:
      requestBody:
        content:
          application/json:
            example: { $ref: "${ref}" }
      responses: { "201": { description: created } }
`;
    for (const ref of [join(outside, 'credentials'), '../outside/credentials']) {
      writeFileSync(spec, body(ref));
      const res = await runCli(['import', spec]);
      assert.equal(res.code, 2, res.stderr);
      assert.match(res.stderr, /a \$ref names .*credentials, which is outside the imported file's repository/);
      assert.match(res.stderr, /hint: .*--allow-files DIR/);
      assert.doesNotMatch(res.stdout + res.stderr, new RegExp(SECRET));
    }
    // Allowed, a file that is not JSON or YAML is still not read as a string.
    const allowed = await runCli(['import', spec, '--allow-files', outside]);
    assert.equal(allowed.code, 2, allowed.stderr);
    assert.doesNotMatch(allowed.stdout + allowed.stderr, new RegExp(SECRET));
    // A JSON example inside the repository is what a $ref is for.
    writeFileSync(join(repo, 'example.json'), '{ "name": "widget" }');
    writeFileSync(spec, body('example.json'));
    const ok = await runCli(['import', spec]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /json:\n\s+name: widget/);
    // Written to stdout here, outside the description's repository: the notebook will need the flag.
    assert.match(ok.stderr, /warning: the notebook's `openapi: .*api\.yaml` is outside the repository the notebook is written to; run and validate it with --allow-files .*repo/);
  });

  it('an http $ref is not fetched without --allow-fetch', async () => {
    const { repo } = layout();
    const spec = join(repo, 'api.yaml');
    writeFileSync(spec, SPEC(`{ $ref: "${server.url}/schema.json" }`));
    const before = server.requests.length;
    const res = await runCli(['import', spec]);
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, /a \$ref names http:\/\/127\.0\.0\.1:\d+\/schema\.json, which import does not fetch\n\s+= hint: pass --allow-fetch/);
    assert.equal(server.requests.length, before);
  });
});

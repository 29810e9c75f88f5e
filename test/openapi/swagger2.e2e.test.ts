/**
 * Swagger 2.0, read in-process: the public Petstore 2.0 example (vendored, see
 * fixtures/swagger2/README.md) served by Prism at the root and checked through the real bin —
 * requests and responses both — with the run's base URL standing in for its `basePath: /v1`. And
 * a broken 2.0 file is named at its own line, not at a line of the converted document.
 */
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readJson, ROOT, runCli, tempDir } from '../helpers/cli.js';
import { startPrism, type Prism } from '../helpers/prism.js';

const PETSTORE = join(ROOT, 'test', 'openapi', 'fixtures', 'swagger2', 'petstore.json');

let prism: Prism;
let dir: string;
before(async () => {
  dir = tempDir('swagger2-');
  copyFileSync(PETSTORE, join(dir, 'petstore.json'));
  prism = await startPrism(join(dir, 'petstore.json'));
});
after(() => prism.close());

describe('Swagger 2.0 (the Petstore example, served by Prism)', () => {
  it('is converted and checked: the right requests pass request and response checks; a wrong query type fails before sending', async () => {
    writeFileSync(join(dir, 'pets.yaml'), `title: Pets
openapi: petstore.json
steps:
  - name: List pets
    request: GET /pets?limit=5
  - name: One pet
    request: GET /pets/1
  - name: A limit that is not a number
    request: GET /pets?limit=five
`);
    const out = tempDir();
    const { code, stdout, stderr } = await runCli(['run', 'pets.yaml', '--base-url', prism.url, '--out', out], { cwd: dir });
    assert.equal(code, 1, stdout + stderr);
    const report = readJson(join(out, 'report.json'));
    const steps = report.notebooks[0].steps as any[];
    const kinds = (s: any) => s.checks.filter((c: any) => c.kind.startsWith('openapi')).map((c: any) => `${c.kind} ${c.operation} ${c.passed}`);
    assert.deepEqual(steps.map(kinds), [
      ['openapi-request GET /pets true', 'openapi GET /pets true'],
      ['openapi-request GET /pets/{petId} true', 'openapi GET /pets/{petId} true'],
      ['openapi-request GET /pets false'],
    ]);
    assert.match(steps[2].checks[0].message, /^query parameter limit \("five"\) must be integer/);
    assert.equal(steps[2].response, undefined, 'not sent');
    assert.equal(report.coverage.operations.length, 3);
    assert.match(stdout, /OpenAPI coverage of petstore\.json: 2 of 3 operations/);
  });

  it('a broken 2.0 file is named at its line in that file (exit 2, nothing sent)', async () => {
    writeFileSync(join(dir, 'broken.yaml'), `swagger: '2.0'
info: { title: Broken, version: '1' }
paths:
  /pets:
    get:
      responses:
        '200':
          description: the pets
          schema:
            type: array
            items: 7
`);
    writeFileSync(join(dir, 'broken-nb.yaml'), 'title: Broken\nopenapi: broken.yaml\nsteps:\n  - name: One\n    request: GET /pets\n');
    const { code, stderr } = await runCli(['validate', 'broken-nb.yaml'], { cwd: dir });
    assert.equal(code, 2, stderr);
    assert.match(stderr, /broken\.yaml:(9|10|11):\d+/, stderr);
    assert.doesNotMatch(stderr, /\n\s+at .*:\d+:\d+/, 'no stack trace');
  });
});

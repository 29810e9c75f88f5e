/**
 * Identical inline schemas are compiled once: a 900-step notebook that writes one schema out 600
 * times (block style, as Step CI workflows do) costs one ajv compile, counted at ajv itself and
 * through the real bin's debug log.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { configureCompileCache } from '../../src/cache/compile-cache.js';
import { SchemaRegistry } from '../../src/checks/schemas.js';
import { loadNotebook } from '../../src/notebook/load.js';
import { runCli, tempDir, writeInto } from '../helpers/cli.js';

const dir = tempDir('api-notebook-inline-');
after(() => rmSync(dir, { recursive: true, force: true }));

function notebook(steps: number, withSchema: number): string {
  const lines = ['title: many inline schemas', 'baseUrl: http://127.0.0.1:9', 'steps:'];
  for (let i = 0; i < steps; i++) {
    lines.push(`  - name: step ${i}`, `    request: GET /items/${i}`, '    expect:', '      status: 200');
    if (i < withSchema) {
      lines.push('      schema:', '        type: object', '        required: [id, name]', '        properties:', '          id:', '            type: integer', '          name:', '            type: string', '            minLength: 1');
    }
  }
  return lines.join('\n') + '\n';
}

describe('identical inline schemas', () => {
  const file = writeInto(dir, 'many.yaml', notebook(900, 600));

  it('are compiled once by ajv for a 900-step notebook that writes one out 600 times', async () => {
    configureCompileCache({ disabled: true, noBuilt: true });
    const proto = Object.getPrototypeOf(Ajv2020.prototype) as { compile: (...a: unknown[]) => unknown };
    const original = proto.compile;
    let compiles = 0;
    proto.compile = function (this: unknown, ...args: unknown[]) {
      compiles++;
      return original.apply(this, args);
    };
    try {
      const result = await loadNotebook(file, { registry: new SchemaRegistry(dir), extraNames: [] });
      assert.deepEqual(result.diagnostics, []);
      assert.equal(result.notebook!.steps.length, 900);
      assert.equal(result.notebook!.steps.filter((s) => s.expect.schema).length, 600);
    } finally {
      proto.compile = original;
      configureCompileCache({});
    }
    assert.equal(compiles, 1);
  });

  it('through the bin: one compile, then none once cached', async () => {
    const env = { API_NOTEBOOK_DEBUG: 'cache' };
    const cache = join(dir, 'cache');
    const cold = await runCli(['validate', file, '--cache-dir', cache], { env });
    assert.equal(cold.code, 0, cold.stderr);
    assert.equal(cold.stderr.match(/^api-notebook cache: compile/gm)?.length, 1, cold.stderr);
    const warm = await runCli(['validate', file, '--cache-dir', cache], { env });
    assert.equal(warm.stderr.match(/^api-notebook cache: compile/gm), null, warm.stderr);
    assert.equal(warm.stderr.match(/^api-notebook cache: hit/gm)?.length, 1, warm.stderr);
  });
});

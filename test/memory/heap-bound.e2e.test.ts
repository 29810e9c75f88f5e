/**
 * src/cli/heap.ts through the real bin, seen in V8's own trace (--trace-gc prints a collection it
 * was asked for as "testing"): `run` of a suite past the loader's budget collects after each
 * notebook is read, at the check and again when it runs; `run` of a small suite and `validate`
 * of the big one keep V8's defaults, as the README says.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KEEP_STEPS_BYTES } from '../../src/cli/load-all.js';
import { flowNotebook, NAMED_SCHEMAS } from '../helpers/big-notebooks.js';
import { BIN, tempDir, writeInto } from '../helpers/cli.js';
import { itemServer } from '../helpers/item-server.js';
import type { TestServer } from '../helpers/server.js';

const STEPS = 9_000;

function suite(notebooks: number, steps: number): string {
  const dir = tempDir('heap-bound-');
  for (const [file, schema] of Object.entries(NAMED_SCHEMAS)) writeInto(dir, join('schemas', file), JSON.stringify(schema));
  const text = flowNotebook(steps);
  for (let n = 1; n <= notebooks; n++) writeInto(dir, `part-${n}.yaml`, text.replace(/^title: .*/, `title: Part ${n}`));
  return dir;
}

/** The bin under --trace-gc: its exit code and how many collections it asked V8 for. (Not spawnSync: the item server runs in this process.) */
function traced(args: string[]): Promise<{ code: number | null; asked: number; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--trace-gc', BIN, ...args], { env: { ...process.env, NO_COLOR: '1', CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let asked = 0;
    let repeat = false;
    let rest = '';
    let output = '';
    // The trace of a long run is megabytes: counted line by line, not kept.
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      const lines = (rest + c).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        // From V8 12 each collection asked for is a last-resort one: two or more "(reduce)" lines in a row.
        const ask = /Mark-Compact.*testing/.test(line);
        if (ask && !(repeat && /Mark-Compact \(reduce\)/.test(line))) asked++;
        if (/Mark-Compact|Scavenge|Minor/.test(line)) repeat = ask && /Mark-Compact \(reduce\)/.test(line);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (output = (output + c).slice(0, 2000)));
    child.on('close', (code) => done({ code, asked, output }));
  });
}

describe('a big suite’s heap is held small by run alone (real bin)', () => {
  let server: TestServer;
  let big: string;
  before(async () => {
    server = await itemServer();
    big = suite(2, STEPS);
    assert.ok(flowNotebook(STEPS).length * 2 > KEEP_STEPS_BYTES, 'the suite must be past the budget');
  });
  after(() => server.close());

  it('run collects after reading each notebook: at the check past the budget, and when each runs', async () => {
    const r = await traced(['run', big, '--base-url', server.url, '--out', join(big, 'reports'), '--reporter', 'json', '--quiet']);
    assert.equal(r.code, 0, r.output);
    // The second notebook passes the budget (1), then each is read again to run: after, what
    // reading it left is collected, and before the second, what the first built and ran (3).
    assert.equal(r.asked, 4);
  });

  it('validate of the same suite, and run of a small one, leave the heap to V8', async () => {
    const checked = await traced(['validate', big]);
    assert.equal(checked.code, 0, checked.output);
    assert.equal(checked.asked, 0);
    const small = suite(2, 30);
    const ran = await traced(['run', small, '--base-url', server.url, '--out', join(small, 'reports'), '--reporter', 'json', '--quiet']);
    assert.equal(ran.code, 0, ran.output);
    assert.equal(ran.asked, 0);
  });
});

/**
 * Reporting off the critical path (src/run/deferred.ts): a step's result reaches the reporters
 * after the next request has been sent, in order, with every result delivered before the
 * notebook's end; the queue is bounded, and a reporter's error is not lost.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SchemaRegistry } from '../src/checks/schemas.js';
import { createHttpClient, type HttpClient } from '../src/http/client.js';
import { loadNotebookText } from '../src/notebook/load.js';
import { DeferredHooks } from '../src/run/deferred.js';
import { runNotebook } from '../src/run/notebook.js';
import { Redactor } from '../src/run/redact.js';
import type { RunHooks } from '../src/run/results.js';
import { json, startTestServer, type TestServer } from './helpers/server.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
let server: TestServer;
let real: HttpClient;

before(async () => {
  server = await startTestServer();
  server.route('GET', '/n', (_req, res) => json(res, 200, { ok: true }));
  real = createHttpClient();
});
after(async () => {
  await real.close();
  await server.close();
});

function notebook(text: string) {
  const r = loadNotebookText(text, 'deferred.yaml', { registry: new SchemaRegistry() });
  assert.deepEqual(r.diagnostics, []);
  return r.notebook!;
}

/** Runs a notebook; `events` gets each request written and each hook call, in the order they happened. */
async function run(text: string, hooks: (events: string[]) => RunHooks) {
  const events: string[] = [];
  const http: HttpClient = {
    send: (req, signal, onSent) =>
      real.send(req, signal, () => {
        events.push(`written ${new URL(req.url).search}`);
        onSent?.();
      }),
    close: async () => {},
  };
  const never = new AbortController().signal;
  const record = await runNotebook(notebook(text), {
    baseUrl: server.url, inputs: {}, overrides: {}, http, redactor: new Redactor(), log: quiet, timeoutMs: 5000,
    hooks: hooks(events), signal: never, teardownSignal: never,
  });
  return { events, record };
}

const STEPS = 'title: Deferred\nsteps:\n' + [0, 1, 2, 3].map((i) => `  - name: s${i}\n    request: GET /n?i=${i}\n    expect: { status: 200 }\n`).join('');

describe('reporting while the next request is out', () => {
  it('a step is reported after the next request was sent, in order, and all before the notebook ends', async () => {
    const { events, record } = await run(STEPS, (events) => ({
      onStepStart: (s) => void events.push(`start ${s.name}`),
      onStepEnd: (r) => void events.push(`end ${r.name} ${r.status}`),
      onNotebookEnd: (n) => void events.push(`notebook ${n.status} ${n.counts.passed}`),
    }));
    assert.equal(record.status, 'passed');
    const ends = events.filter((e) => e.startsWith('end'));
    assert.deepEqual(ends, ['end s0 passed', 'end s1 passed', 'end s2 passed', 'end s3 passed']);
    // Each step's start comes before its end, and the ends keep the order of the steps.
    for (let i = 0; i < 4; i++) assert.ok(events.indexOf(`start s${i}`) < events.indexOf(`end s${i} passed`));
    // The overlap itself: step i is reported only once request i+1 has been written to the socket
    // (undici writes on a later turn of the event loop than the one the step ended in).
    for (let i = 0; i < 3; i++) assert.ok(events.indexOf(`written ?i=${i + 1}`) < events.indexOf(`end s${i} passed`), events.join('\n'));
    assert.equal(events.at(-1), 'notebook passed 4', 'the notebook ends after every step was reported');
  });

  it('an asynchronous hook is awaited in order', async () => {
    const { events } = await run(STEPS, (events) => ({
      onStepEnd: async (r) => {
        await new Promise((done) => setTimeout(done, 5));
        events.push(`end ${r.name}`);
      },
      onNotebookEnd: () => void events.push('notebook'),
    }));
    assert.deepEqual(events.filter((e) => !e.startsWith('written')), ['end s0', 'end s1', 'end s2', 'end s3', 'notebook']);
  });

  it('a reporter that throws fails the run instead of being lost', async () => {
    await assert.rejects(
      run(STEPS, () => ({
        onStepEnd: (r) => {
          if (r.name === 's1') throw new Error('disk full');
        },
      })),
      /disk full/,
    );
  });
});

describe('DeferredHooks', () => {
  it('with no request sent, runs tasks two turns of the event loop later, in order', async () => {
    const q = new DeferredHooks();
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) await q.defer(() => void seen.push(i));
    assert.deepEqual(seen, [], 'nothing runs before the event loop turns');
    await new Promise((done) => setImmediate(done));
    assert.deepEqual(seen, [], 'not on the turn where undici would write the next request');
    await new Promise((done) => setImmediate(() => setImmediate(done)));
    assert.deepEqual(seen, [0, 1, 2, 3, 4]);
  });

  it('runs right after a request is written', async () => {
    const q = new DeferredHooks();
    const seen: number[] = [];
    await q.defer(() => void seen.push(1));
    q.requestSent();
    await new Promise((done) => setImmediate(done));
    assert.deepEqual(seen, [1], 'one turn, not the two of the fallback');
  });

  it('stays bounded: a long run of steps that never yield is drained as it goes', async () => {
    const q = new DeferredHooks();
    let ran = 0;
    let mostPending = 0;
    for (let queued = 1; queued <= 1000; queued++) {
      await q.defer(() => void ran++);
      mostPending = Math.max(mostPending, queued - ran);
    }
    await q.drain();
    assert.equal(ran, 1000);
    assert.ok(mostPending < 100, `at most ${mostPending} tasks waited`);
  });

  it('drain throws the first error, and later tasks do not run', async () => {
    const q = new DeferredHooks();
    const seen: string[] = [];
    await q.defer(() => {
      throw new Error('first');
    });
    await q.defer(() => void seen.push('after'));
    await assert.rejects(q.drain(), /first/);
    assert.deepEqual(seen, []);
  });
});

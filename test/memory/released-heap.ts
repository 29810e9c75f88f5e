/**
 * Run by released-heap.test.ts in a child started with --expose-gc: loads a suite past the
 * loader's budget in this process and prints, as JSON, how much the heap grew between before
 * the load and after it (both measured after a full collection), with the loaded notebooks held.
 * SNAP=FILE writes a heap snapshot at the end, to see what holds memory.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadAll } from '../../src/cli/load-all.js';
import { flowNotebook, NAMED_SCHEMAS } from '../helpers/big-notebooks.js';

const gc = (globalThis as { gc?: () => void }).gc!;
const [count, steps] = process.argv.slice(2).map(Number) as [number, number];
const dir = mkdtempSync(join(tmpdir(), 'released-heap-'));
// A title and description of more than 13 characters: the reader's strings are slices of the text.
const text = flowNotebook(steps).replace(/^title: .*/, 'title: Orders, refunds and the ledger of a whole day\ndescription: Generated from the description of the items API');
const files = Array.from({ length: count }, (_, i) => join(dir, `part-${i + 1}.yaml`));
for (const f of files) writeFileSync(f, text);
mkdirSync(join(dir, 'schemas'));
for (const [file, schema] of Object.entries(NAMED_SCHEMAS)) writeFileSync(join(dir, 'schemas', file), JSON.stringify(schema));
process.chdir(dir);
const quiet = new Writable({ write: (_c, _e, done) => done() });

// Once first, dropped: the code compiled on the way is not what is measured.
// (In a function of its own, so no register of this module's frame keeps its result.)
const warm = async () => void (await loadAll(files, [], quiet, false));
await warm();
gc();
const before = process.memoryUsage().heapUsed;
const loaded = await loadAll(files, [], quiet, false);
gc();
const after = process.memoryUsage().heapUsed;
if (process.env.SNAP) (await import("node:v8")).writeHeapSnapshot(process.env.SNAP);
process.stdout.write(JSON.stringify({ grewBytes: after - before, textBytes: text.length, notebooks: loaded.notebooks.length, problems: loaded.problems, released: loaded.notebooks.filter((n) => n.released).length, title: loaded.notebooks[0]?.title }));

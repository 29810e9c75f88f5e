/**
 * Run by source-map-size.test.ts in a child started with --expose-gc: reads a block-style
 * notebook with the subset reader and prints, as JSON, what its data and its source map each hold
 * (the heap and the typed arrays' memory, after full collections), and the text's size.
 */
import { readSubsetAt } from '../../src/notebook/subset-reader.js';
import { blockNotebook } from '../helpers/big-notebooks.js';

const gc = (globalThis as { gc?: () => void }).gc!;
const held = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const steps = Number(process.argv[2]);
const text = blockNotebook(steps);
const before = held();
let read: { data?: unknown; source?: unknown } | undefined = readSubsetAt(text, 'big.yaml') as { data: unknown; source: unknown };
const both = held();
read.source = undefined;
const dataOnly = held();
const values = JSON.stringify(read.data).length;
read = undefined;
process.stdout.write(JSON.stringify({ textBytes: text.length, dataBytes: dataOnly - before, sourceBytes: both - dataOnly, values }));

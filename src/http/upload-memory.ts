/**
 * Keeps an upload's memory flat. A file is read in 64 KiB Buffers, each garbage once the socket
 * has written it; V8 frees their memory only when a GC runs, and it runs one for external memory
 * only after tens of MB of it (measured: a 100 MB upload peaked ~35 MiB above a tiny one, the
 * file's chunks waiting for a collection). A young-generation collection every few MB sent
 * frees them (~1 ms each on this VM). `gc` is reached the documented way for a running process:
 * the flag is set, and a new context (which sees it) hands the function over.
 */
import type { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = (options?: { type?: 'minor' | 'major'; execution?: 'sync' | 'async' }) => void;

/** Bytes sent between two collections. */
const COLLECT_EVERY = 2 * 1024 * 1024;

let gc: Gc | null | undefined;

function collector(): Gc | null {
  if (gc !== undefined) return gc;
  try {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as Gc;
  } catch {
    gc = null;
  }
  return gc;
}

/** The chunks of `source`, with a young-generation collection every COLLECT_EVERY bytes. */
export async function* collectingAsRead(source: Readable | AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let since = 0;
  for await (const chunk of source as AsyncIterable<Buffer>) {
    yield chunk;
    since += chunk.length;
    if (since >= COLLECT_EVERY) {
      since = 0;
      collector()?.({ type: 'minor' });
    }
  }
}

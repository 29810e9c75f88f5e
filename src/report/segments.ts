/**
 * Streaming report files. Each notebook's part of a report is appended to its own temp file
 * (a segment) while the notebook runs, so no reporter holds results in memory and parallel
 * notebooks (--jobs) never interleave. When the run ends, the report is assembled in notebook
 * order — its head (summary, failures) first, then each segment — into a temp file that is
 * renamed over the target: the file is whole or absent, also after a failure or Ctrl-C.
 */
import { closeSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createTemp, createTempDir, PRIVATE, SHARED } from '../files/atomic-write.js';

const FLUSH_AT = 64 * 1024;

/**
 * One buffer for every copy: assembly is synchronous, and a fresh megabyte per segment (four
 * reports of nine notebooks) stayed allocated outside the heap until a GC came (36 MB on Node 24).
 */
let copyChunk: Buffer | undefined;

/** Buffered, synchronous appends to one file descriptor. */
export class FileWriter {
  private buffer = '';
  private fd: number | undefined;

  /** Opens `path` as a new file ('wx': never an existing one, never through a symlink), or uses `fd`. */
  constructor(readonly path: string, fd?: number) {
    this.fd = fd ?? openSync(path, 'wx', PRIVATE);
  }

  write(text: string): void {
    this.buffer += text;
    if (this.buffer.length >= FLUSH_AT) this.flush();
  }

  /** Appends another file's bytes, in chunks. */
  copyFrom(path: string): void {
    this.flush();
    const src = openSync(path, 'r');
    const chunk = (copyChunk ??= Buffer.allocUnsafe(1 << 20));
    try {
      for (let n; (n = readSync(src, chunk, 0, chunk.length, null)) > 0; ) writeSync(this.fd!, chunk, 0, n);
    } finally {
      closeSync(src);
    }
  }

  flush(): void {
    if (this.buffer && this.fd !== undefined) writeSync(this.fd, this.buffer);
    this.buffer = '';
  }

  close(): void {
    if (this.fd === undefined) return;
    this.flush();
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/** The segments of one report file, and its assembly. */
export class SegmentedFile {
  /** A private folder with a random name (write.ts), made when the first segment starts. */
  private partsDir: string | undefined;
  private readonly open = new Map<number, FileWriter>();
  private readonly done = new Set<number>();

  constructor(readonly file: string) {
    sweepStale(dirname(file), basename(file));
  }

  /** The writer of a notebook's segment (slot = its position in the run). */
  segment(slot: number): FileWriter {
    if (this.partsDir === undefined) {
      mkdirSync(dirname(this.file), { recursive: true });
      this.partsDir = createTempDir(this.file);
    }
    const w = new FileWriter(join(this.partsDir, `${slot}.part`));
    this.open.set(slot, w);
    return w;
  }

  endSegment(slot: number): void {
    this.open.get(slot)?.close();
    this.open.delete(slot);
    this.done.add(slot);
  }

  /** Slots whose segment exists, in notebook order. */
  slots(): number[] {
    return [...new Set([...this.done, ...this.open.keys()])].sort((a, b) => a - b);
  }

  /**
   * Writes the report: `write` gets a writer and a function that appends a slot's segment.
   * Temp file, then rename; the segments are removed either way.
   */
  assemble(write: (out: FileWriter, appendSegment: (slot: number) => void) => void): void {
    for (const slot of [...this.open.keys()]) this.endSegment(slot);
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = createTemp(this.file, SHARED);
    const out = new FileWriter(temp.path, temp.fd);
    try {
      write(out, (slot) => {
        if (this.done.has(slot) && this.partsDir !== undefined) out.copyFrom(join(this.partsDir, `${slot}.part`));
      });
      out.close();
      renameSync(temp.path, this.file);
    } catch (err) {
      out.close();
      rmSync(temp.path, { force: true });
      throw err;
    } finally {
      this.discard();
    }
  }

  /** Removes the segments (the run ended without a report, or it was assembled). */
  discard(): void {
    for (const w of this.open.values()) w.close();
    this.open.clear();
    if (this.partsDir !== undefined) rmSync(this.partsDir, { recursive: true, force: true });
    this.partsDir = undefined;
  }
}

/**
 * A run killed outright (SIGKILL, power loss) cannot clean up: its segments and temp files stay
 * beside the report. The next run into the same folder removes those of processes that are gone.
 */
function sweepStale(dir: string, name: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  const prefix = `.${name}.`;
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)\./.exec(entry.slice(prefix.length))?.[1]);
    if (!pid || pid === process.pid || alive(pid)) continue;
    rmSync(join(dir, entry), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

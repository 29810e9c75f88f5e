/**
 * Reads a file up to a limit, never past it: at most one byte more than `limit` is read, so a
 * huge file (or /dev/zero) costs nothing and says how large it is. Used by the notebook loader
 * and by `import`, each with its own limit and its own wording of the refusal.
 */
import { open } from 'node:fs/promises';

export type Capped = { bytes: Buffer } | { tooLarge: number; head: Buffer };

export async function readCapped(file: string, limit: number): Promise<Capped> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) return { tooLarge: Math.max((await handle.stat()).size, length), head: buffer.subarray(0, 200) };
    }
    return { bytes: buffer.subarray(0, length) };
  } finally {
    await handle.close();
  }
}

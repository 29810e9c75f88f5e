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
    // Sized by the file (a limit of 16 MiB must not cost 16 MiB per small notebook), grown only
    // for a file that grows while read or a device that has no size (/dev/zero).
    const size = (await handle.stat()).size;
    let buffer = Buffer.allocUnsafe(Math.min(limit, size) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length && buffer.length < limit + 1) {
        const bigger = Buffer.allocUnsafe(Math.min(limit + 1, Math.max(buffer.length * 2, 64 * 1024)));
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === limit + 1) return { tooLarge: Math.max(size, length), head: buffer.subarray(0, 200) };
    }
    return { bytes: buffer.subarray(0, length) };
  } finally {
    await handle.close();
  }
}

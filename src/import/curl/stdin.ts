/**
 * `import - --from curl`: the command lines come on stdin (`pbpaste | api-notebook import - …`).
 * A terminal on stdin would wait for typing that never comes, so it is refused at once; what
 * is read is capped like a file (IMPORT_LIMITS), so an endless stream cannot fill memory.
 */
import { ImportError } from '../draft.js';
import { IMPORT_LIMITS, tooLarge } from '../limits.js';

export async function readStdin(stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (stdin.isTTY) throw new ImportError('stdin is a terminal: nothing was piped in', undefined, 'pipe the command lines in (pbpaste | api-notebook import - --from curl), or give the file that holds them');
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    length += buffer.length;
    if (length > IMPORT_LIMITS.fileBytes) {
      stdin.destroy();
      throw tooLarge('stdin', length);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

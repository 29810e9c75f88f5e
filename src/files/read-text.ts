/** A file's text, for showing a source line or sniffing a header: none if it cannot be read now (that is reported elsewhere). */
import { readFileSync } from 'node:fs';

export function readTextIfPresent(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

// Build step: the page of `api-notebook open` is plain HTML, CSS and browser JavaScript (no
// bundler); tsc does not copy them, so they are copied next to the compiled server.
import { cpSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
cpSync(join(root, 'src', 'open', 'page'), join(root, 'dist', 'open', 'page'), { recursive: true });

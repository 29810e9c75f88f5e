/**
 * The installed package's folder (where package.json, schemas/ and dist/ are). Found by walking up
 * from this module rather than by a fixed number of `..`: the module sits at a different depth in
 * the sources (src/files/), tsc's output (dist/files/) and the bundled CLI (dist/cli/chunks/).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'api-notebook') return dir;
      } catch {
        // A package.json that does not parse is not ours: keep walking.
      }
    }
    if (dirname(dir) === dir) throw new Error(`api-notebook: no package.json of api-notebook above ${from}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

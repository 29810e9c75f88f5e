// Build step: the CLI as one bundled entry (dist/cli/main.js, the bin) with a chunk per command
// (dist/cli/chunks/), so that start-up reads a few files instead of walking hundreds of modules,
// and a command still loads only what it imports (`splitting` keeps main.ts's dynamic import()s lazy).
// Runs after tsc: the rest of dist/ (the standalone validators, the live page's assets) stays where
// the code finds it from the package's root (src/files/package-root.ts).
// Dependencies are bundled too, except what the code loads with createRequire at run time (undici,
// pino, swagger2openapi, …): esbuild leaves those calls alone, so they stay lazy and resolve from
// node_modules as before.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist', 'cli', 'chunks'), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/cli/main.ts' },
  outdir: 'dist/cli',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // CommonJS dependencies bundled into ESM call require() for node's built-ins: give them one.
  banner: { js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});

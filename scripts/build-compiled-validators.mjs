// Build step: compiles the shipped schemas (schemas/*.json, for `schema: <name>`) and the shipped
// Stripe description's schemas (`openapi: stripe-2015-07-28`) into ajv standalone validators in
// dist/compiled/, through the same code path and keys a run uses (src/cache/compile-cache.ts), in
// one module per ajv instance: the shipped schemas', and each side of the description's (src/cache/packs.ts).
// A run then loads them instead of compiling; an entry whose key no longer matches (a schema
// edited after the build, another ajv) is simply not found, and the run compiles as before.
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const { configureCompileCache, cacheStats, BUILT_DIR, writePacks } = await import(join(dist, 'cache', 'compile-cache.js'));
const { SchemaRegistry } = await import(join(dist, 'checks', 'schemas.js'));
const { loadDescription } = await import(join(dist, 'openapi', 'load.js'));
const { child } = await import(join(dist, 'openapi', 'resolve.js'));

rmSync(BUILT_DIR, { recursive: true, force: true });
configureCompileCache({ writeDir: BUILT_DIR });

const registry = new SchemaRegistry(root);
const names = readdirSync(join(root, 'schemas')).filter((f) => f.endsWith('.json') && f !== 'notebook.schema.json' && !f.endsWith('.openapi.json'));
for (const f of names) registry.named(f.slice(0, -5), root);

for (const f of readdirSync(join(root, 'schemas')).filter((n) => n.endsWith('.openapi.json'))) {
  const description = await loadDescription(join(root, 'schemas', f));
  for (const op of description.operations) {
    for (const response of op.responses.values()) {
      for (const media of Object.keys(response.value.content ?? {})) description.validator(child(response, 'content', media, 'schema'));
      for (const name of Object.keys(response.value.headers ?? {})) {
        const header = description.files.deref(child(response, 'headers', name));
        if (header?.value?.schema !== undefined) description.validator(child(header, 'schema'), 'response', true);
      }
    }
    for (const media of Object.keys(op.requestBody?.value?.content ?? {})) {
      for (const text of [false, true]) description.validator(child(op.requestBody, 'content', media, 'schema'), 'request', text);
    }
    for (const p of op.parameters) if (p.schema) description.validator(p.schema, 'request', true);
  }
}
// Every validator compiled above was collected, not written: now one pack per ajv instance.
const files = cacheStats.writes;
const packed = writePacks(BUILT_DIR);
if (cacheStats.ignored) throw new Error(`build-compiled-validators: ${cacheStats.ignored} validators could not be written`);
console.log(`dist/compiled: ${files} validators in files of their own, ${packed} in ${cacheStats.writes - files} packs`);

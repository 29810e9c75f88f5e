// Preloaded with --import by test/startup/lazy-load.test.ts: appends every module the process loads to
// the file in LOAD_TRACE, ES modules (through a resolve hook) and CommonJS (through Module._load).
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

const log = process.env.LOAD_TRACE;
register('data:text/javascript,' + encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, 'esm ' + r.url + '\\n');
  return r;
}`));
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const loaded = load.apply(this, arguments);
  try {
    appendFileSync(log, 'cjs ' + Module._resolveFilename(request, parent, isMain) + '\n');
  } catch {
    appendFileSync(log, 'cjs ' + request + '\n');
  }
  return loaded;
};

// Build step: compiles schemas/notebook.schema.json into standalone validation code
// (ajv's standalone output), so `run` and `validate` do not spend ~100 ms compiling the
// format's schema at every start. The file records the schema's hash; the loader falls back
// to compiling at run time when the schema has changed since the build.
// Then the same for the JSON Schema 2020-12 meta-schema, which checks the schemas notebooks
// name (src/checks/meta-schema.ts): ~50 ms at every start otherwise. That file records ajv's
// version, whose meta-schema it is.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const text = readFileSync(join(root, 'schemas', 'notebook.schema.json'), 'utf8');
const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true, code: { source: true } });
const validate = ajv.compile(JSON.parse(text));
const code = standaloneCode.default(ajv, validate);
const hash = createHash('sha256').update(text).digest('hex');
const out = join(root, 'dist', 'notebook', 'notebook-schema.validator.cjs');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${code}\nmodule.exports.schemaHash = ${JSON.stringify(hash)};\n`);

// Formats are annotations in 2020-12: ajv's own check of a schema ignores them too.
const meta = new Ajv2020({ allErrors: true, strict: false, code: { source: true } });
const metaValidate = meta.getSchema('https://json-schema.org/draft/2020-12/schema');
const { version } = createRequire(import.meta.url)('ajv/package.json');
const metaOut = join(root, 'dist', 'checks', 'json-schema-2020-12.validator.cjs');
mkdirSync(dirname(metaOut), { recursive: true });
writeFileSync(metaOut, `${standaloneCode.default(meta, metaValidate)}\nmodule.exports.ajvVersion = ${JSON.stringify(version)};\n`);

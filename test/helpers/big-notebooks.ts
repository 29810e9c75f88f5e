/**
 * Generated notebooks of the sizes real suites reach (issue 23 §4), for the loader's tests and
 * `npm run bench` (bench/big.bench.ts): rounds of create / get / delete against the bench's item
 * server (bench/item-server.mjs) or any server that answers those three routes the same way.
 *
 * - blockNotebook: block style, each step's schema written inline under `expect.schema`, as a
 *   generated suite writes it: 900 steps ≈ 400 KiB, 10,000 steps ≈ 4.5 MB; `padded` writes a
 *   three-line `doc:` per step (2,000 steps ≈ 1.3 MB).
 * - flowNotebook: one line per key, schemas by name (10,000 steps ≈ 1.3 MB, 2.7 MB `padded`).
 */

const ITEM_SCHEMA = [
  'type: object',
  'required: [id, object, name, created]',
  'properties:',
  '  id:',
  '    type: string',
  '  object:',
  '    const: item',
  '  name:',
  '    type: string',
  '  created:',
  '    type: integer',
];
const DELETED_SCHEMA = ['type: object', 'required: [id, deleted]', 'properties:', '  deleted:', '    const: true'];

const indent = (lines: string[], by: string) => lines.map((l) => by + l);

export interface BigOptions {
  /** A `doc:` on every step, as generated suites carry (the text of an OpenAPI summary). */
  padded?: boolean;
}

const DESCRIPTION_LINES = [
  'Generated from the OpenAPI description of the items API: the request is sent as the',
  'operation describes it, the status and the body are checked against the response schema',
  'written inline below, and the value kept is used by the steps that follow this one.',
];
const DESCRIPTION = 'Generated from the OpenAPI description: checks the status, the body against the schema, and keeps the value for later steps';

/** `steps` steps (a multiple of 3 is a whole number of rounds) in block style with inline schemas. */
export function blockNotebook(steps: number, options: BigOptions = {}): string {
  const lines = ['title: Big block-style notebook', 'steps:'];
  for (let i = 0; i < steps; i++) {
    const r = Math.floor(i / 3);
    const kind = i % 3;
    const desc = options.padded
      ? ['    doc: >-', ...DESCRIPTION_LINES.map((l) => `      ${l}`)]
      : [`    doc: Step ${i + 1} of ${steps}, checked against the item server (its status, its schema and its capture)`];
    if (kind === 0) {
      lines.push(`  - name: Create ${r}`, ...desc, '    request:', '      method: POST', '      path: /items', '      form:', `        name: item${r}`,
        '    expect:', '      status: 200', '      schema:', ...indent(ITEM_SCHEMA, '        '), '    capture:', `      id${r}: body.id`);
    } else if (kind === 1) {
      lines.push(`  - name: Get ${r}`, ...desc, `    request: GET /items/\${id${r}}`, '    expect:', '      status: 200', '      schema:', ...indent(ITEM_SCHEMA, '        '),
        '    capture:', `      name${r}: body.name`);
    } else {
      lines.push(`  - name: Delete ${r}`, ...desc, `    request: DELETE /items/\${id${r}}`, '    expect:', '      status: 200', '      schema:', ...indent(DELETED_SCHEMA, '        '));
    }
  }
  return lines.join('\n') + '\n';
}

/** `steps` steps, one flow mapping per key, schemas by name (`schema: item` from a schemas/ folder). */
export function flowNotebook(steps: number, options: BigOptions = {}): string {
  const lines = ['title: Big notebook', 'steps:'];
  const desc = options.padded ? [`    doc: ${DESCRIPTION}`] : [];
  for (let i = 0; i < steps; i++) {
    const r = Math.floor(i / 3);
    const kind = i % 3;
    if (kind === 0) lines.push(`  - name: Create ${r}`, ...desc, `    request: { method: POST, path: /items, form: { name: item${r} } }`, '    expect: { status: 200, schema: item }', `    capture: { id${r}: body.id }`);
    else if (kind === 1) lines.push(`  - name: Get ${r}`, ...desc, `    request: GET /items/\${id${r}}`, '    expect: { status: 200, schema: item }', `    capture: { name${r}: body.name }`);
    else lines.push(`  - name: Delete ${r}`, ...desc, `    request: DELETE /items/\${id${r}}`, '    expect: { status: 200, schema: deleted }');
  }
  return lines.join('\n') + '\n';
}

/** The two named schemas flowNotebook uses, as files of a `schemas/` folder. */
export const NAMED_SCHEMAS: Record<string, object> = {
  'item.json': { type: 'object', required: ['id', 'object', 'name', 'created'], properties: { id: { type: 'string' }, object: { const: 'item' }, name: { type: 'string' }, created: { type: 'integer' } } },
  'deleted.json': { type: 'object', required: ['id', 'deleted'], properties: { deleted: { const: true } } },
};

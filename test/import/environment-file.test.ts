/** Environment files written by the importers: a name taken from an imported file cannot add YAML lines or leave environments/. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { environmentFile } from '../../src/import/environment-file.js';

test('a hostile environment name stays one file name and one comment line', () => {
  const name = '../../staging\nbaseUrl: http://evil.example\u2028x';
  const file = environmentFile(name, `http-client.env.json (${name})`, { vars: { a: 1 } });
  assert.match(file.path, /^environments\/[\w.-]+\.yaml$/);
  assert.ok(!file.path.slice('environments/'.length).includes('/'));
  assert.deepEqual(parse(file.text), { vars: { a: 1 } });
  assert.equal(file.text.split('\n')[0]!.startsWith('# Imported by api-notebook from http-client.env.json'), true);
  assert.equal(file.text.split('\n')[1], 'vars:');
});

test('an environment with nothing in it is an empty mapping', () => {
  assert.deepEqual(environmentFile('local', 'the Bruno environment Local.bru', {}), { path: 'environments/local.yaml', text: '# Imported by api-notebook from the Bruno environment Local.bru.\n{}\n' });
});

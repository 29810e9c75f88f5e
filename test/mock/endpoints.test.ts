/**
 * Every endpoint the 2015 reference documents is served: the reference's own signature lines
 * (`POST https://api.stripe.com/v1/charges/{CHARGE_ID}/capture`) and, for the retrieve sections
 * that print only a curl example, their first curl line — each found in the mock's route table.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ROUTES } from '../../src/mock/stripe/server.js';
import { REFERENCE } from '../helpers/reference-examples.js';

function documentedEndpoints(): string[] {
  const lines = readFileSync(REFERENCE, 'utf8').split('\n');
  const found = new Set<string>();
  for (const line of lines) {
    const m = /^(GET|POST|DELETE) https:\/\/api\.stripe\.com(\/v1\/[^?\s]*)/.exec(line);
    if (m) found.add(`${m[1]} ${m[2].replace(/\{[A-Z_]+\}/g, ':id')}`);
  }
  // "Retrieve a charge" and the like print no signature line: their first curl example is the endpoint.
  lines.forEach((line, i) => {
    if (!/^Retrieve an? /.test(line)) return;
    const curl = lines.slice(i).find((l) => l.startsWith('curl https://api.stripe.com/v1/'))!;
    const segments = curl.slice('curl https://api.stripe.com'.length).split(/[\s?]/)[0].split('/').slice(2);
    found.add(`GET /v1/${segments.map((s, k) => (k % 2 === 1 ? ':id' : s)).join('/')}`);
  });
  return [...found].sort();
}

describe('the endpoints of the 2015 reference', () => {
  it('all 43 are served by a route in the mock\'s table', () => {
    const documented = documentedEndpoints();
    assert.equal(documented.length, 43, documented.join('\n'));
    const served = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
    const missing = documented.filter((e) => !served.has(e));
    assert.deepEqual(missing, []);
    process.stdout.write(`# reference endpoints served: ${documented.length - missing.length}/${documented.length}\n`);
  });
});

/**
 * The build's validators (dist/compiled/, scripts/build-compiled-validators.mjs) answer exactly as
 * ajv compiling the same schemas at run time: same verdict and same error list, for every shipped
 * schema and every schema of the shipped Stripe description, on the bodies the embedded mock
 * answers the shipped notebooks with and on wrong ones made from them.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ValidateFunction } from 'ajv';
import { cacheStats, configureCompileCache } from '../../src/cache/compile-cache.js';
import { PACKAGE_ROOT, SchemaRegistry } from '../../src/checks/schemas.js';
import { loadDescription } from '../../src/openapi/load.js';
import { child } from '../../src/openapi/resolve.js';
import type { Description } from '../../src/openapi/description.js';
import { readJson, runCli, tempDir } from '../helpers/cli.js';
import { cpSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const SHIPPED = readdirSync(join(PACKAGE_ROOT, 'schemas')).filter((f) => f.endsWith('.json') && f !== 'notebook.schema.json' && !f.endsWith('.openapi.json')).map((f) => f.slice(0, -5));
const STRIPE = join(PACKAGE_ROOT, 'schemas', 'stripe-2015-07-28.openapi.json');

let samples: unknown[] = [];
const out = tempDir('api-notebook-built-');

before(async () => {
  // The shipped notebooks against the embedded mock: the bodies they really get.
  const r = await runCli(['run', 'notebooks', '--out', out, '--reporter', 'json', '--no-cache']);
  assert.equal(r.code, 0, r.stderr);
  const report = readJson(join(out, 'report.json'));
  const bodies: unknown[] = [];
  for (const nb of report.notebooks) for (const s of nb.steps) if (s.response?.body !== undefined) bodies.push(typeof s.response.body === 'string' ? tryJson(s.response.body) : s.response.body);
  assert.ok(bodies.length > 40, `${bodies.length} bodies`);
  samples = [...bodies, ...bodies.flatMap(wrongFrom), {}, null, 42, 'text', []];
});

after(() => {
  rmSync(out, { recursive: true, force: true });
  configureCompileCache({});
});

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Wrong bodies: a field of the wrong type, a field missing, an extra nested wrong value. */
function wrongFrom(body: unknown): unknown[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [];
  const keys = Object.keys(body).slice(0, 4);
  return keys.flatMap((k) => {
    const v = (body as Record<string, unknown>)[k];
    const { [k]: _gone, ...without } = body as Record<string, unknown>;
    return [{ ...body, [k]: typeof v === 'number' ? 'not a number' : 12.5 }, without, { ...body, [k]: [{ deep: { x: null } }] }];
  });
}

function same(built: ValidateFunction, fresh: ValidateFunction, what: string): number {
  let invalid = 0;
  for (const sample of samples) {
    const a = built(structuredClone(sample));
    const b = fresh(structuredClone(sample));
    assert.equal(a, b, `${what}: verdict on ${JSON.stringify(sample).slice(0, 200)}`);
    assert.deepEqual(built.errors ?? null, fresh.errors ?? null, `${what}: errors on ${JSON.stringify(sample).slice(0, 200)}`);
    if (!a) invalid++;
  }
  return invalid;
}

/** Every schema of a description, as runs ask for them. */
function descriptionValidators(d: Description): Array<[string, ValidateFunction]> {
  const out: Array<[string, ValidateFunction]> = [];
  const add = (label: string, v: ValidateFunction | Error) => {
    assert.ok(!(v instanceof Error), `${label}: ${String(v)}`);
    out.push([label, v as ValidateFunction]);
  };
  for (const op of d.operations) {
    for (const [status, response] of op.responses) for (const media of Object.keys(response.value.content ?? {})) add(`${op.label} ${status}`, d.validator(child(response, 'content', media, 'schema')));
    for (const media of Object.keys(op.requestBody?.value?.content ?? {})) add(`${op.label} request body`, d.validator(child(op.requestBody!, 'content', media, 'schema'), 'request', true));
    for (const p of op.parameters) if (p.schema) add(`${op.label} ${p.name}`, d.validator(p.schema, 'request', true));
  }
  return out;
}

describe('the build’s validators', () => {
  it('are the ones a run uses for the shipped schemas, and answer as ajv compiling them now', () => {
    configureCompileCache({ disabled: true });
    const before = { ...cacheStats };
    const built = new SchemaRegistry(PACKAGE_ROOT);
    const builtOnes = SHIPPED.map((n) => built.named(n, PACKAGE_ROOT));
    assert.equal(cacheStats.builtHits - before.builtHits, SHIPPED.length, 'every shipped schema comes from dist/compiled');
    assert.equal(cacheStats.compiles, before.compiles, 'nothing compiled');
    configureCompileCache({ disabled: true, noBuilt: true });
    const fresh = new SchemaRegistry(PACKAGE_ROOT);
    let invalid = 0;
    SHIPPED.forEach((n, i) => (invalid += same(builtOnes[i]!, fresh.named(n, PACKAGE_ROOT), `schema ${n}`)));
    assert.equal(cacheStats.compiles - before.compiles, SHIPPED.length);
    assert.ok(invalid > SHIPPED.length, 'wrong bodies were judged invalid');
  });

  it('answer as ajv for every schema of the shipped Stripe description', async () => {
    configureCompileCache({ disabled: true });
    const before = { ...cacheStats };
    const builtList = descriptionValidators(await loadDescription(STRIPE));
    assert.equal(cacheStats.compiles, before.compiles, 'nothing compiled');
    assert.ok(cacheStats.builtHits - before.builtHits > 100, `${cacheStats.builtHits - before.builtHits} from dist/compiled`);
    configureCompileCache({ disabled: true, noBuilt: true });
    const freshList = descriptionValidators(await loadDescription(STRIPE));
    assert.equal(freshList.length, builtList.length);
    let invalid = 0;
    let valid = 0;
    builtList.forEach(([label, v], i) => {
      const bad = same(v, freshList[i]![1], label);
      invalid += bad;
      valid += samples.length - bad;
    });
    assert.ok(invalid > 0 && valid > 0, `${valid} valid, ${invalid} invalid`);
  });
});

describe('the build’s validators, packed', () => {
  it('are one module per ajv instance, so the schemas they share are compiled once', () => {
    const dir = join(PACKAGE_ROOT, 'dist', 'compiled');
    const files = readdirSync(dir);
    const index = readJson(join(dir, 'packs.json')) as Record<string, [string, string]>;
    const packs = new Set(Object.values(index).map(([pack]) => pack));
    assert.ok(Object.keys(index).length > 150, `${Object.keys(index).length} validators packed`);
    assert.deepEqual(files.filter((f) => f.endsWith('.cjs')).sort(), [...packs].map((p) => `${p}.cjs`).sort(), 'no validator in a file of its own');
    // One file per validator, each with its own copy of what it refers to, was 9.5 MB.
    const bytes = files.reduce((n, f) => n + statSync(join(dir, f)).size, 0);
    assert.ok(bytes < 3e6, `dist/compiled holds ${(bytes / 1e6).toFixed(1)} MB`);
  });

  it('a pack edited after the build is ignored, its validators compiled, the verdicts the same', () => {
    const copy = movedPackage();
    try {
      const dir = join(copy, 'dist', 'compiled');
      const biggest = readdirSync(dir).filter((f) => f.endsWith('.cjs')).sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0]!;
      writeFileSync(join(dir, biggest), readFileSync(join(dir, biggest), 'utf8').replace('"use strict";', '"use strict";globalThis.tampered = 1;'));
      const r = spawnSync(process.execPath, [join(copy, 'dist', 'cli', 'main.js'), 'run', 'notebooks', '--out', join(copy, 'reports'), '-q', '--no-cache'], { cwd: copy, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1', API_NOTEBOOK_DEBUG: 'cache' } });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`ignored \\S*${biggest}: its content does not match its hash`));
      assert.match(r.stderr, /^api-notebook cache: compile/m);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

/** The package copied to a temporary folder (its node_modules linked). */
function movedPackage(): string {
  const copy = tempDir('api-notebook-moved-');
  for (const part of ['dist', 'schemas', 'notebooks', 'package.json']) cpSync(join(PACKAGE_ROOT, part), join(copy, part), { recursive: true });
  symlinkSync(join(PACKAGE_ROOT, 'node_modules'), join(copy, 'node_modules'));
  return copy;
}

describe('the build’s validators, the package moved', () => {
  it('serve the shipped notebooks wherever the package is installed: nothing compiled', () => {
    const copy = movedPackage();
    try {
      const r = spawnSync(process.execPath, [join(copy, 'dist', 'cli', 'main.js'), 'run', 'notebooks', '--out', join(copy, 'reports'), '-q', '--no-cache'], { cwd: copy, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1', API_NOTEBOOK_DEBUG: 'cache' } });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /^api-notebook cache: built/m);
      assert.doesNotMatch(r.stderr, /^api-notebook cache: (compile|ignored)/m);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

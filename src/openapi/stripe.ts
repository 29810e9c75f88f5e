/**
 * Generates schemas/stripe-2015-07-28.openapi.json, the embedded mock's contract as an OpenAPI 3.1
 * description, from the two things that define the mock: its route table (every route becomes an
 * operation) and the JSON Schemas in schemas/ (components refer to the files, never copy them).
 * `npm run openapi:stripe` writes the file; a test fails when the committed file differs from
 * what this generates, so the description cannot drift from the mock.
 */
import { readdirSync } from 'node:fs';
import { API_VERSION, ROUTES } from '../mock/stripe/server.js';
import type { Route } from '../mock/stripe/routes/types.js';

export const STRIPE_DESCRIPTION_FILE = `stripe-${API_VERSION}.openapi.json`;

/** Error statuses the mock answers with (Stripe's error shape, schemas/error.json). */
const ERRORS: Record<string, string> = {
  400: 'invalid_request_error: a parameter is missing, unknown or invalid (or an Idempotency-Key was reused with other parameters)',
  401: 'No API key, or one that is not a test key (sk_test_…)',
  402: 'card_error: the parameters were valid but the card was declined or is invalid',
  404: 'invalid_request_error: no such object',
  413: 'invalid_request_error: the request body is larger than 1 MiB',
};
const ERRORS_BY_METHOD: Record<Route['method'], string[]> = {
  GET: ['400', '401', '404'],
  DELETE: ['400', '401', '404'],
  POST: ['400', '401', '402', '404', '413'],
};
/**
 * Routes whose answer the naming rules below would get wrong: cancelling a subscription returns it,
 * and a deleted customer still retrieves (as `{ id, object, deleted: true }`).
 */
const ANSWERS: Record<string, { verb: string; schema: string | string[] }> = {
  'DELETE /v1/customers/:id/subscriptions/:id': { verb: 'Cancel a subscription', schema: 'subscription' },
  'GET /v1/customers/:id': { verb: 'Retrieve a customer (a deleted one too)', schema: ['customer', 'deleted_customer'] },
  'GET /v1/invoices/:id/lines': { verb: "List an invoice's line items", schema: 'line_item_list' },
};
const LIST_PARAMS = [
  { name: 'limit', schema: { type: 'integer', minimum: 1, maximum: 100, default: 10 }, description: 'How many objects to return (1 to 100).' },
  { name: 'starting_after', schema: { type: 'string' }, description: 'An object id: return the objects after it (the next page).' },
  { name: 'ending_before', schema: { type: 'string' }, description: 'An object id: return the objects before it (the previous page).' },
  { name: 'include[]', schema: { type: 'string', enum: ['total_count'] }, description: '`total_count` adds the number of objects to the list.' },
];

export function stripeDescription(schemasDir: string): Record<string, unknown> {
  const known = new Set(readdirSync(schemasDir).filter((f) => f.endsWith('.json') && f !== 'notebook.schema.json' && !f.endsWith('.openapi.json')).map((f) => f.slice(0, -5)));
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const template = templateOf(route.path);
    const item = (paths[template] ??= {});
    if (!item.parameters) {
      const params = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' }, description: `The ${m[1]}'s id.` }));
      if (params.length) item.parameters = params;
    }
    item[route.method.toLowerCase()] = operation(route, template, known);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: `Stripe API ${API_VERSION} (the embedded mock)`,
      version: API_VERSION,
      description: 'Every endpoint the embedded Stripe mock serves, as the 2015-07-28 API reference documents it. Generated from the mock\'s route table by `npm run openapi:stripe`; the component schemas are the JSON Schemas beside this file. Request bodies are form-encoded (card[number]=…); every response is JSON.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: 'https://api.stripe.com', description: 'Stripe (or the embedded mock: api-notebook mock)' }],
    security: [{ basicAuth: [] }, { bearerAuth: [] }],
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      securitySchemes: {
        basicAuth: { type: 'http', scheme: 'basic', description: 'The secret key as the user name, no password.' },
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'The secret key as the bearer token.' },
      },
      responses: Object.fromEntries(Object.entries(ERRORS).map(([status, description]) => [`error_${status}`, { description, content: json('error') }])),
      schemas: Object.fromEntries([...known].sort().map((name) => [name, { $ref: `${name}.json` }])),
    },
  };
}

function operation(route: Route, template: string, known: Set<string>): Record<string, unknown> {
  const { verb, schema } = answerOf(route, known);
  const op: Record<string, unknown> = {
    operationId: operationId(route.method, template),
    summary: verb,
    tags: [literals(route.path)[0]],
  };
  const isList = route.method === 'GET' && typeof schema === 'string' && schema.endsWith('list');
  if (isList) op.parameters = LIST_PARAMS.map((p) => ({ ...p, in: 'query', required: false }));
  if (route.method === 'POST') {
    op.requestBody = { required: false, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', additionalProperties: true } } } };
  }
  op.responses = {
    200: { description: verb, content: json(schema) },
    ...Object.fromEntries(ERRORS_BY_METHOD[route.method].map((s) => [s, { $ref: `#/components/responses/error_${s}` }])),
  };
  return op;
}

/** What the route answers with: the first schema of its candidates that exists in schemas/. */
function answerOf(route: Route, known: Set<string>): { verb: string; schema: string | string[] } {
  const fixed = ANSWERS[`${route.method} ${route.path}`];
  if (fixed) return fixed;
  const lits = literals(route.path);
  const last = lits[lits.length - 1];
  const endsWithId = route.path.endsWith('/:id');
  const noun = singular(last);
  const owner = lits.length > 1 ? singular(lits[lits.length - 2]) : noun;
  let verb: string;
  let candidates: string[];
  if (route.path === '/v1/account') {
    verb = 'Retrieve the account';
    candidates = ['account'];
  } else if (route.method === 'DELETE') {
    verb = endsWithId ? `Delete ${a(noun)}` : `Delete the ${owner}'s ${last}`;
    candidates = ['deleted'];
  } else if (route.method === 'GET' && !endsWithId) {
    verb = lits.length > 1 ? `List ${a(owner)}'s ${last}` : `List ${last}`;
    // A nested collection may have its own schema (a recipient's cards: recipient_card_list).
    candidates = [`${owner}_${noun}_list`, `${noun}_list`, 'list'];
  } else if (route.method === 'POST' && !endsWithId && lits.length > 1 && !known.has(noun) && noun !== 'source') {
    verb = `${capitalize(last)} ${a(owner)}`;
    candidates = [owner];
  } else {
    verb = `${route.method === 'GET' ? 'Retrieve' : endsWithId ? 'Update' : 'Create'} ${a(noun)}`;
    candidates = [`${owner}_${noun}`, noun];
  }
  candidates = candidates.map((c) => (c === 'source' ? 'card' : c.replace(/^source_/, 'card_')));
  const schema = candidates.find((c) => known.has(c));
  if (!schema) throw new Error(`no schema in schemas/ for ${route.method} ${route.path} (tried ${candidates.join(', ')}): add one, or teach answerOf in src/openapi/stripe.ts`);
  return { verb, schema };
}

/** `/v1/customers/:id/cards/:id` → `/v1/customers/{customer}/cards/{card}`. */
export function templateOf(path: string): string {
  const parts = path.split('/');
  return parts.map((p, i) => (p === ':id' ? `{${singular(parts[i - 1])}}` : p)).join('/');
}

function literals(path: string): string[] {
  return path.split('/').filter((p) => p && p !== 'v1' && p !== ':id');
}

function a(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun.replace(/_/g, ' ')}`;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function singular(word: string): string {
  return word.endsWith('ies') ? `${word.slice(0, -3)}y` : word.endsWith('s') ? word.slice(0, -1) : word;
}

function operationId(method: string, template: string): string {
  const words = template.split('/').filter((p) => p && p !== 'v1').map((p) => p.replace(/[{}]/g, ''));
  return [method.toLowerCase(), ...words].map((w) => w.split(/[_\W]+/).map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join('')).join('');
}

function json(schema: string | string[]): Record<string, unknown> {
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  return { 'application/json': { schema: typeof schema === 'string' ? ref(schema) : { oneOf: schema.map(ref) } } };
}

export function stripeDescriptionText(schemasDir: string): string {
  return JSON.stringify(stripeDescription(schemasDir), null, 2) + '\n';
}

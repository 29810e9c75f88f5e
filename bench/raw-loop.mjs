// The floor to compare against: the same requests and checks as the benchmark notebook, written
// by hand with undici and ajv (status check, schema check, capture of the id), nothing else.
import { Agent, request } from 'undici';
import { Ajv2020 } from 'ajv/dist/2020.js';

const [base, roundsText] = process.argv.slice(2);
const rounds = Number(roundsText);
const agent = new Agent({ keepAliveTimeout: 30_000 });
const ajv = new Ajv2020({ allErrors: true });
const item = ajv.compile({ type: 'object', required: ['id', 'object', 'name', 'created'], properties: { id: { type: 'string' }, object: { const: 'item' }, name: { type: 'string' }, created: { type: 'integer' } } });
const deleted = ajv.compile({ type: 'object', required: ['id', 'deleted'], properties: { deleted: { const: true } } });

async function call(method, path, body, validate) {
  const res = await request(base + path, { dispatcher: agent, method, body, headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {} });
  const json = JSON.parse(await res.body.text());
  if (res.statusCode !== 200 || !validate(json)) throw new Error(`${method} ${path}: ${res.statusCode}`);
  return json;
}

for (let i = 0; i < rounds; i++) {
  const { id } = await call('POST', '/items', `name=item${i}`, item);
  await call('GET', `/items/${id}`, undefined, item);
  await call('DELETE', `/items/${id}`, undefined, deleted);
}
await agent.close();

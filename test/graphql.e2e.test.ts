/**
 * `graphql:` requests against a real GraphQL server (graphql-yoga) on 127.0.0.1, through the
 * built bin: the standard JSON POST (and GET) with its headers, `errors` in a 200 response
 * failing the step with the errors' messages, `expect.graphqlErrors: true` expecting them, and
 * that check failing when none come.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSchema, createYoga } from 'graphql-yoga';
import { readJson, runCli, tempDir, writeNotebook } from './helpers/cli.js';

let server: Server;
let url: string;
const seen: Array<{ method: string; headers: IncomingHttpHeaders; url: string }> = [];

before(async () => {
  const yoga = createYoga({
    logging: false,
    maskedErrors: false,
    schema: createSchema({
      typeDefs: /* GraphQL */ `
        type Query {
          hello(name: String!): String!
          boom: String
          count: Int!
        }
      `,
      resolvers: {
        Query: {
          hello: (_: unknown, { name }: { name: string }) => `Hello, ${name}`,
          boom: () => {
            throw new Error('the boom resolver failed');
          },
          count: () => 3,
        },
      },
    }),
  });
  server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', headers: req.headers, url: req.url ?? '' });
    void yoga(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => {
  server.closeAllConnections();
  server.close(() => r());
}));

async function run(text: string) {
  const out = tempDir();
  const result = await runCli(['run', writeNotebook(text), '--base-url', url, '--out', out]);
  const report = readJson(join(out, 'report.json'));
  return { ...result, steps: report.notebooks[0].steps as any[] };
}

describe('graphql requests', () => {
  it('sends the standard POST JSON with its headers; data is body.data', async () => {
    seen.length = 0;
    const r = await run(`title: GraphQL
vars:
  who: Ada
steps:
  - name: Hello
    request:
      method: POST
      path: /graphql
      graphql:
        query: |
          query Hello($name: String!) { hello(name: $name) }
        variables: { name: "\${who}" }
        operationName: Hello
    expect:
      status: 200
      body: { data: { hello: "Hello, Ada" } }
    capture:
      greeting: body.data.hello
  - name: Over GET
    request:
      method: GET
      path: /graphql
      graphql: { query: "{ count }" }
    expect: { body: { data: { count: 3 } } }
`);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.steps[0].captures.greeting, 'Hello, Ada');
    assert.equal(seen[0].method, 'POST');
    assert.equal(seen[0].headers['content-type'], 'application/json');
    assert.equal(seen[0].headers.accept, 'application/graphql-response+json, application/json');
    assert.deepEqual(JSON.parse(r.steps[0].request.body), { query: 'query Hello($name: String!) { hello(name: $name) }\n', variables: { name: 'Ada' }, operationName: 'Hello' });
    assert.equal(seen[1].method, 'GET');
    assert.match(seen[1].url, /\?query=%7B%20count%20%7D$/);
    assert.ok(r.steps[0].checks.some((c: any) => c.kind === 'graphql' && c.passed));
  });

  it('errors in a 200 response fail the step with their messages, unless expect.graphqlErrors: true', async () => {
    const r = await run(`title: GraphQL errors
steps:
  - name: Boom
    continueOnFailure: true
    request: { method: POST, path: /graphql, graphql: { query: "{ boom count }" } }
    expect: { status: 200 }
  - name: Boom, expected
    request: { method: POST, path: /graphql, graphql: { query: "{ boom }" } }
    expect: { status: 200, graphqlErrors: true }
  - name: Errors expected, none came
    continueOnFailure: true
    request: { method: POST, path: /graphql, graphql: { query: "{ count }" } }
    expect: { graphqlErrors: true }
  - name: A validation error is a 400 with errors
    request: { method: POST, path: /graphql, graphql: { query: "{ nope }" } }
    expect: { status: 400, graphqlErrors: true }
`);
    assert.equal(r.code, 1);
    const [boom, expected, none, invalid] = r.steps;
    assert.equal(boom.status, 'failed');
    const check = boom.checks.find((c: any) => c.kind === 'graphql');
    assert.equal(check.passed, false);
    assert.match(check.message, /1 GraphQL error: the boom resolver failed \(at boom\)/);
    // The status check passed: only the GraphQL check says what went wrong.
    assert.ok(boom.checks.find((c: any) => c.kind === 'status').passed);
    assert.match(r.stdout, /the boom resolver failed/);
    assert.equal(expected.status, 'passed', JSON.stringify(expected.checks));
    assert.equal(none.status, 'failed');
    assert.match(none.checks.find((c: any) => c.kind === 'graphql').message, /no GraphQL `errors`/);
    assert.equal(invalid.status, 'passed', JSON.stringify(invalid.checks));
  });

  it('a graphql block that is not a mapping with a query is a located diagnostic, exit 2', async () => {
    const { code, stderr } = await runCli(['validate', writeNotebook(`title: Bad
baseUrl: http://127.0.0.1:1
steps:
  - name: No query
    request: { method: POST, path: /graphql, graphql: { variables: {} } }
`)]);
    assert.equal(code, 2);
    assert.match(stderr, /missing required key `query`/);
    assert.match(stderr, /nb\.yaml:5:\d+/);
  });

  it('expect.graphqlErrors on a request without graphql: is a located diagnostic', async () => {
    const { code, stderr } = await runCli(['validate', writeNotebook(`title: Bad
baseUrl: http://127.0.0.1:1
steps:
  - name: Not GraphQL
    request: { method: POST, path: /graphql, json: { query: "{ a }" } }
    expect: { graphqlErrors: true }
`)]);
    assert.equal(code, 2);
    assert.match(stderr, /`graphqlErrors` checks the errors of a GraphQL response, but this request has no `graphql:`\n --> [^\n]*nb\.yaml:6:15/);
  });
});

/**
 * The redactor's own cost, in-process: a typical step result (a GET with a bearer token, a small
 * JSON body, two checks, a capture) redacted with 3 secrets in every form. The wall-clock rows of
 * the runner benchmark cannot show a few microseconds on a busy machine; this can.
 */
import { Redactor } from '../src/run/redact.js';

export function redactionCost(secrets: string[]): { microsPerResult: number; microsPerResultClean: number } {
  const redactor = new Redactor();
  for (const s of secrets) redactor.add(s);
  const result = (token: string) => ({
    name: 'Get 12', phase: 'steps', index: 37, status: 'passed', durationMs: 0.8, startedAt: new Date().toISOString(),
    span: { file: 'big.yaml', line: 40, col: 5 },
    request: { method: 'GET', url: 'http://127.0.0.1:43211/items/it_000123', headers: { 'user-agent': 'api-notebook/0.1', authorization: `Bearer ${token}` } },
    response: {
      status: 200, durationMs: 0.4,
      headers: { 'content-type': 'application/json', 'content-length': '80', date: new Date().toUTCString(), connection: 'keep-alive' },
      body: { id: 'it_000123', object: 'item', name: 'item12', created: 1700000000 },
    },
    checks: [
      { kind: 'status', label: 'status', passed: true, expected: 200, actual: 200, span: { file: 'big.yaml', line: 41, col: 7 } },
      { kind: 'schema', label: 'schema item', passed: true, span: { file: 'big.yaml', line: 41, col: 20 } },
    ],
    captures: { name12: 'item12' },
  });
  const time = (value: object) => {
    const n = 50_000;
    for (let i = 0; i < 5_000; i++) redactor.value(value);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) redactor.value(value);
    return ((performance.now() - t0) / n) * 1000;
  };
  return { microsPerResult: time(result(secrets[0])), microsPerResultClean: time(result('not-a-secret')) };
}

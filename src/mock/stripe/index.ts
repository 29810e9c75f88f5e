/**
 * The embedded Stripe mock: `startStripeMock({ port }) → { url, close }`.
 * Each start has an empty state. With `validateResponses` (or API_NOTEBOOK_MOCK_VALIDATE=1),
 * every response is checked against schemas/ and a mismatch is a 500, so tests catch drift.
 */
import type { AddressInfo } from 'node:net';
import { createStripeServer, API_VERSION } from './server.js';
import type { StoreLimits } from './memory.js';
import { ResponseValidator } from './validate.js';

export { API_VERSION };

export interface StripeMockOptions {
  port?: number;
  host?: string;
  logLevel?: string;
  validateResponses?: boolean;
  /** How much state to keep (memory.ts: the defaults and what is forgotten past them). */
  limits?: Partial<StoreLimits>;
}

export interface StripeMock {
  url: string;
  close(): Promise<void>;
  /** Responses validated so far, by schema name (when validation is on). */
  validated?: ReadonlyMap<string, number>;
  /** Keys and objects held now. */
  stats(): { keys: number; objects: number };
}

export async function startStripeMock(options: StripeMockOptions = {}): Promise<StripeMock> {
  const validate = options.validateResponses ?? process.env.API_NOTEBOOK_MOCK_VALIDATE === '1';
  const validator = validate ? new ResponseValidator() : undefined;
  const log = options.logLevel === 'info' || options.logLevel === 'debug'
    ? (i: { method: string; path: string; status: number; ms: number }) => process.stderr.write(`${i.method} ${i.path} → ${i.status} (${i.ms.toFixed(1)} ms)\n`)
    : undefined;
  const host = options.host ?? '127.0.0.1';
  const server = createStripeServer({ validator, onRequest: log, limits: options.limits, host });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    validated: validator?.counts,
    stats: () => server.store.stats(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

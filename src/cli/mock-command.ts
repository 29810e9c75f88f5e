/** `api-notebook mock`: serve the embedded Stripe mock until Ctrl-C. */
import { UsageError, type MockArgs } from './args.js';
import type { Io } from './io.js';

export async function mockCommand(args: MockArgs, io: Io): Promise<number> {
  const { startStripeMock } = await import('../mock/stripe/index.js');
  let mock;
  try {
    mock = await startStripeMock({ host: args.host, port: args.port, logLevel: args.logLevel });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${args.port} on ${args.host} is in use; choose another with --port (0 picks a free one)`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`cannot listen on ${args.host}: no such local address`);
    throw err;
  }
  io.stdout.write(`Stripe mock (API version 2015-07-28) listening on ${mock.url}\n`);
  io.stdout.write(`Use it with: api-notebook run notebooks/ --base-url ${mock.url}\n`);
  io.stdout.write(`Any key starting with sk_test_ works (Basic or Bearer); each key has its own data. Ctrl-C stops it.\n`);
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await mock.close();
  return 0;
}

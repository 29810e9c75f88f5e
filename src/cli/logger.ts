/** pino NDJSON logs on stderr (never on stdout, where the console report goes), secrets redacted. */
import { pino, type Logger } from 'pino';
import type { Redactor } from '../run/redact.js';

export function createLogger(level: string, redactor?: Redactor): Logger {
  return pino(
    {
      level,
      base: { name: 'api-notebook' },
      hooks: redactor
        ? {
            logMethod(args, method) {
              method.apply(this, args.map((a) => (typeof a === 'string' ? redactor.text(a) : a && typeof a === 'object' ? redactor.value(a) : a)) as Parameters<typeof method>);
            },
          }
        : undefined,
    },
    pino.destination({ fd: 2, sync: true }),
  );
}

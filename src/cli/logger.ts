/**
 * pino NDJSON logs on stderr (never on stdout, where the console report goes), secrets redacted.
 * pino is loaded on the first message the level lets through: at the default level (warn) a
 * clean run never pays for it at start-up.
 */
import { createRequire } from 'node:module';
import type { Log } from '../run/log.js';
import type { Redactor } from '../run/redact.js';

export type { Log };

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };
const require = createRequire(import.meta.url);

export function createLogger(level: string, redactor?: Redactor): Log {
  const threshold = LEVELS[level] ?? LEVELS.warn;
  let real: Log | undefined;
  const load = (): Log => {
    if (!real) {
      const { pino } = require('pino') as typeof import('pino');
      real = pino({ level, base: { name: 'api-notebook' } }, pino.destination({ fd: 2, sync: true })) as unknown as Log;
    }
    return real;
  };
  const at = (name: 'debug' | 'info' | 'warn' | 'error') => (fields: object, message: string) => {
    if (LEVELS[name] < threshold) return;
    load()[name](redactor ? redactor.value(fields) : fields, redactor ? redactor.text(message) : message);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), debugEnabled: LEVELS.debug >= threshold };
}

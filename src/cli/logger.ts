/**
 * pino NDJSON logs on stderr (never on stdout, where the console report goes), secrets redacted.
 * pino is loaded on the first message the level lets through: at the default level (warn) a
 * clean run never pays for it at start-up.
 */
import { createRequire } from 'node:module';
import { CONTROLS, hasControl } from '../report/escape/controls.js';
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
      real = pino({ level, base: { name: 'api-notebook' }, hooks: { streamWrite: jsonControls } }, pino.destination({ fd: 2, sync: true })) as unknown as Log;
    }
    return real;
  };
  const at = (name: 'debug' | 'info' | 'warn' | 'error') => (fields: object, message: string) => {
    if (LEVELS[name] < threshold) return;
    load()[name](redactor ? redactor.value(fields) : fields, redactor ? redactor.text(message) : message);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), debugEnabled: LEVELS.debug >= threshold };
}

/**
 * JSON escapes C0 but may leave DEL, C1 (U+009B is a CSI), bidi overrides and the other characters
 * of escape/controls.ts raw, and a log read in a terminal would act on them: they are written as
 * \u escapes, the same JSON value. (The line's own final newline stays.)
 */
function jsonControls(line: string): string {
  if (!hasControl(line.slice(0, -1))) return line;
  return line.replace(CONTROLS, (ch) => (ch === '\n' ? ch : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

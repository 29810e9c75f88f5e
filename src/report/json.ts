/** reports/report.json: the canonical record of the run; every other report renders the same data. */
import { fileReporter, type Reporter } from './reporter.js';

export function jsonReporter(outDir: string): Reporter {
  return fileReporter('json', outDir, 'report.json', (run) => JSON.stringify(run, null, 2) + '\n');
}

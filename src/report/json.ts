/** reports/report.json: the canonical record of the run, every other report renders the same data. */
import { join } from 'node:path';
import type { RunResult } from '../run/results.js';
import type { Reporter } from './reporter.js';
import { writeFileAtomic } from './write.js';

export function jsonReporter(outDir: string): Reporter {
  const file = join(outDir, 'report.json');
  return {
    name: 'json',
    files: [file],
    onRunEnd(result: RunResult) {
      writeFileAtomic(file, JSON.stringify(result, null, 2) + '\n');
    },
  };
}

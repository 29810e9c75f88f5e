/** Builds the reporters a run asked for. Files are written under outDir. */
import type { ReporterName } from '../cli/args.js';
import type { Io } from '../cli/io.js';
import { consoleReporter } from './console.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import type { Reporter } from './reporter.js';

export interface ReporterOptions {
  outDir: string;
  io: Io;
  quiet: boolean;
  color: boolean;
}

export async function createReporters(names: ReporterName[], opts: ReporterOptions): Promise<Reporter[]> {
  const fileReporters: Reporter[] = [];
  for (const name of names) {
    switch (name) {
      case 'json':
        fileReporters.push(jsonReporter(opts.outDir));
        break;
      case 'junit':
        fileReporters.push(junitReporter(opts.outDir));
        break;
      case 'html':
        // markdown-it is loaded only when a walkthrough is asked for.
        fileReporters.push((await import('./html.js')).htmlReporter(opts.outDir));
        break;
      case 'markdown':
        fileReporters.push((await import('./markdown.js')).markdownReporter(opts.outDir));
        break;
      case 'console':
        break;
    }
  }
  const reporters = [...fileReporters];
  // On GitHub Actions, failures are annotated on the pull request's diff.
  if (opts.io.env.GITHUB_ACTIONS === 'true') reporters.push((await import('./github.js')).githubReporter(opts.io.stdout));
  // The console goes last so its summary can list the files the others have just written.
  if (names.includes('console')) {
    reporters.push(consoleReporter({ out: opts.io.stdout, color: opts.color, quiet: opts.quiet, files: () => fileReporters.flatMap((r) => r.files ?? []), actions: opts.io.env.GITHUB_ACTIONS === 'true' }));
  }
  return reporters;
}

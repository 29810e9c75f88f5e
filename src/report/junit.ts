/**
 * reports/junit.xml in the Ant JUnit schema (vendored in test/fixtures/junit/JUnit.xsd), which every CI reads:
 * one <testsuite> per notebook, one <testcase> per step run (each forEach iteration, teardown
 * included); check failures are <failure>, runtime errors <error>, skips <skipped/>. The steps of
 * a `use:` carry the use's name as a classname suffix (`Orders › Login`), contiguous as they ran.
 */
import { hostname } from 'node:os';
import type { StepResult } from '../run/results.js';
import { failureText, stepTitle } from './format.js';
import { recordOf } from './json.js';
import { xmlEscape } from './escape/xml.js';
import { streamedReporter, type Reporter } from './reporter.js';

export { xmlEscape };

const attr = (name: string, value: string | number) => ` ${name}="${xmlEscape(String(value))}"`;
const seconds = (ms: number) => (ms / 1000).toFixed(3);

function testcase(r: StepResult, classname: string): string {
  const head = `    <testcase${attr('name', stepTitle(r))}${attr('classname', classname)}${attr('time', seconds(r.durationMs))}`;
  switch (r.status) {
    case 'passed':
      return `${head}/>`;
    case 'skipped':
      return `${head}>\n      <skipped${attr('message', r.skipReason ?? 'skipped')}/>\n    </testcase>`;
    case 'error':
      return `${head}>\n      <error${attr('message', r.error?.message ?? 'error')}${attr('type', r.error?.kind ?? 'error')}>${xmlEscape(failureText(r))}</error>\n    </testcase>`;
    case 'failed': {
      const first = r.checks.find((c) => !c.passed);
      const message = first ? `${first.label}: ${first.message ?? 'failed'}` : 'failed';
      return `${head}>\n      <failure${attr('message', message)}${attr('type', first?.kind ?? 'check')}>${xmlEscape(failureText(r))}</failure>\n    </testcase>`;
    }
  }
}

interface SuiteState {
  /** Flaky steps, for the suite's system-out (capped). */
  flaky: string[];
  /** `--openapi-mode warn`: the contract failures that did not fail their steps, for the suite's system-out (capped). */
  contract: string[];
  contractTotal: number;
}

const FLAKY_LISTED = 200;

/**
 * One <testsuite> per notebook, written per suite: the testcases stream to the notebook's
 * segment; the suite's opening tag (its counts) is written at assembly. Flaky steps (passed
 * after a retry) cannot be marked on a <testcase> within the Ant schema: the suite says so in a
 * `flaky` property and lists them in <system-out>.
 */
export function junitReporter(outDir: string): Reporter {
  return streamedReporter<SuiteState>('junit', outDir, 'junit.xml', {
    start: () => ({ flaky: [], contract: [], contractTotal: 0 }),
    step(r, nb) {
      for (const c of r.contractWarnings ?? []) {
        if (nb.state.contract.length < FLAKY_LISTED) nb.state.contract.push(`warning: ${stepTitle(r)}: ${c.label}: ${c.message ?? 'failed'}`);
        nb.state.contractTotal++;
      }
      if (r.flaky && nb.state.flaky.length < FLAKY_LISTED) {
        nb.state.flaky.push(`flaky: ${stepTitle(r)} passed on attempt ${r.attempts} (before: ${r.retried?.map((x) => x.message).join('; ') ?? ''})`);
      }
      // A used step's classname names its use: CI tools group testcases by classname, so the
      // steps of one use show together under `Suite › Login` (the Ant schema has no other place).
      return testcase(r, r.used ? `${suiteName(nb.info)} › ${r.used.name}` : suiteName(nb.info)) + '\n';
    },
    assemble(out, run, notebooks, segment) {
      out.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n');
      notebooks.forEach((nb, id) => {
        const rec = recordOf(nb);
        const c = rec.counts;
        out.write(
          `  <testsuite${attr('package', rec.file)}${attr('id', id)}${attr('name', suiteName(rec))}${attr('timestamp', rec.startedAt.slice(0, 19))}${attr('hostname', HOST)}` +
            `${attr('tests', c.steps)}${attr('failures', c.failed)}${attr('errors', c.errors)}${attr('skipped', c.skipped)}${attr('time', seconds(rec.durationMs))}>\n` +
            `    <properties>\n` +
            `      <property${attr('name', 'file')}${attr('value', rec.file)}/>\n` +
            `      <property${attr('name', 'baseUrl')}${attr('value', rec.baseUrl)}/>\n` +
            (run.environment ? `      <property${attr('name', 'environment')}${attr('value', run.environment)}/>\n` : '') +
            `      <property${attr('name', 'flaky')}${attr('value', c.flaky)}/>\n` +
            `    </properties>\n`,
        );
        segment(nb);
        const more = c.flaky > nb.state.flaky.length ? [`… and ${c.flaky - nb.state.flaky.length} more flaky steps (report.json)`] : [];
        const { contract, contractTotal } = nb.state;
        const moreContract = contractTotal > contract.length ? [`… and ${contractTotal - contract.length} more contract warnings (report.json)`] : [];
        out.write(`    <system-out>${xmlEscape([`${rec.title}: ${rec.status}`, ...nb.state.flaky, ...more, ...contract, ...moreContract].join('\n'))}</system-out>\n    <system-err/>\n  </testsuite>\n`);
      });
      out.write('</testsuites>\n');
    },
  });
}

const HOST = hostname() || 'localhost';

function suiteName(nb: { title: string; file: string }): string {
  return nb.title.trim() || nb.file;
}

/**
 * reports/junit.xml in the Ant JUnit schema (vendored in test/fixtures/junit/JUnit.xsd), which every CI reads:
 * one <testsuite> per notebook, one <testcase> per step run (each forEach iteration, teardown
 * included); check failures are <failure>, runtime errors <error>, skips <skipped/>.
 */
import { hostname } from 'node:os';
import type { NotebookResult, RunResult, StepResult } from '../run/results.js';
import { failureText, stepTitle } from './format.js';
import { fileReporter, type Reporter } from './reporter.js';

// Characters XML 1.0 cannot hold at all, even escaped.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function xmlEscape(text: string): string {
  return text.replace(INVALID_XML, '\uFFFD').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

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

function testsuite(nb: NotebookResult, id: number): string {
  const count = (s: StepResult['status']) => nb.steps.filter((r) => r.status === s).length;
  const name = nb.title.trim() || nb.file;
  return [
    `  <testsuite${attr('package', nb.file)}${attr('id', id)}${attr('name', name)}${attr('timestamp', nb.startedAt.slice(0, 19))}${attr('hostname', hostname() || 'localhost')}` +
      `${attr('tests', nb.steps.length)}${attr('failures', count('failed'))}${attr('errors', count('error'))}${attr('skipped', count('skipped'))}${attr('time', seconds(nb.durationMs))}>`,
    `    <properties>`,
    `      <property${attr('name', 'file')}${attr('value', nb.file)}/>`,
    `      <property${attr('name', 'baseUrl')}${attr('value', nb.baseUrl)}/>`,
    `    </properties>`,
    ...nb.steps.map((r) => testcase(r, name)),
    `    <system-out>${xmlEscape(`${nb.title}: ${nb.status}`)}</system-out>`,
    `    <system-err/>`,
    `  </testsuite>`,
  ].join('\n');
}

export function renderJunit(run: RunResult): string {
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>', ...run.notebooks.map(testsuite), '</testsuites>', ''].join('\n');
}

export function junitReporter(outDir: string): Reporter {
  return fileReporter('junit', outDir, 'junit.xml', renderJunit);
}

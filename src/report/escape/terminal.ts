/**
 * The one escaper for terminals and CI logs (the console report, annotations, diagnostics):
 * every control character that did not come from our own templates is shown as `\x1b`, `\n`,
 * `\u202e`…, so a server cannot move the cursor, erase or repaint a line, set the window title,
 * write the clipboard (OSC 52) or reorder text; and under GitHub Actions no line can start a
 * workflow command.
 */
import { CONTROL_SOURCE, hasControl, showControls, visibleControl } from './controls.js';

/** One line of text from outside (a step name, a message, a value): nothing in it acts on the terminal. */
export function terminalText(text: string): string {
  return showControls(text);
}

/**
 * Text meant to span lines (an error that quotes a file, an annotation's message): line breaks
 * kept, every other control shown, and no line of it reading as a GitHub workflow command (the
 * runner reads stderr too, and this text is printed with or without GITHUB_ACTIONS).
 */
export function terminalLines(text: string): string {
  const shown = showControls(text.replace(/\r\n?/g, '\n'), '\n');
  return shown.includes('::') || shown.includes('##[') ? shown.split('\n').map(workflowSafeLine).join('\n') : shown;
}

// eslint-disable-next-line no-control-regex
const SGR_OR_CONTROL = new RegExp(`\\x1b\\[[0-9;]*m|${CONTROL_SOURCE}`, 'g');

/**
 * The last guard on a line the console writes: our own colours (SGR, `ESC[…m`) pass, every other
 * control character is shown. Fields are escaped with terminalText where they are put in a line;
 * this catches one that was not, so a missed field costs legibility, never control of the terminal.
 */
export function terminalLine(line: string): string {
  if (!hasControl(line)) return line;
  return line.replace(SGR_OR_CONTROL, (m) => (m.length > 2 && m.charCodeAt(0) === 0x1b ? m : visibleControl(m)));
}

// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;]*m/g;
/**
 * The GitHub Actions runner executes a log line as a workflow command when, after leading blanks,
 * it starts with `::` (or `##[`, the old syntax): `::set-output`, `::stop-commands`, `::add-mask`.
 */
const WORKFLOW_COMMAND = /^\s*(::|##\[)/;

/** Marks a line that would read as a workflow command, so the runner shows it instead of running it. */
export function workflowSafeLine(line: string): string {
  return WORKFLOW_COMMAND.test(line.replace(SGR, '')) ? `› ${line}` : line;
}

/** Every line of `text` through terminalLine, and workflowSafeLine too when `actions` (GITHUB_ACTIONS). */
export function guardLines(text: string, actions: boolean): string {
  const lines = text.split('\n').map(terminalLine);
  return (actions ? lines.map(workflowSafeLine) : lines).join('\n');
}

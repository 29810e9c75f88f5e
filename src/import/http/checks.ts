/**
 * Response checks of .http dialects → a step's expect, asserts and captures:
 *   - httpyac `?? status == 200`, `?? header content-type includes json`, `?? body id == 7`,
 *     `?? js response.parsedBody.id > 0`, `?? duration < 500`;
 *   - JetBrains (and httpyac) `> {% client.test("…", () => client.assert(cond, "…")); client.global.set("t", response.body.t) %}`,
 *     renamed into Postman's words and read by the Postman script translator.
 */
import { identifier, type DraftStep, type Kept } from '../draft.js';
import { quote, parseScript } from '../js.js';
import { translateTests, type ScriptNames } from '../postman-script.js';
import type { HttpNames } from './names.js';

const OPERATORS: Record<string, (l: string, r: string) => string> = {
  '==': (l, r) => `${l} == ${r}`,
  '!=': (l, r) => `${l} != ${r}`,
  '>': (l, r) => `${l} > ${r}`,
  '>=': (l, r) => `${l} >= ${r}`,
  '<': (l, r) => `${l} < ${r}`,
  '<=': (l, r) => `${l} <= ${r}`,
  includes: (l, r) => `contains(${l}, ${r})`,
  contains: (l, r) => `contains(${l}, ${r})`,
  startsWith: (l, r) => `startsWith(${l}, ${r})`,
  endsWith: (l, r) => `endsWith(${l}, ${r})`,
  matches: (l, r) => `matches(${l}, ${r})`,
  exists: (l) => `${l} != null`,
  isTrue: (l) => `${l} == true`,
  isFalse: (l) => `${l} == false`,
};

/** One httpyac `??` line. */
export function assertInto(text: string, line: number, step: DraftStep): void {
  const m = /^(status|duration|header\s+([\w-]+)|body(?:\s+([\w.$[\]]+))?|js\s+(.+?))\s+(==|!=|>=|<=|>|<|includes|contains|startsWith|endsWith|matches|exists|isTrue|isFalse)\s*(.*)$/.exec(text);
  const subject = m && subjectOf(m);
  if (!m || !subject) {
    step.kept.push({ line, why: 'this httpyac assertion is not translated', source: `?? ${text}` });
    return;
  }
  const expr = OPERATORS[m[5]!]!(subject, valueOf(m[6]!.trim()));
  const status = /^status == (\d{3})$/.exec(expr);
  if (status && step.expect?.status === undefined) step.expect = { ...step.expect, status: Number(status[1]) };
  else (step.assert ??= []).push({ expr, note: `?? ${text}` });
}

function subjectOf(m: RegExpExecArray): string | undefined {
  if (m[1] === 'status' || m[1] === 'duration') return m[1];
  if (m[2]) return `headers[${quote(m[2].toLowerCase())}]`;
  if (m[1]!.startsWith('body')) return m[3] ? `body.${m[3].replace(/^\$\.?/, '')}`.replace(/\.$/, '') : 'body';
  const js = /^response\.(parsedBody|body|statusCode|headers)((?:\.[A-Za-z_]\w*|\[\d+\])*)$/.exec(m[4] ?? '');
  if (!js) return undefined;
  const root = js[1] === 'statusCode' ? 'status' : js[1] === 'headers' ? 'headers' : 'body';
  return `${root}${root === 'headers' ? js[2]!.toLowerCase() : js[2]}`;
}

function valueOf(text: string): string {
  if (/^-?\d+(\.\d+)?$/.test(text) || /^(true|false|null)$/.test(text)) return text;
  const q = /^(['"])(.*)\1$/.exec(text);
  return quote(q ? q[2]! : text);
}

/** JetBrains' names in Postman's words, line for line. */
const RENAMES: Array<[RegExp, string]> = [
  [/\bclient\.test\s*\(/g, 'pm.test('],
  [/\bclient\.log\s*\(/g, 'console.log('],
  [/\bclient\.global\.set\s*\(/g, 'pm.environment.set('],
  [/\bclient\.global\.get\s*\(/g, 'pm.environment.get('],
  [/(?<![.\w$])response\.status\b/g, 'pm.response.code'],
  [/(?<![.\w$])response\.body\b/g, 'pm.response.json()'],
  [/(?<![.\w$])response\.headers\.valueOf\s*\(/g, 'pm.response.headers.get('],
];

export function handlerInto(handler: { source: string; line: number; file?: string }, step: DraftStep, names: HttpNames): Kept[] {
  if (handler.file) return [{ line: handler.line, why: 'a response handler in a file is not read; translate its checks into this step', source: handler.source }];
  const scriptNames: ScriptNames = {
    use: (n) => identifier(n),
    set: (n) => {
      names.captured.add(identifier(n));
      return identifier(n);
    },
  };
  const source = assertsAsExpect(handler.source);
  const original = handler.source.split('\n');
  const kept = translateTests(RENAMES.reduce((s, [p, to]) => s.replace(p, to), source), (l) => handler.line + l - 1, step, scriptNames);
  return kept.map((k) => ({ ...k, source: original.slice(k.line - handler.line, k.line - handler.line + k.source.split('\n').length).join('\n') || k.source }));
}

/** `client.assert(cond, "message")` → `tests["message"] = (cond)`, keeping line breaks. */
function assertsAsExpect(source: string): string {
  let program;
  try {
    program = parseScript(source);
  } catch {
    return source;
  }
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as { type?: string; callee?: { type: string; object?: { name?: string }; property?: { name?: string } }; arguments?: Array<{ start: number; end: number }>; start: number; end: number };
    if (n.type === 'CallExpression' && n.callee?.type === 'MemberExpression' && n.callee.object?.name === 'client' && n.callee.property?.name === 'assert' && n.arguments?.length) {
      const [cond, message] = n.arguments.map((a) => source.slice(a.start, a.end));
      const tail = source.slice(n.arguments[0]!.end, n.end).replace(/[^\n]/g, '');
      // The Postman translator reads `tests[name] = cond` as a check named by its message.
      edits.push({ start: n.start, end: n.end, text: `tests[${message ?? "'assert'"}] = (${cond})${tail}` });
      return;
    }
    for (const value of Object.values(n)) (Array.isArray(value) ? value : [value]).forEach(visit);
  };
  visit(program);
  return edits.sort((a, b) => b.start - a.start).reduce((s, e) => s.slice(0, e.start) + e.text + s.slice(e.end), source);
}

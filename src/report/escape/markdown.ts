/**
 * The one escaper for Markdown (report.md, read on GitHub and in editors). What a server, an
 * imported file or an earlier report said goes into code (a code span or a fenced block whose
 * fence is longer than any backtick run inside) or is escaped character by character; names the
 * author wrote (titles, step names, labels) are escaped the same way, so none of them can open
 * HTML (`<!--` would hide the rest of the report), start a heading, a list, a quote or a table
 * row, or end the block they sit in.
 *
 * The author's prose (`description:`, `doc:`) stays Markdown, because that is what it is written
 * as and what the HTML report renders: emphasis, links, lists, code and tables. It is kept only
 * when it stays inside its own block (checked with markdown-it, a CommonMark parser like
 * GitHub's): no raw HTML, no heading of the report's levels (#, ##, ###), no fence or other block
 * left open at its end; a remote image becomes a link to it (a viewer would fetch it: a beacon).
 * Prose that fails the check is shown verbatim in a fenced block instead.
 */
import MarkdownIt from 'markdown-it';
import { hasControl, showControls } from './controls.js';

/**
 * The marks that mean something inside a line of Markdown (CommonMark and GitHub's extensions):
 * escapes, code, emphasis, links and images, raw HTML and entities, table cells, strikethrough,
 * math, a heading's closing #s. A backslash makes each plain text. Marks that matter only at the
 * start of a line (-, +, =, 1.) are left: this text never starts one, so the file stays readable.
 */
const MARKS = /[\\`*_[\]<>&!|~$#]/g;

/** Inline text (a title, a name, a message) as plain text: one line, every mark escaped. */
export function mdText(text: string): string {
  return showControls(text).replace(MARKS, '\\$&');
}

function longestRun(text: string, ch: string): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ch) longest = Math.max(longest, ++run);
    else run = 0;
  }
  return longest;
}

/** A value as an inline code span, one line, delimited by more backticks than any run inside. */
export function mdCode(text: string): string {
  const shown = showControls(text);
  if (!shown) return '` `';
  const fence = '`'.repeat(longestRun(shown, '`') + 1);
  // A space each side keeps a leading or trailing backtick from joining the fence (CommonMark strips one).
  // (A span of spaces only is kept as it is, so it needs none.)
  const pad = shown.startsWith('`') || shown.endsWith('`') || (shown.startsWith(' ') && shown.endsWith(' ') && shown.trim()) ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}

/**
 * A block of text (a body, evidence) as a fenced code block: lines kept, every other control
 * shown, a lone CR made a line break (CommonMark reads it as one, and it would escape an indent).
 */
export function mdFence(text: string, lang = ''): string {
  const shown = showControls(text.replace(/\r\n?/g, '\n'), '\n\t');
  const fence = '`'.repeat(Math.max(3, longestRun(shown, '`') + 1));
  return `${fence}${lang}\n${shown}\n${fence}`;
}

let parser: InstanceType<typeof MarkdownIt> | undefined;
const SENTINEL = 'api-notebook-prose-end';

/** The author's prose: Markdown when it stays in its block (see above), else verbatim in a fence. */
export function mdProse(text: string): string {
  let prose = text.replace(/\r\n?/g, '\n').trim();
  if (!prose) return '';
  // A remote image would be fetched by whoever views the report (a beacon): it becomes a link to it.
  if (hasRemoteImage(prose)) prose = prose.replace(/(^|[^\\])!\[/g, '$1[');
  return proseIsContained(prose) ? prose : mdFence(prose);
}

function parse(prose: string) {
  parser ??= new MarkdownIt({ html: true });
  return parser.parse(`${prose}\n\n${SENTINEL}\n`, {});
}

function hasRemoteImage(prose: string): boolean {
  return parse(prose).some((t) => t.children?.some((c) => c.type === 'image' && !/^data:/i.test(String(c.attrGet('src') ?? ''))));
}

function proseIsContained(prose: string): boolean {
  if (hasControl(prose, '\n\t') || prose.includes('$$') || hasRemoteImage(prose)) return false;
  const tokens = parse(prose);
  for (const t of tokens) {
    if (t.type === 'html_block') return false;
    if (t.type === 'heading_open' && ['h1', 'h2', 'h3'].includes(t.tag)) return false;
    if (t.type === 'inline' && t.children?.some((c) => c.type === 'html_inline')) return false;
  }
  const n = tokens.length;
  // The sentinel is a paragraph of its own at the top level: nothing of the prose is still open.
  return n >= 3 && tokens[n - 3].type === 'paragraph_open' && tokens[n - 3].level === 0 && tokens[n - 2].content === SENTINEL && tokens[n - 1].type === 'paragraph_close';
}

/**
 * The characters no output may carry raw when the text came from outside the notebook's literal
 * prose (a server's body, a header, an error, a name written with `\u001b`): they drive
 * terminals (C0, ESC sequences, C1 such as CSI U+009B), hide or reorder text (bidi overrides and
 * isolates, zero-width and other invisible format characters, the Unicode line and paragraph
 * separators), or are not characters at all (lone surrogates). The joiners U+200C/U+200D stay:
 * emoji sequences and Persian text need them, and they can neither hide nor reorder text. Every per-format escaper
 * (terminal.ts, markdown.ts, html.ts, xml.ts) shows them with `visibleControl`, so a reader sees
 * that they were there and nothing acts on them.
 */

/** Every such character; the format escapers decide which of \n and \t they keep. */
// eslint-disable-next-line no-control-regex
export const CONTROL_SOURCE = '[\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u180e\\u200b\\u200e\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ufeff\\ufff9-\\ufffb]|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';

export const CONTROL = new RegExp(CONTROL_SOURCE);
export const CONTROLS = new RegExp(CONTROL_SOURCE, 'g');

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `\n`, `\r`, `\t`, `\x1b`, `\u202e`: the character named, in plain ASCII. */
export function visibleControl(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every control character made visible except those in `keep` ("\n", "\t"). */
export function showControls(text: string, keep = ''): string {
  if (!CONTROL.test(text)) return text;
  return text.replace(CONTROLS, (ch) => (keep.includes(ch) ? ch : visibleControl(ch)));
}

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

// C0 is given per escaper: some keep the line break and the tab.
const C0 = { all: '\\u0000-\\u001f', keepNewline: '\\u0000-\\u0009\\u000b-\\u001f', keepNewlineTab: '\\u0000-\\u0008\\u000b-\\u001f' };
const OTHERS = '\\u007f-\\u009f\\u00ad\\u061c\\u180e\\u200b\\u200e\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ufeff\\ufff9-\\ufffb';
const LONE_SURROGATE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';

/** Every such character (a regex source); the format escapers decide which of \n and \t they keep. */
export const CONTROL_SOURCE = `[${C0.all}${OTHERS}]|${LONE_SURROGATE}`;

/** Exact, for tests and rare paths; the escapers use the faster checks below. */
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

/**
 * Per set of kept characters: a plain character class (fast: most text has nothing to replace, and
 * a class is tested at ~1 ns a character), and the lone-surrogate alternation only for text that
 * has a surrogate at all (measured: the combined regex cost ~1 µs on a short title, 10 ms on a
 * 50 KB body).
 */
function matchers(c0: string) {
  return { any: new RegExp(`[${c0}${OTHERS}]`), all: new RegExp(`[${c0}${OTHERS}]`, 'g'), withLone: new RegExp(`[${c0}${OTHERS}]|${LONE_SURROGATE}`, 'g') };
}
const KEEP = { '': matchers(C0.all), '\n': matchers(C0.keepNewline), '\n\t': matchers(C0.keepNewlineTab) } as const;
const SURROGATE = /[\ud800-\udfff]/;
const LONE = new RegExp(LONE_SURROGATE);

export type Kept = keyof typeof KEEP;

/** Does `text` hold a control character other than those in `keep`? */
export function hasControl(text: string, keep: Kept = ''): boolean {
  return KEEP[keep].any.test(text) || (SURROGATE.test(text) && LONE.test(text));
}

/** `text` with every control character made visible except those in `keep` ("\n", "\n\t"). */
export function showControls(text: string, keep: Kept = ''): string {
  const m = KEEP[keep];
  const lone = SURROGATE.test(text) && LONE.test(text);
  if (!lone && !m.any.test(text)) return text;
  return text.replace(lone ? m.withLone : m.all, visibleControl);
}

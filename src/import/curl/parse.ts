/** A command's words → the curl call they make: its URLs, its options in order, and what is unknown. */
import { BY_LONG, BY_SHORT } from './options.js';
import type { Command, Word } from './tokenize.js';

export interface Opt {
  /** The long name (`header` for `-H`). */
  name: string;
  value?: string;
  /** As written, for comments: `-H`, `--data-raw`. */
  written: string;
  line: number;
}

export interface CurlCall {
  line: number;
  source: string;
  urls: Word[];
  options: Opt[];
  /** Options curl has that the table does not know, with the value they seemed to take. */
  unknown: Array<{ text: string; line: number }>;
}

/** The curl call in `command`, or undefined when it is another program (`export`, `echo`, `jq`). */
export function parseCall(command: Command): CurlCall | undefined {
  const words = [...command.words];
  // A prompt copied along with the command (`$ curl …`, `> curl …`).
  while (words[0] && /^[$>%]$/.test(words[0].text)) words.shift();
  if (!words[0] || !/^curl(\.exe)?$/i.test(words[0].text.replace(/^.*[\\/]/, ''))) return undefined;
  const call: CurlCall = { line: command.line, source: command.source, urls: [], options: [], unknown: [] };
  let endOfOptions = false;
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    const text = word.text;
    const next = () => words[++i];
    if (endOfOptions || !text.startsWith('-') || text === '-') {
      call.urls.push(word);
    } else if (text === '--') {
      endOfOptions = true;
    } else if (text.startsWith('--')) {
      const spec = BY_LONG.get(text.slice(2)) ?? BY_LONG.get(text.slice(2).replace(/^no-/, ''));
      if (!spec) {
        const value = looksLikeValue(words[i + 1]) ? next()!.text : undefined;
        call.unknown.push({ text: value === undefined ? text : `${text} ${value}`, line: word.line });
        continue;
      }
      if (text.startsWith('--no-') && !BY_LONG.has(text.slice(2))) continue; // `--no-compressed`: the default
      call.options.push({ name: spec.long, written: text, line: word.line, ...(spec.value ? { value: next()?.text ?? '' } : {}) });
    } else {
      // A cluster of short options: `-sSL`, `-XPOST`, `-HAccept: x`.
      for (let k = 1; k < text.length; k++) {
        const spec = BY_SHORT.get(text[k]!);
        if (!spec) {
          call.unknown.push({ text: `-${text[k]}`, line: word.line });
          continue;
        }
        if (!spec.value) {
          call.options.push({ name: spec.long, written: `-${text[k]}`, line: word.line });
          continue;
        }
        const rest = text.slice(k + 1);
        call.options.push({ name: spec.long, written: `-${text[k]}`, line: word.line, value: rest || (next()?.text ?? '') });
        break;
      }
    }
  }
  return call;
}

/** Whether the word after an unknown option is its value: not an option, not a URL. */
function looksLikeValue(word: Word | undefined): boolean {
  if (!word || word.text.startsWith('-')) return false;
  return !/^(https?:\/\/|localhost[:/]|[\w-]+(\.[\w-]+)+([:/?]|$))/i.test(word.text);
}

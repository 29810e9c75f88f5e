/**
 * The part of a big file that the yaml library is shown. It words the diagnostics, but needs ~1 s
 * of CPU per 256 KiB of the worst input and ~0.6 s per MB of a clean one, so a file past
 * LIMITS.yamlBytes is not given to it whole: only the lines around the first problem a fast
 * reader found, after the file's top-level lines above them. The yaml library's lines are then
 * shifted to the file's (`firstLine`, `textLine`): empty lines kept in their place cost the yaml
 * library as much as the window itself (200,000 of them in a 5 MB notebook: half a second).
 *
 * Which lines: the window starts at a line that begins a value of the block the problem is in (a
 * `- ` entry of `steps:`, a key of `vars:`) some way before the problem, and ends at the next
 * such line some way after it. Before it, only the top-level lines (`title: …`, `steps:`) are
 * kept, so the lines kept are valid YAML up to the window; after it, nothing. A diagnostic the
 * yaml library gives above the window's start may come from that cut: the loader ignores those.
 */
import { LIMITS } from './limits.js';

/** Characters of context kept before and after the problem, at least (then to the next boundary). */
const MARGIN = 16 * 1024;

export interface YamlWindow {
  /** The text given to the yaml library: the top-level lines above the window, then the window. */
  text: string;
  /** The 1-based line of the file the window starts at. */
  firstLine: number;
  /** The 1-based line of `text` the window starts at; diagnostics above it are the cut's, not the file's. */
  textLine: number;
}

/** The file's line of a line of the window's text at or below `textLine`. */
export function fileLine(window: YamlWindow, line: number): number {
  return line - window.textLine + window.firstLine;
}

interface Line {
  start: number;
  /** Spaces before its first character; -1 for a blank or comment-only line. */
  indent: number;
}

function lineAt(text: string, start: number): Line {
  let i = start;
  while (text.charCodeAt(i) === 32) i++;
  const c = text.charCodeAt(i);
  const blank = i >= text.length || c === 10 || c === 35 /* # */ || (c === 13 && text.charCodeAt(i + 1) === 10);
  return { start, indent: blank ? -1 : i - start };
}

/**
 * The window around offset `at`, or undefined when it would be too big for the yaml library too
 * (one value of megabytes): the loader then words js-yaml's own message.
 */
export function yamlWindow(text: string, at: number): YamlWindow | undefined {
  const problemLine = text.lastIndexOf('\n', at - 1) + 1;
  // Backwards to the top-level line the problem lies under, noting, per indentation, the line
  // nearest the problem at least MARGIN before it: the candidates for the window's start.
  const nearest = new Map<number, number>();
  let top = -1;
  for (let s = problemLine; ; ) {
    const line = lineAt(text, s);
    if (line.indent === 0 && s < problemLine) {
      top = s;
      break;
    }
    if (line.indent > 0 && s <= problemLine - MARGIN && !nearest.has(line.indent)) nearest.set(line.indent, s);
    if (s === 0) break;
    s = s < 2 ? 0 : text.lastIndexOf('\n', s - 2) + 1;
  }
  let start: number;
  let indent: number;
  if (nearest.size === 0) {
    start = top >= 0 ? top : 0;
    indent = 0;
  } else {
    indent = Math.min(...nearest.keys());
    start = nearest.get(indent)!;
  }
  // Forwards from MARGIN past the problem to the next line at that indentation or less.
  let end = text.length;
  let s = text.indexOf('\n', Math.min(text.length, at + MARGIN));
  while (s !== -1 && s + 1 < text.length) {
    const line = lineAt(text, s + 1);
    if (line.indent >= 0 && line.indent <= indent) {
      end = s + 1;
      break;
    }
    s = text.indexOf('\n', s + 1);
  }
  if (end - start > 4 * LIMITS.yamlBytes) return undefined;
  // Before the window: the top-level lines only.
  const head: string[] = [];
  let firstLine = 1;
  for (let p = 0; p < start; ) {
    const next = text.indexOf('\n', p);
    const stop = next === -1 || next >= start ? start : next + 1;
    if (lineAt(text, p).indent === 0) head.push(text.slice(p, stop));
    firstLine++;
    p = stop;
  }
  return { text: head.join('') + text.slice(start, end), firstLine, textLine: head.length + 1 };
}

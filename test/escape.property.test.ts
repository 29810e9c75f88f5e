/**
 * The one escaper of each output format, over hostile strings (fast-check, fixed seed: a failure
 * replays exactly): strings made of the pieces attacks are made of (backtick runs, `<!--`, HTML
 * tags, entities, headings, table pipes, ESC / CSI / OSC sequences, C1, bidi overrides, lone
 * surrogates, `::` workflow commands) and arbitrary UTF-16. Each property is checked the way the
 * output is read: Markdown with markdown-it (a CommonMark parser like GitHub's, HTML allowed),
 * terminal text and GitHub Actions lines by what the terminal and the runner act on, HTML and XML
 * by what a parser could read as markup.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { CONTROL, CONTROLS, showControls } from '../src/report/escape/controls.js';
import { escapeHtml } from '../src/report/escape/html.js';
import { mdCode, mdFence, mdProse, mdText } from '../src/report/escape/markdown.js';
import { guardLines, terminalLine, terminalLines, terminalText } from '../src/report/escape/terminal.js';
import { xmlEscape } from '../src/report/escape/xml.js';

const SEED = 18_2026;
const RUNS = 600;
const run = <T>(arb: fc.Arbitrary<T>, check: (v: T) => void) => fc.assert(fc.property(arb, check), { seed: SEED, numRuns: RUNS });

const PIECES = [
  '`', '``', '```', '````', '~~~', '<', '>', '&', '&amp;', '&#x3c;', '<!--', '-->', '<img src=x onerror=alert(1)>', '<script>', '</details>', '<a href="',
  '#', '# ✅ Passed', '\n', '\n\n', '\r', '\r\n', '\t', '    ', ' ', '|', '*', '**', '_', '[', ']', '(', ')', '![x](http://evil.test/b.png)', '[x]: http://evil.test',
  '\\', '!', '~', '$', '$$', '-', '+', '1.', '>', '=', '---', ':', '::', '::set-output name=x::y', '::stop-commands::t', '##[error]', '\u0000', '\x07',
  '\x1b', '\x1b[2K', '\x1b]52;c;aGk=\x07', '\x1b]0;title\x07', '\x1b[31m', '\x7f', '\x85', '\x9b', '\x9d', '\u061c', '\u200b', '\u200e', '\u2028', '\u2029',
  '\u202e', '\u2066', '\u2069', '\ufeff', '\ud800', '\udfff', '\ufffe', '😀', 'é', 'a', 'x',
];
const hostile = fc.oneof(
  fc.array(fc.constantFrom(...PIECES), { maxLength: 24 }).map((a) => a.join('')),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...PIECES, 'b', ' '), maxLength: 30 }),
);

const md = new MarkdownIt({ html: true });
type Token = ReturnType<typeof md.parse>[number];
const kinds = (tokens: Token[]) => tokens.map((t) => t.type);
const inlineKinds = (t: Token) => (t.children ?? []).map((c) => c.type);
const inlineText = (t: Token) => (t.children ?? []).map((c) => c.content).join('');

describe('the terminal escaper (console, annotations, diagnostics)', () => {
  it('terminalText leaves no control character, not even a line break', () => {
    run(hostile, (s) => assert.equal(CONTROL.test(terminalText(s)), false, JSON.stringify(terminalText(s))));
  });

  it('terminalLines keeps line breaks only, and no line of it starts a workflow command', () => {
    run(hostile, (s) => {
      assert.equal(CONTROL.test(terminalLines(s).replace(/\n/g, '')), false);
      for (const line of terminalLines(s).split('\n')) assert.doesNotMatch(line, /^\s*(::|##\[)/);
    });
  });

  it('terminalLine lets our colours (SGR) through and nothing else', () => {
    run(hostile, (s) => {
      const line = terminalLine(`\x1b[31m${s}\x1b[0m`);
      assert.ok(line.startsWith('\x1b[31m') && line.endsWith('\x1b[0m'));
      assert.equal(CONTROL.test(line.replace(/\x1b\[[0-9;]*m/g, '')), false, JSON.stringify(line));
    });
  });

  it('under GitHub Actions, no line starts a workflow command', () => {
    run(hostile, (s) => {
      for (const line of guardLines(s, true).split('\n')) assert.doesNotMatch(line, /^\s*(::|##\[)/);
      for (const line of guardLines(`  ✔ ${terminalText(s)}`, true).split('\n')) assert.doesNotMatch(line, /^\s*(::|##\[)/);
    });
  });

  it('shows what it replaced, so a reader sees it was there', () => {
    assert.equal(terminalText('a\x1b]52;c;aGk=\x07\nb\u202e'), 'a\\x1b]52;c;aGk=\\x07\\nb\\u202e');
    assert.equal(guardLines('::set-output name=x::y', true), '› ::set-output name=x::y');
    assert.equal(guardLines('::set-output name=x::y', false), '::set-output name=x::y');
  });
});

describe('the Markdown escaper (report.md)', () => {
  it('mdText is plain text in a paragraph, a heading and a table cell: no mark, no HTML, no new block', () => {
    run(hostile, (s) => {
      const shown = showControls(s);
      const para = md.parse(`a ${mdText(s)} z`, {});
      assert.deepEqual(kinds(para), ['paragraph_open', 'inline', 'paragraph_close'], JSON.stringify(s));
      assert.ok(inlineKinds(para[1]).every((k) => k === 'text'), `${inlineKinds(para[1])} for ${JSON.stringify(s)}`);
      assert.equal(inlineText(para[1]), `a ${shown} z`.replace(/ +$/, ''));
      const heading = md.parse(`### ✅ ${mdText(s)}`, {});
      assert.deepEqual(kinds(heading), ['heading_open', 'inline', 'heading_close']);
      assert.ok(inlineKinds(heading[1]).every((k) => k === 'text'));
      const table = md.parse(`| a | b |\n|---|---|\n| ${mdText(s)} | z |`, {});
      assert.equal(table.filter((t) => t.type === 'td_open').length, 2, JSON.stringify(s));
    });
  });

  it('mdCode is one code span holding exactly the text (controls shown)', () => {
    run(hostile, (s) => {
      const tokens = md.parse(`a ${mdCode(s)} z`, {});
      assert.deepEqual(kinds(tokens), ['paragraph_open', 'inline', 'paragraph_close']);
      const code = (tokens[1].children ?? []).filter((c) => c.type === 'code_inline');
      assert.equal(code.length, 1, `${inlineKinds(tokens[1])} for ${JSON.stringify(s)}`);
      assert.deepEqual(inlineKinds(tokens[1]), ['text', 'code_inline', 'text']);
      const shown = showControls(s) || ' ';
      assert.equal(code[0].content, shown, JSON.stringify(s));
    });
  });

  it('mdFence is one code block holding the text, at the top level and indented in a list item', () => {
    run(hostile, (s) => {
      const shown = showControls(s.replace(/\r\n?/g, '\n'), '\n\t');
      const top = md.parse(`${mdFence(s)}\n\nafter`, {});
      assert.deepEqual(kinds(top), ['fence', 'paragraph_open', 'inline', 'paragraph_close'], JSON.stringify(s));
      assert.equal(top[0].content, `${shown}\n`);
      const listed = md.parse(`- ✘ **check**: failed\n\n${mdFence(s).replace(/^/gm, '  ')}\n\nafter`, {});
      assert.equal(listed.filter((t) => t.type === 'fence').length, 1, JSON.stringify(s));
      assert.deepEqual(kinds(listed).slice(-3), ['paragraph_open', 'inline', 'paragraph_close']);
      assert.equal(listed.at(-2)!.content, 'after');
      assert.equal(listed.at(-3)!.level, 0, 'the list item ends where the fence does');
    });
  });

  it('mdProse keeps to its block: no HTML, no heading of the report, nothing left open', () => {
    run(hostile, (s) => {
      const tokens = md.parse(`${mdProse(s)}\n\nafter`, {});
      for (const t of tokens) {
        assert.notEqual(t.type, 'html_block', JSON.stringify(s));
        assert.ok(!(t.children ?? []).some((c) => c.type === 'html_inline'), JSON.stringify(s));
        if (t.type === 'heading_open') assert.ok(!['h1', 'h2', 'h3'].includes(t.tag), JSON.stringify(s));
        for (const c of t.children ?? []) if (c.type === 'image') assert.match(String(c.attrGet('src')), /^data:/i, JSON.stringify(s));
      }
      assert.deepEqual(kinds(tokens).slice(-3), ['paragraph_open', 'inline', 'paragraph_close']);
      assert.equal(tokens.at(-2)!.content, 'after');
      assert.equal(tokens.at(-3)!.level, 0);
    });
  });

  it('keeps the author’s ordinary Markdown as Markdown', () => {
    const prose = 'Creates a **plan**, then [reads it](https://docs.example.test).\n\n- one\n- two\n\n```json\n{"a": 1}\n```';
    assert.equal(mdProse(prose), prose);
    assert.match(mdProse('x\n\n# ✅ Passed\n\n<!--'), /^```\n/);
    assert.equal(mdProse('See ![the plan](https://img.example.test/p.png).'), 'See [the plan](https://img.example.test/p.png).');
  });
});

describe('the HTML and XML escapers (report.html, junit.xml)', () => {
  const markupFree = (out: string) => {
    assert.doesNotMatch(out, /[<>"']/);
    // Every & starts one of the entities the escaper writes.
    assert.doesNotMatch(out.replace(/&(amp|lt|gt|quot|#39|apos);/g, ''), /&/);
    assert.equal(CONTROL.test(out.replace(/[\n\t]/g, '')), false, JSON.stringify(out));
  };

  it('escapeHtml leaves no markup and no control character but line breaks and tabs; decoding gives the text back', () => {
    run(hostile, (s) => {
      const out = escapeHtml(s);
      markupFree(out);
      const decoded = out.replace(/&(lt|gt|quot|#39|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e]!);
      assert.equal(decoded, showControls(s.replace(/\r\n/g, '\n'), '\n\t'));
    });
  });

  it('xmlEscape leaves no markup, no character XML cannot hold and no control character but line breaks and tabs', () => {
    run(hostile, (s) => {
      const out = xmlEscape(s);
      markupFree(out);
      assert.doesNotMatch(out, /[\ufffe\uffff]/);
      assert.equal([...out.matchAll(CONTROLS)].every((m) => m[0] === '\n' || m[0] === '\t'), true);
    });
  });
});

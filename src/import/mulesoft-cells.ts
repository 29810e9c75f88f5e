/** MuleSoft API Notebook markdown: front matter, prose, and ```javascript cells with their lines. */
import { ImportError } from './draft.js';
import { dict } from './dict.js';

export interface Cell {
  line: number;
  source: string;
  prose: string;
}

export function isMulesoftNotebook(text: string): boolean {
  return /^---\s*\n[\s\S]*?apiNotebookVersion\s*:/.test(text) || (/```javascript/.test(text) && /API\.createClient|client\.\w+/.test(text));
}

export function readCells(text: string): { front: Record<string, string>; cells: Cell[] } {
  const lines = text.split(/\r?\n/);
  const front: Record<string, string> = dict();
  let i = 0;
  if (lines[0]?.trim() === '---') {
    for (i = 1; i < lines.length && lines[i]!.trim() !== '---'; i++) {
      const m = /^(\w+)\s*:\s*(.*)$/.exec(lines[i]!);
      if (m) front[m[1]!] = m[2]!.trim();
    }
    i++;
  }
  const cells: Cell[] = [];
  let prose: string[] = [];
  for (; i < lines.length; i++) {
    if (/^```\s*(javascript|js)\s*$/.test(lines[i]!)) {
      const start = i + 1;
      let j = start;
      while (j < lines.length && !/^```\s*$/.test(lines[j]!)) j++;
      if (j >= lines.length) throw new ImportError(`the cell opened at line ${i + 1} is never closed with \`\`\``, i + 1, 'close every ```javascript cell with a line of ```');
      cells.push({ line: start + 1, source: lines.slice(start, j).join('\n'), prose: prose.join('\n').trim() });
      prose = [];
      i = j;
    } else prose.push(lines[i]!);
  }
  return { front, cells };
}

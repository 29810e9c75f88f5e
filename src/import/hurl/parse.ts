/**
 * A Hurl file → its entries: the request (method, URL, headers, sections, body) and the
 * response it expects (status, headers, `[Captures]`, `[Asserts]`, body), each line numbered.
 * Hurl's grammar is line based (https://hurl.dev/docs/grammar.html): a request line starts an
 * entry, `HTTP …` its response, `[Section]` lines open sections, and a body is what follows that
 * none of these take.
 */
export interface Line {
  text: string;
  line: number;
}

export interface Part {
  headers: Line[];
  sections: Map<string, Line[]>;
  /** Where each section opened. */
  sectionLines: Map<string, number>;
  body?: Line[];
}

export interface Entry {
  method: string;
  url: string;
  line: number;
  request: Part;
  /** `HTTP 200` → 200; `*` for `HTTP *`; undefined without a response line. */
  status?: number | '*';
  statusLine?: number;
  response?: Part;
}

export class HurlSyntaxError extends Error {
  constructor(message: string, readonly line: number, readonly hint: string) {
    super(message);
  }
}

const REQUEST_LINE = /^([A-Z]+)\s+(\S.*?)\s*$/;
const RESPONSE_LINE = /^HTTP(?:\/[\d.]+)?\s+(\d{3}|\*)\s*$/;
const SECTION = /^\[([A-Za-z]+)\]\s*$/;
const HEADER = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*:\s?(.*)$/;

export function parseHurl(text: string): Entry[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const entries: Entry[] = [];
  let entry: Entry | undefined;
  let part: Part | undefined;
  let section: string | undefined;
  let fence: Line[] | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const n = i + 1;
    if (fence) {
      fence.push({ text: raw, line: n });
      if (/^\s*```\s*$/.test(raw)) fence = undefined;
      continue;
    }
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const request = REQUEST_LINE.exec(trimmed);
    if (request && !RESPONSE_LINE.test(trimmed) && /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|CONNECT|TRACE|[A-Z]{3,})$/.test(request[1]!) && /^(https?:|\{\{|\/)/.test(request[2]!)) {
      entry = { method: request[1]!, url: request[2]!, line: n, request: newPart() };
      entries.push(entry);
      part = entry.request;
      section = undefined;
      continue;
    }
    if (!entry || !part) throw new HurlSyntaxError(`expected a request line (METHOD URL), got \`${trimmed.slice(0, 60)}\``, n, 'a Hurl entry starts with a line such as `GET https://example.org/api`');
    const response = RESPONSE_LINE.exec(trimmed);
    if (response && part === entry.request) {
      entry.status = response[1] === '*' ? '*' : Number(response[1]);
      entry.statusLine = n;
      entry.response = part = newPart();
      section = undefined;
      continue;
    }
    const sec = SECTION.exec(trimmed);
    if (sec && !part.body) {
      section = sec[1]!;
      part.sections.set(section, []);
      part.sectionLines.set(section, n);
      continue;
    }
    if (part.body) {
      part.body.push({ text: raw, line: n });
      continue;
    }
    if (section && !/^[{[<`]|^(file|base64|hex),|^```/.test(trimmed)) {
      part.sections.get(section)!.push({ text: trimmed, line: n });
      continue;
    }
    const header = HEADER.exec(trimmed);
    if (header && !section && !/^[{[<`]/.test(trimmed)) {
      part.headers.push({ text: trimmed, line: n });
      continue;
    }
    part.body = [{ text: raw, line: n }];
    if (trimmed.startsWith('```') && !(trimmed.length > 6 && trimmed.endsWith('```'))) fence = part.body;
  }
  if (fence) throw new HurlSyntaxError('a ``` body is never closed', fence[0]!.line, 'end the multiline body with a line holding only ```');
  return entries;
}

function newPart(): Part {
  return { headers: [], sections: new Map(), sectionLines: new Map() };
}

/**
 * `.http` / `.rest` files (VS Code REST Client, JetBrains HTTP Client, httpyac) → requests with
 * their source lines. One reader for the three dialects: they share `###` separators, `@var =
 * value` lines, the request line, headers, a blank line and a body; what differs (`# @name`,
 * `?? status == 200`, `> {% … %}` handlers) is told apart by its prefix.
 */
export interface HttpRequest {
  line: number;
  /** `### Title` above the request. */
  title?: string;
  /** `# @name login` (REST Client, httpyac, JetBrains). */
  name?: string;
  /** Other `# @key value` lines: `no-redirect`, `no-cookie-jar`, `prompt`… */
  meta: Array<{ key: string; value: string; line: number }>;
  method: string;
  url: string;
  headers: Array<{ name: string; value: string; line: number }>;
  body?: { text: string; line: number };
  /** httpyac `?? status == 200` lines. */
  asserts: Array<{ text: string; line: number }>;
  /** `> {% … %}` response handlers (JetBrains, httpyac) and `> ./file.js`. */
  handlers: Array<{ source: string; line: number; file?: string }>;
  /** `< {% … %}` pre-request scripts and other lines kept as they are. */
  unknown: Array<{ source: string; line: number; why: string }>;
}

export interface HttpFile {
  vars: Array<{ name: string; value: string; line: number }>;
  requests: HttpRequest[];
}

const METHOD = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE|CONNECT)\s+(\S.*?)(?:\s+HTTP\/[\d.]+)?\s*$/i;
const BARE_URL = /^(https?:\/\/|\{\{)\S*(?:\s+HTTP\/[\d.]+)?\s*$/i;
const VAR = /^@([\w.-]+)\s*=\s*(.*)$/;
const META = /^(?:#|\/\/)\s*@([\w-]+)\s*(.*)$/;

export function parseHttp(text: string): HttpFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const file: HttpFile = { vars: [], requests: [] };
  let title: string | undefined;
  let region: string[] = [];
  let start = 0;
  const flush = () => {
    const request = parseRegion(region, start, title, file);
    if (request) file.requests.push(request);
    region = [];
  };
  lines.forEach((line, i) => {
    const sep = /^###+(.*)$/.exec(line);
    if (sep) {
      flush();
      title = sep[1]!.trim() || undefined;
      start = i + 1;
      return;
    }
    region.push(line);
  });
  flush();
  return file;
}

function parseRegion(lines: string[], offset: number, title: string | undefined, file: HttpFile): HttpRequest | undefined {
  let i = 0;
  let name: string | undefined;
  const meta: HttpRequest['meta'] = [];
  const unknown: HttpRequest['unknown'] = [];
  for (; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const at = offset + i + 1;
    if (!line) continue;
    const v = VAR.exec(line);
    if (v) {
      file.vars.push({ name: v[1]!, value: v[2]!.trim(), line: at });
      continue;
    }
    const m = META.exec(line);
    if (m) {
      if (m[1] === 'name') name = m[2]!.trim();
      else meta.push({ key: m[1]!, value: m[2]!.trim(), line: at });
      continue;
    }
    if (line.startsWith('#') || line.startsWith('//')) continue;
    if (line.startsWith('< {%')) {
      const end = scriptEnd(lines, i);
      unknown.push({ source: lines.slice(i, end + 1).join('\n'), line: at, why: 'a pre-request script runs code before the request; set what it computes as vars or inputs' });
      i = end;
      continue;
    }
    break;
  }
  if (i >= lines.length) return undefined;
  const first = lines[i]!.trim();
  const requestLine = METHOD.exec(first) ?? (BARE_URL.test(first) ? [first, 'GET', first.replace(/\s+HTTP\/[\d.]+\s*$/i, '')] : null);
  if (!requestLine) {
    unknown.push({ source: first, line: offset + i + 1, why: 'not a request line (METHOD URL)' });
    return { line: offset + i + 1, title, name, meta, method: 'GET', url: '', headers: [], asserts: [], handlers: [], unknown };
  }
  const request: HttpRequest = { line: offset + i + 1, title, name, meta, method: requestLine[1]!.toUpperCase(), url: requestLine[2]!.trim(), headers: [], asserts: [], handlers: [], unknown };
  i++;
  // REST Client: query parameters continued on the next lines, `?a=1` then `&b=2`.
  while (i < lines.length && /^\s+[?&]/.test(lines[i]!)) request.url += lines[i++]!.trim();
  for (; i < lines.length && lines[i]!.trim(); i++) {
    const line = lines[i]!.trim();
    if (line.startsWith('#') || line.startsWith('//')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) request.headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim(), line: offset + i + 1 });
    else unknown.push({ source: line, line: offset + i + 1, why: 'not a header (Name: value)' });
  }
  const body: string[] = [];
  let bodyLine = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const at = offset + i + 1;
    if (line.startsWith('??')) request.asserts.push({ text: line.slice(2).trim(), line: at });
    else if (line.startsWith('> {%')) {
      const end = scriptEnd(lines, i);
      request.handlers.push({ source: lines.slice(i, end + 1).join('\n').replace(/^>\s*\{%/, '').replace(/%\}\s*$/, ''), line: at });
      i = end;
    } else if (/^>\s+\S/.test(line)) request.handlers.push({ source: line, line: at, file: line.slice(1).trim() });
    else if (/^<>\s/.test(line)) continue; // a saved response to compare with: nothing to send
    else {
      if (!bodyLine && line.trim()) bodyLine = at;
      if (bodyLine) body.push(line);
    }
  }
  while (body.length && !body[body.length - 1]!.trim()) body.pop();
  if (body.length) request.body = { text: body.join('\n'), line: bodyLine };
  return request;
}

/** The line that closes a `{% … %}` script opened on line `from`. */
function scriptEnd(lines: string[], from: number): number {
  for (let j = from; j < lines.length; j++) if (lines[j]!.trimEnd().endsWith('%}')) return j;
  return lines.length - 1;
}

/**
 * multipart/form-data request bodies (RFC 7578), built by hand as a stream so an upload of any
 * size is read from disk as it is sent, never held in memory. Every part's size is known before
 * sending (text is rendered, files are stat'ed), so the request carries a Content-Length: some
 * servers and proxies refuse chunked uploads.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { UploadBody } from './client.js';
import { collectingAsRead } from './upload-memory.js';

export interface TextPart {
  name: string;
  value: string;
  contentType?: string;
}

export interface FilePart {
  name: string;
  /** The real path to read (already allowed by the file rule). */
  path: string;
  filename: string;
  contentType: string;
  size: number;
}

export type Part = TextPart | FilePart;

/** What reports record of a part: never a file's bytes. A text part's value is kept (redacted like any value). */
export interface PartRecord {
  name: string;
  filename?: string;
  contentType?: string;
  size: number;
  value?: string;
}

const CRLF = Buffer.from('\r\n');

/** Quoted-string escaping of names in Content-Disposition, as browsers do (WHATWG HTML, "multipart/form-data encoding"). */
function quoted(s: string): string {
  return s.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function partHead(boundary: string, part: Part): Buffer {
  const isFile = 'path' in part;
  const lines = [`--${boundary}`, `Content-Disposition: form-data; name="${quoted(part.name)}"${isFile ? `; filename="${quoted(part.filename)}"` : ''}`];
  // A part without a type is text/plain (RFC 7578 §4.4); CR and LF could start a header of their own.
  if (part.contentType) lines.push(`Content-Type: ${part.contentType.replace(/[\r\n]/g, ' ')}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8');
}

export function multipartBody(parts: Part[]): { upload: UploadBody; contentType: string; records: PartRecord[] } {
  const boundary = `----api-notebook-${randomBytes(12).toString('hex')}`;
  const heads = parts.map((p) => partHead(boundary, p));
  const texts = parts.map((p) => ('path' in p ? undefined : Buffer.from(p.value, 'utf8')));
  const tail = Buffer.from(`--${boundary}--\r\n`);
  let length = tail.length;
  parts.forEach((p, i) => (length += heads[i].length + ('path' in p ? p.size : texts[i]!.length) + CRLF.length));
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      yield heads[i];
      if ('path' in p) yield* collectingAsRead(createReadStream(p.path));
      else yield texts[i]!;
      yield CRLF;
    }
    yield tail;
  }
  const records = parts.map((p, i): PartRecord =>
    'path' in p ? { name: p.name, filename: p.filename, contentType: p.contentType, size: p.size } : { name: p.name, ...(p.contentType ? { contentType: p.contentType } : {}), size: texts[i]!.length, value: p.value },
  );
  return { upload: { length, open: () => Readable.from(chunks(), { objectMode: false }) }, contentType: `multipart/form-data; boundary=${boundary}`, records };
}

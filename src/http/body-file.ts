/**
 * A file sent as the raw request body (`body: { file: payload.bin }`), read from disk as it is
 * sent; and the media type a file name suggests, for uploads that do not say theirs.
 */
import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import type { UploadBody } from './client.js';
import { collectingAsRead } from './upload-memory.js';

export function fileBody(path: string, size: number): UploadBody {
  return { length: size, open: () => Readable.from(collectingAsRead(createReadStream(path)), { objectMode: false }) };
}

/** The usual types by extension; anything else is application/octet-stream (bytes, no claim). */
const TYPES: Record<string, string> = {
  '.txt': 'text/plain', '.csv': 'text/csv', '.tsv': 'text/tab-separated-values', '.html': 'text/html', '.htm': 'text/html',
  '.md': 'text/markdown', '.xml': 'application/xml', '.json': 'application/json', '.ndjson': 'application/x-ndjson',
  '.yaml': 'application/yaml', '.yml': 'application/yaml', '.js': 'text/javascript', '.css': 'text/css',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp',
  '.svg': 'image/svg+xml', '.ico': 'image/vnd.microsoft.icon', '.pdf': 'application/pdf', '.zip': 'application/zip',
  '.gz': 'application/gzip', '.tar': 'application/x-tar', '.mp3': 'audio/mpeg', '.mp4': 'video/mp4', '.wav': 'audio/wav',
};

export function contentTypeFor(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

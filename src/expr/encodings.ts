/**
 * Digests and encodings for expressions: `sha256`, `base64`, `unbase64`, `json`. Text is taken
 * as UTF-8; bytes (a Buffer or Uint8Array: a binary response body) as they are.
 */
import { createHash } from 'node:crypto';

function bytesOf(value: unknown, fn: string): Uint8Array {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value instanceof Uint8Array) return value;
  throw new TypeError(`${fn}() expects text or bytes, got ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value}`);
}

/** Hex SHA-256 of text (its UTF-8 bytes) or of bytes. */
export function sha256(value: unknown): string {
  return createHash('sha256').update(bytesOf(value, 'sha256')).digest('hex');
}

/** Standard base64 (with `=` padding) of text (its UTF-8 bytes) or of bytes. */
export function base64(value: unknown): string {
  const bytes = bytesOf(value, 'base64');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Decodes base64 (standard or URL-safe, padding optional, line breaks ignored). The result is text
 * when the bytes are UTF-8, else the bytes. Anything that is not base64 is an error, never a
 * silently shorter result (Node's decoder skips what it does not know).
 */
export function unbase64(value: unknown): string | Uint8Array {
  if (typeof value !== 'string') throw new TypeError(`unbase64() expects text, got ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value}`);
  const compact = value.replace(/[\r\n\t ]+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact) || compact.replace(/=+$/, '').length % 4 === 1) {
    throw new TypeError('unbase64() was given text that is not base64');
  }
  const bytes = Buffer.from(compact.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new Uint8Array(bytes);
  }
}

/**
 * Parses JSON text (a body served as text/plain, or JSON inside a JSON string). A failure says
 * where, never quoting the text (it may hold a secret).
 */
export function parseJson(value: unknown): unknown {
  const text = value instanceof Uint8Array ? new TextDecoder().decode(value) : value;
  if (typeof text !== 'string') throw new TypeError(`json() expects text, got ${text === null ? 'null' : Array.isArray(text) ? 'a list' : typeof text}`);
  try {
    return JSON.parse(text);
  } catch (err) {
    // V8 quotes the text around the problem; only where it is, is said.
    const message = (err as Error).message;
    const at = /position (\d+)/.exec(message)?.[1];
    const reason = text.trim() === '' ? 'the text is empty'
      : /end of JSON input/i.test(message) ? 'the text ends before the JSON does'
      : `unexpected text${at !== undefined ? ` at position ${at}` : ''}`;
    throw new TypeError(`json() cannot parse its argument as JSON: ${reason}`);
  }
}

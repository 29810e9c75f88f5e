/**
 * How a response body is read: parsed JSON, decoded text, or the bytes as they arrived.
 *
 * Without `responseType`, the Content-Type decides: JSON types parse, text types (and XML, HTML,
 * NDJSON, CSV, JavaScript, anything with a `charset`) decode as text in the charset they name,
 * and everything else (images, PDFs, octet streams, archives) stays bytes, so a PNG is never
 * turned into mojibake. `responseType: json | text | bytes` overrides it: a server that labels an
 * NDJSON stream `application/json` can still be read as text.
 */
import { createHash } from 'node:crypto';

export const RESPONSE_TYPES = ['json', 'text', 'bytes'] as const;
export type ResponseType = (typeof RESPONSE_TYPES)[number];

const JSON_TYPE = /[/+]json\b/i;
/** Types whose body is text although they are not `text/*`. */
const TEXT_TYPES = /^(?:text\/|application\/(?:(?:[\w.-]+\+)?xml|xhtml\+xml|javascript|ecmascript|x-javascript|x-ndjson|ndjson|jsonl|x-jsonlines|jsonlines|x-www-form-urlencoded|graphql|sql|yaml|x-yaml|csv|rtf|problem\+xml)\b|image\/svg\+xml\b|message\/)/i;
/** `application/x-ndjson` and friends end in "json" but are lines of JSON, not one document. */
const LINES_OF_JSON = /^application\/(?:x-)?(?:nd)?json(?:l|lines|-seq)\b|^application\/(?:x-)?ndjson\b|^application\/json-seq\b/i;

/** What the body will be read as, from an explicit responseType or the Content-Type. */
export function responseTypeFor(contentType: string | undefined, explicit?: ResponseType): ResponseType | 'auto-text' {
  if (explicit) return explicit;
  if (!contentType) return 'auto-text';
  const type = contentType.trim();
  if (LINES_OF_JSON.test(type)) return 'text';
  if (JSON_TYPE.test(type)) return 'json';
  // `charset=binary` (what file(1) says of bytes) names no text encoding.
  if (TEXT_TYPES.test(type) || (/;\s*charset\s*=/i.test(type) && !/;\s*charset\s*=\s*"?binary\b/i.test(type))) return 'text';
  return 'bytes';
}

/** The charset a Content-Type names (utf-8 when it names none, or one TextDecoder does not know). */
export function charsetOf(contentType: string | undefined): string {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  if (!m) return 'utf-8';
  try {
    return new TextDecoder(m[1]).encoding;
  } catch {
    return 'utf-8';
  }
}

export function decodeText(bytes: Buffer, contentType: string | undefined): string {
  // Most bodies name no charset or UTF-8: Buffer's own decoder, as before, without a TextDecoder.
  const charset = contentType && /charset/i.test(contentType) ? charsetOf(contentType) : 'utf-8';
  if (charset === 'utf-8') return bytes.toString('utf8');
  return new TextDecoder(charset).decode(bytes);
}

/** A body kept as bytes: its size and SHA-256, which is all any report ever shows of it. */
export interface BytesSummary {
  bytes: number;
  sha256: string;
}

const summaries = new WeakMap<Uint8Array, BytesSummary>();

export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

/** Computed once per body (a report, a capture and a check may all ask). */
export function summarizeBytes(bytes: Uint8Array): BytesSummary {
  let s = summaries.get(bytes);
  if (!s) {
    s = { bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
    summaries.set(bytes, s);
  }
  return s;
}

/** How bytes read in any report: never the bytes themselves, never mis-decoded text. */
export function bytesText(bytes: Uint8Array): string {
  const s = summarizeBytes(bytes);
  return `[binary body: ${s.bytes} bytes, sha256 ${s.sha256}]`;
}

/**
 * A Buffer that serialises as its summary: wherever a bytes body ends up (a capture, an assert's
 * operands, a check's actual value, a page of `open`), JSON.stringify writes its size and digest,
 * not a list of every byte. Still a Buffer: expression functions take it as one.
 */
export function asBytesBody(bytes: Buffer): Buffer {
  Object.defineProperty(bytes, 'toJSON', { value: () => bytesText(bytes), enumerable: false, configurable: true });
  return bytes;
}

/**
 * Replaces every bytes value inside a result (captures, check values, operands) with its summary
 * text, copying only the objects on the way to one. Reports get plain JSON-like data.
 */
export function withoutBytes<T>(value: T, depth = 0): T {
  if (isBytes(value)) return bytesText(value) as T;
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((x, i) => {
      const y = withoutBytes(x, depth + 1);
      if (y !== x) (copy ??= value.slice())[i] = y;
    });
    return (copy ?? value) as T;
  }
  let copy: Record<string, unknown> | undefined;
  for (const k of Object.keys(value)) {
    const x = (value as Record<string, unknown>)[k];
    const y = withoutBytes(x, depth + 1);
    if (y !== x) (copy ??= { ...(value as Record<string, unknown>) })[k] = y;
  }
  return (copy ?? value) as T;
}

/**
 * Response `content-encoding`: gzip, deflate and br are decoded as they stream in (node:zlib), so
 * the body cap counts decoded bytes and a small compressed bomb is refused long before it is inflated.
 */
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw, type BrotliDecompress, type Gunzip, type Inflate, type InflateRaw } from 'node:zlib';

export type Decoder = Gunzip | Inflate | InflateRaw | BrotliDecompress;

const DECODERS: Record<string, () => Decoder> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/**
 * The decoders for a content-encoding value, in the order to apply them (the header lists them
 * in the order they were applied). Undefined when there is nothing to decode; `unknown` names
 * an encoding we cannot decode, whose body is then kept as it arrived.
 */
export function decodersFor(contentEncoding: string | undefined, firstByte: number): { chain: Decoder[]; unknown?: string } | undefined {
  if (!contentEncoding) return undefined;
  const names = contentEncoding.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s && s !== 'identity');
  if (names.length === 0) return undefined;
  const unknown = names.find((n) => !DECODERS[n]);
  if (unknown) return { chain: [], unknown };
  const order = names.reverse();
  return { chain: order.map((n, i) => (i === 0 && n === 'deflate' && !isZlibHeader(firstByte) ? createInflateRaw() : DECODERS[n]())) };
}

/**
 * `deflate` means zlib-wrapped (RFC 1950), but some servers send raw deflate (RFC 1951), as
 * browsers accept: a zlib stream starts with a CMF byte whose low nibble is 8.
 */
function isZlibHeader(byte: number): boolean {
  return (byte & 0x0f) === 0x08;
}

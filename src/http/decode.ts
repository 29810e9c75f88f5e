/**
 * Response `content-encoding`: gzip, deflate and br are decoded as they stream in (node:zlib), so
 * the body cap counts decoded bytes and a small compressed bomb is refused long before it is inflated.
 */
import { createBrotliDecompress, createGunzip, createInflate, type BrotliDecompress, type Gunzip, type Inflate } from 'node:zlib';

export type Decoder = Gunzip | Inflate | BrotliDecompress;

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
export function decodersFor(contentEncoding: string | undefined): { chain: Decoder[]; unknown?: string } | undefined {
  if (!contentEncoding) return undefined;
  const names = contentEncoding.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s && s !== 'identity');
  if (names.length === 0) return undefined;
  const unknown = names.find((n) => !DECODERS[n]);
  if (unknown) return { chain: [], unknown };
  return { chain: names.reverse().map((n) => DECODERS[n]()) };
}

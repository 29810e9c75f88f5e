/** What a step result records about how its response body was read (see src/http/response-type.ts). */
import type { HttpResponse } from '../http/client.js';
import { isBytes, summarizeBytes } from '../http/response-type.js';
import type { ResponseRecord } from './results.js';

/** `bodyType: bytes` and the digest for a bytes body; nothing for JSON and text, which read as before. */
export function responseBodyFields(response: HttpResponse): Pick<ResponseRecord, 'bodyType' | 'bodySha256'> {
  if (response.bodyType !== 'bytes') return {};
  return { bodyType: 'bytes', bodySha256: isBytes(response.body) ? summarizeBytes(response.body).sha256 : summarizeBytes(new Uint8Array(0)).sha256 };
}

/**
 * An operation of a description as the matcher and the checks read it. Its own file, with no
 * imports but the located-value type, so the matcher (match.ts) and the readOnly/writeOnly rules
 * (read-write-only.ts) can name it without importing the description that uses them.
 */
import type { Located } from './resolve.js';

export interface Operation {
  method: string;
  path: string;
  /** `GET /articles/{slug}` */
  label: string;
  /** Status keys as written: `200`, `2XX`, `default`. */
  documented: string[];
  responses: Map<string, Located>;
  /** Base paths of the servers that apply (`''` for none), longest first. */
  bases: string[];
  pattern: RegExp;
  /** The same template with its last segment a parameter that may span segments (`/contents/{path}` → `/contents/a/b`). */
  spanning?: RegExp;
  /** Path templates with fewer parameters match first. */
  params: number;
  /** The path parameters' schemas by name (the operation's, else the path item's), checked on their decoded values. */
  pathParams: Map<string, Located>;
  /** Every parameter (path item's, then the operation's overriding by `in` and name), for the request check. */
  parameters: Parameter[];
  /** The Request Body Object, dereferenced. */
  requestBody?: Located;
}

/** A Parameter Object, dereferenced, with its style and explode defaults applied (OpenAPI 3 "Style Values"). */
export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  style: string;
  explode: boolean;
  /** Its `schema`, or the schema of its one `content` entry. */
  schema?: Located;
  /** Its `content` media type (the value is JSON text then), if it has one. */
  media?: string;
}

/** Which reading of a schema validates: a request's (readOnly properties refused, not required) or a response's (writeOnly). */
export type Side = 'request' | 'response';

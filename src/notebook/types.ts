/**
 * The typed notebook the loader produces. Every node keeps the span it came from, and every
 * `${…}` is already compiled, so the runner never parses text and any error can point at a line.
 */
import type { Expr, Template } from '../expr/index.js';
import type { ValidateFunction } from 'ajv';
import type { FileRules } from '../files/access.js';
import type { ResponseType } from '../http/response-type.js';

export interface Span {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
  /** Characters to underline on that line (at least 1). */
  length: number;
}

export interface Located<T> {
  value: T;
  span: Span;
}

export interface InputDef {
  name: string;
  env?: string;
  secret: boolean;
  default?: unknown;
  prompt?: string;
  span: Span;
}

export type AuthSpec =
  | { kind: 'basic'; username: Template; password: Template }
  | { kind: 'bearer'; token: Template }
  | { kind: 'oauth2'; tokenUrl: Template; clientId: Template; clientSecret: Template; scopes: string[] };

export type StepAuth = AuthSpec | 'none' | 'inherit';

export type BodySpec =
  | { kind: 'none' }
  | { kind: 'form'; value: Template }
  | { kind: 'json'; value: Template }
  | { kind: 'raw'; value: Template }
  | { kind: 'file'; file: FileRef; contentType?: Template }
  | { kind: 'multipart'; parts: MultipartPart[] }
  | { kind: 'graphql'; query: Template; variables?: Template; operationName?: Template };

/** A local file a request sends; read through the file rule (src/files/access.ts). */
export interface FileRef {
  /** As written, relative to the notebook; may hold `${…}` (then checked when it is rendered). */
  path: Template;
  span: Span;
}

/** One part of a `multipart:` body: text (a template) or a file. */
export type MultipartPart =
  | { kind: 'text'; name: string; value: Template; contentType?: string; span: Span }
  | { kind: 'file'; name: string; file: FileRef; contentType?: Template; filename?: Template; span: Span };

export type ArrayFormat = 'brackets' | 'repeat' | 'comma';

export interface RequestSpec {
  method: string;
  target: { kind: 'path' | 'url'; value: Template };
  query?: Template;
  headers?: Template;
  body: BodySpec;
  timeoutMs?: number;
  /** `cookies: false`: this request neither sends nor stores the jar's cookies (the notebook's default otherwise). */
  cookies?: boolean;
  /** `followRedirects` as written: true (up to 10), false, or how many. */
  followRedirects?: boolean | number;
  /** How the response body is read (wins over defaults.responseType and the Content-Type). */
  responseType?: ResponseType;
  /** How `query` arrays are written (wins over defaults.arrayFormat). */
  arrayFormat?: ArrayFormat;
  /** TLS settings of this request, over `defaults.tls` (key by key). */
  tls?: TlsSpec;
  /** Offer HTTP/2 (ALPN h2) over TLS; over `defaults.http2`. */
  http2?: boolean;
  span: Span;
}

export interface SchemaRef {
  /** The name as written, or "inline". */
  label: string;
  validate: ValidateFunction;
}

export interface ExpectSpec {
  status?: Located<number[]>;
  headers: Array<{ name: string; expected: Template; span: Span }>;
  body?: Located<Template>;
  /** `expect.text`: the body as text equals this, or matches it written `/…/flags`. */
  text?: Located<Template>;
  /** `expect.maxDurationMs`: the exchange took at most this long (a check, not a deadline). */
  maxDurationMs?: Located<number>;
  schema?: Located<SchemaRef>;
  /** `expect.cookies`: what the response set each cookie to (exact text or `/regex/`; null: not set). */
  cookies?: Array<{ name: string; expected: Template; span: Span }>;
  /** A `graphql:` request: whether the response is to carry GraphQL `errors` (default false). */
  graphqlErrors?: Located<boolean>;
}

export interface Capture {
  name: string;
  expr: Expr;
  span: Span;
}

export interface Assertion {
  expr: Expr;
  span: Span;
}

export type Phase = 'steps' | 'teardown';

interface StepBase {
  name: string;
  doc?: string;
  phase: Phase;
  /** Position within its phase, from 0. */
  index: number;
  span: Span;
  expect: ExpectSpec;
  captures: Capture[];
  asserts: Assertion[];
  when?: Located<Expr>;
  forEach?: Located<Expr | Template>;
  as: string;
  repeat?: { until: Expr; max: number; span: Span; intervalMs?: number; backoff?: number | 'constant' | 'linear' | 'exponential'; /** Total time the runs may take (default REPEAT_MAX_MS). */ maxMs?: number };
  continueOnFailure: boolean;
  /** Retries of a failed run (the author's explicit choice, also for requests that change state). */
  retries?: number;
  retryDelayMs?: number;
}

/** A step that sends a request. */
export interface HttpStep extends StepBase {
  kind: 'http';
  request: RequestSpec;
  auth: StepAuth;
  /** `openapi: false`: this step's responses are not checked against the description. */
  openapi?: false;
}

/** A step with no request: it only computes captures and asserts over what is known. */
export interface ComputeStep extends StepBase {
  kind: 'compute';
}

/**
 * `use: shared/login.yaml`: another notebook's steps run in place of this step (src/run/use.ts).
 * Its `teardown` joins this notebook's, after it, last use first.
 */
export interface UseStep extends StepBase {
  kind: 'use';
  use: UseSpec;
}

export interface UseSpec {
  /** The path as written, relative to the using notebook. */
  written: string;
  /** The used notebook, loaded and built with the rules of every notebook (it may use others). */
  notebook: Notebook;
  /** `with:`: values for the used notebook's inputs, rendered where the use runs. */
  with: Array<{ name: string; value: Template; span: Span }>;
  /** The names the used notebook captures (its uses' too): visible to the steps after the use. */
  captures: string[];
  span: Span;
}

export type Step = HttpStep | ComputeStep | UseStep;

export interface Notebook {
  file: string;
  title: string;
  description?: string;
  baseUrl?: string;
  /** `baseUrl: "${apiBase}"`: rendered over the inputs and vars before the run, then checked (src/cli/prepare.ts). */
  baseUrlTemplate?: Located<Template>;
  mock?: 'stripe';
  /** The OpenAPI description named by `openapi:` (absolute path, or an http(s) URL), and where it is named. */
  openapi?: { file: string; span: Span; /** The long form's `ignore` (src/openapi/waivers.ts). */ ignore?: string[]; /** The long form's `strictPaths`: no last path parameter spanning segments. */ strictPaths?: boolean };
  inputs: InputDef[];
  auth?: AuthSpec;
  defaults: { encoding: 'form' | 'json'; headers?: Template; timeoutMs?: number; cookies?: boolean; followRedirects?: boolean | number; responseType?: ResponseType; arrayFormat?: ArrayFormat; tls?: TlsSpec; http2?: boolean };
  /** `secretCookies`: cookies whose values are secrets (redacted in every output). */
  secretCookies?: string[];
  /** Where the files the notebook names may come from (the notebook's repository, --allow-files). */
  files?: FileRules;
  vars: Array<{ name: string; value: Template; span: Span }>;
  /** Contents of the data files named by `data('…')`, by name as written (src/data/). */
  data?: ReadonlyMap<string, unknown>;
  steps: Step[];
  teardown: Step[];
  /**
   * Set when the steps were let go after the notebook was checked, to be read again from its file
   * when its turn to run comes (src/notebook/released.ts): `steps` and `teardown` are then empty.
   */
  released?: ReleasedSteps;
}

/** What the checks before a run need of a notebook whose steps were let go. */
export interface ReleasedSteps {
  steps: number;
  teardown: number;
  /** Each step's `tls:` (the files it names are checked, its passphrase redacted, before anything is sent). */
  tls: TlsSpec[];
  /** Some step sends to a path, so the notebook needs a base URL. */
  sendsToPath: boolean;
  /** The notebooks its steps use (`use:`): the --var check reads their inputs and vars. */
  used: Notebook[];
  /** SHA-256 of the text that was checked: the file read again must be the same. */
  sha256: string;
}

/** A file as written (`written`) and resolved against the notebook's folder (`value`). */
export type TlsFileRef = Located<string> & { written: string };

export interface TlsSpec {
  ca?: TlsFileRef[];
  cert?: TlsFileRef;
  key?: TlsFileRef;
  pfx?: TlsFileRef;
  passphrase?: Template;
  insecure?: Located<boolean>;
  span: Span;
}

/** Renders a step's request templates into the exact request that goes on the wire. */
import type { Scope } from '../expr/index.js';
import { encodeForm, joinUrl, withQuery } from '../http/encode.js';
import type { HttpRequest } from '../http/client.js';
import type { Notebook, RequestSpec } from '../notebook/types.js';
import { GRAPHQL_ACCEPT, renderGraphql, renderUpload, type RenderedUpload } from './request-bodies.js';
import { renderTransport } from './transport.js';

const USER_AGENT = 'api-notebook/0.1';

/**
 * A request that must not go out: its path or URL would hold a null or missing value
 * (`GET /users//todos` after a capture found nothing). Never sent; the step fails naming it.
 */
export class MissingValueError extends Error {
  readonly kind = 'missing-value';
}

/** Every `${…}` of the path or URL must have a value; an empty segment is never what was meant. */
function checkTargetValues(spec: RequestSpec, scope: Scope): void {
  for (const expr of spec.target.value.exprs) {
    const value = expr.evaluate(scope);
    if (value === null || value === undefined) {
      throw new MissingValueError(
        `\`\${${expr.source}}\` in the request ${spec.target.kind} is null (a capture that found nothing, or a missing field), so the request was not sent (it would have been ${spec.method} ${String(spec.target.value.render(scope) ?? '')})`,
      );
    }
  }
}

function stringHeaders(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k.toLowerCase()] = String(v);
  }
  return out;
}

/** timeoutMs: the run's --timeout; a request's own `timeoutMs`, then the notebook's default, come first. */
export function renderRequest(spec: RequestSpec, nb: Notebook, baseUrl: string, scope: Scope, timeoutMs: number, onUrl?: (url: string) => void): HttpRequest & { uploadRecord?: Omit<RenderedUpload, 'upload' | 'contentType'> } {
  if (spec.target.value.exprs.length) checkTargetValues(spec, scope);
  const target = String(spec.target.value.render(scope) ?? '');
  const arrayFormat = spec.arrayFormat ?? nb.defaults.arrayFormat;
  let url = withQuery(spec.target.kind === 'url' ? target : joinUrl(baseUrl, target), spec.query?.render(scope), arrayFormat);
  // `onUrl`: the headers and body below may read `cookies`, the jar's cookies for this URL.
  onUrl?.(url);
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, ...stringHeaders(nb.defaults.headers?.render(scope)) };
  let body: string | undefined;
  let contentType: string | undefined;
  let upload: RenderedUpload | undefined;
  switch (spec.body.kind) {
    case 'file':
    case 'multipart':
      upload = renderUpload(spec.body, nb, scope);
      contentType = upload.contentType;
      break;
    case 'graphql': {
      const gql = renderGraphql(spec.body, spec.method, scope);
      headers.accept = GRAPHQL_ACCEPT;
      if (gql.query) url = withQuery(url, gql.query);
      else {
        body = gql.json;
        contentType = 'application/json';
      }
      break;
    }
    case 'none':
      break;
    case 'form':
      body = encodeForm(spec.body.value.render(scope));
      contentType = 'application/x-www-form-urlencoded';
      break;
    case 'json':
      body = JSON.stringify(spec.body.value.render(scope));
      contentType = 'application/json';
      break;
    case 'raw': {
      const value = spec.body.value.render(scope);
      if (typeof value === 'string') body = value;
      else if (nb.defaults.encoding === 'form') {
        body = encodeForm(value);
        contentType = 'application/x-www-form-urlencoded';
      } else {
        body = JSON.stringify(value);
        contentType = 'application/json';
      }
      break;
    }
  }
  if (contentType) headers['content-type'] = contentType;
  Object.assign(headers, stringHeaders(spec.headers?.render(scope)));
  const request: ReturnType<typeof renderRequest> = { method: spec.method, url, headers, body, timeoutMs: spec.timeoutMs ?? nb.defaults.timeoutMs ?? timeoutMs };
  const transport = renderTransport(spec, nb, scope);
  if (transport) request.transport = transport;
  const responseType = spec.responseType ?? nb.defaults.responseType;
  if (responseType) request.responseType = responseType;
  if (upload) {
    // The length is known (files are stat'ed): a Content-Length, not chunks, which some servers refuse.
    headers['content-length'] = String(upload.upload.length);
    request.upload = upload.upload;
    request.uploadRecord = { multipart: upload.multipart, bodyFile: upload.bodyFile };
  }
  return request;
}

/** Renders a step's request templates into the exact request that goes on the wire. */
import type { Scope } from '../expr/index.js';
import { encodeForm, joinUrl, withQuery } from '../http/encode.js';
import type { HttpRequest } from '../http/client.js';
import type { Notebook, RequestSpec } from '../notebook/types.js';

const USER_AGENT = 'api-notebook/0.1';

function stringHeaders(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k.toLowerCase()] = String(v);
  }
  return out;
}

export function renderRequest(spec: RequestSpec, nb: Notebook, baseUrl: string, scope: Scope, timeoutMs: number): HttpRequest {
  const target = String(spec.target.value.render(scope) ?? '');
  const url = withQuery(spec.target.kind === 'url' ? target : joinUrl(baseUrl, target), spec.query?.render(scope));
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, ...stringHeaders(nb.defaults.headers?.render(scope)) };
  let body: string | undefined;
  let contentType: string | undefined;
  switch (spec.body.kind) {
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
  return { method: spec.method, url, headers, body, timeoutMs: spec.timeoutMs ?? timeoutMs };
}

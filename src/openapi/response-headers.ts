/**
 * The headers a documented response declares (`responses.200.headers`): each `required` one must
 * be there, and each present one must validate against its schema, read as `simple` style text
 * (a `X-Rate-Limit: 5000` is the integer 5000). `Content-Type` is left out, as OpenAPI says: the
 * response's `content` describes it.
 */
import type { ErrorObject } from 'ajv';
import type { Description } from './description.js';
import { headerValue, shapeOf } from './params-style.js';
import { child, type Located } from './resolve.js';

export interface HeaderProblem {
  header: string;
  message: string;
  errors?: ErrorObject[];
}

export function responseHeaderProblem(description: Description, response: Located, headers: Record<string, string>, where: string): HeaderProblem | undefined {
  for (const name of Object.keys(response.value.headers ?? {})) {
    if (name.toLowerCase() === 'content-type') continue;
    const header = description.files.deref(child(response, 'headers', name));
    if (!header || typeof header.value !== 'object') continue;
    const text = headers[name.toLowerCase()];
    if (text === undefined) {
      if (header.value.required === true) return { header: name, message: `the ${where} response has no ${name} header, which the description requires` };
      continue;
    }
    if (header.value.schema === undefined) continue;
    const schema = child(header, 'schema');
    const read = headerValue({ name, in: 'header', required: false, style: 'simple', explode: header.value.explode === true }, text, shapeOf(description.schemaValue(schema)));
    if (!read || 'error' in read) continue;
    const validate = description.validator(schema, 'response', true);
    if (validate instanceof Error) return { header: name, message: validate.message };
    if (validate(read.value)) continue;
    const errors = [...(validate.errors ?? [])];
    return { header: name, message: `response header ${name} (${JSON.stringify(text)}) ${errors[0]?.message ?? 'is not valid'} (the schema of the ${where} header ${name})`, errors };
  }
  return undefined;
}

/** Stripe's error shape `{ error: { type, message, param?, code? } }` with the reference's statuses. */
export type StripeErrorType = 'invalid_request_error' | 'api_error' | 'card_error' | 'authentication_error' | 'rate_limit_error' | 'idempotency_error';

export class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly type: StripeErrorType,
    message: string,
    readonly param?: string,
    readonly code?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  toJSON(): { error: Record<string, unknown> } {
    const error: Record<string, unknown> = { type: this.type, message: this.message };
    if (this.param !== undefined) error.param = this.param;
    if (this.code !== undefined) error.code = this.code;
    return { error: { ...error, ...this.extra } };
  }
}

export const missingParam = (param: string) => new StripeError(400, 'invalid_request_error', `Missing required param: ${param}.`, param);
export const unknownParam = (param: string) => new StripeError(400, 'invalid_request_error', `Received unknown parameter: ${param}`, param);
export const invalidParam = (param: string, message: string) => new StripeError(400, 'invalid_request_error', message, param);
export const noSuch = (what: string, id: string, param = 'id', status = 404) => new StripeError(status, 'invalid_request_error', `No such ${what}: ${id}`, param);
export const cardError = (code: string, message: string, param?: string, extra: Record<string, unknown> = {}) => new StripeError(402, 'card_error', message, param, code, extra);

export const unrecognizedUrl = (method: string, path: string) =>
  new StripeError(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`);

export const noApiKey = () =>
  new StripeError(401, 'invalid_request_error', "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");

export const invalidApiKey = (key: string) =>
  new StripeError(401, 'invalid_request_error', `Invalid API Key provided: ${maskKey(key)}`);

/** Stripe shows a key with all but its last four characters masked. */
export function maskKey(key: string): string {
  const prefix = /^(sk|pk|rk)_(test|live)_/.exec(key)?.[0] ?? '';
  return `${prefix}${'*'.repeat(Math.max(4, key.length - prefix.length - 4))}${key.slice(-4)}`;
}

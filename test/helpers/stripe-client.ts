/** A thin undici client for driving the mock in tests: form bodies, Basic or Bearer keys. */
import qs from 'qs';
import { request } from 'undici';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: any;
}

export function client(baseUrl: string, key: string | null = 'sk_test_mocktests', scheme: 'basic' | 'bearer' = 'basic') {
  const auth = (): Record<string, string> =>
    key === null ? {} : { authorization: scheme === 'basic' ? `Basic ${Buffer.from(`${key}:`).toString('base64')}` : `Bearer ${key}` };
  async function call(method: string, path: string, params?: object, headers: Record<string, string> = {}): Promise<Reply> {
    const encoded = params ? qs.stringify(params, { arrayFormat: 'brackets' }) : '';
    const url = method === 'POST' || !encoded ? `${baseUrl}${path}` : `${baseUrl}${path}?${encoded}`;
    const res = await request(url, {
      method: method as 'GET',
      headers: { ...auth(), ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...headers },
      body: method === 'POST' ? encoded : undefined,
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers as Record<string, string>, body: text ? JSON.parse(text) : null };
  }
  return {
    get: (path: string, query?: object) => call('GET', path, query),
    post: (path: string, form?: object, headers?: Record<string, string>) => call('POST', path, form, headers),
    del: (path: string, query?: object) => call('DELETE', path, query),
    raw: call,
  };
}

export const nextYear = () => new Date().getUTCFullYear() + 1;
export const visa = () => ({ number: '4242424242424242', exp_month: 12, exp_year: nextYear(), cvc: '123' });

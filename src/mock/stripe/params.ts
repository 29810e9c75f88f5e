/**
 * Reads an endpoint's form parameters the way Stripe validates them: unknown parameters are a
 * 400 naming the parameter, missing required ones too, and values are checked for type and range.
 * Stripe accepts `expand[]` and `include[]` on every endpoint: they pass here, and server.ts (expand.ts)
 * and the list endpoints act on them.
 */
import { invalidParam, missingParam, unknownParam } from './errors.js';

type Raw = Record<string, unknown>;
const ALWAYS_ALLOWED = ['expand', 'include'];

export class Params {
  constructor(readonly raw: Raw, allowed: readonly string[], readonly prefix = '') {
    for (const key of Object.keys(raw)) {
      if (!allowed.includes(key) && !ALWAYS_ALLOWED.includes(key)) throw unknownParam(this.name(key));
    }
  }

  name(key: string): string {
    return this.prefix ? `${this.prefix}[${key}]` : key;
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined;
  }

  string(key: string, opts: { required?: boolean; max?: number; oneOf?: readonly string[]; allowEmpty?: boolean } = {}): string | undefined {
    const v = this.raw[key];
    if (v === undefined || (v === '' && !opts.allowEmpty)) {
      if (opts.required) throw missingParam(this.name(key));
      return v === '' ? '' : undefined;
    }
    if (typeof v !== 'string') throw invalidParam(this.name(key), `Invalid string: ${describe(v)}`);
    if (opts.max !== undefined && v.length > opts.max) throw invalidParam(this.name(key), `Invalid ${this.name(key)}: must be at most ${opts.max} characters`);
    if (opts.oneOf && !opts.oneOf.includes(v)) throw invalidParam(this.name(key), `Invalid ${this.name(key)}: must be one of ${opts.oneOf.join(', ')}`);
    return v;
  }

  /** `''` clears a nullable field in Stripe; returned as null. */
  nullableString(key: string, max?: number): string | null | undefined {
    if (this.raw[key] === '') return null;
    return this.string(key, { max });
  }

  int(key: string, opts: { required?: boolean; min?: number; max?: number } = {}): number | undefined {
    const v = this.raw[key];
    if (v === undefined || v === '') {
      if (opts.required) throw missingParam(this.name(key));
      return undefined;
    }
    if (typeof v !== 'string' || !/^-?\d+$/.test(v)) throw invalidParam(this.name(key), `Invalid integer: ${describe(v)}`);
    const n = Number(v);
    if (!Number.isSafeInteger(n)) throw invalidParam(this.name(key), `Invalid integer: ${v}`);
    if (opts.min !== undefined && n < opts.min) throw invalidParam(this.name(key), `Invalid ${this.name(key)}: must be at least ${opts.min}`);
    if (opts.max !== undefined && n > opts.max) throw invalidParam(this.name(key), `Invalid ${this.name(key)}: must be at most ${opts.max}`);
    return n;
  }

  /** `trial_end`: a Unix timestamp, or `now` to end a trial at once. */
  trialEnd(): number | 'now' | undefined {
    if (this.raw.trial_end === 'now') return 'now';
    return this.int('trial_end');
  }

  bool(key: string): boolean | undefined {
    const v = this.raw[key];
    if (v === undefined) return undefined;
    if (v === 'true') return true;
    if (v === 'false') return false;
    throw invalidParam(this.name(key), `Invalid boolean: ${describe(v)}`);
  }

  currency(key: string, required = false): string | undefined {
    const v = this.string(key, { required });
    if (v !== undefined && !/^[a-zA-Z]{3}$/.test(v)) throw invalidParam(this.name(key), `Invalid currency: ${v}. Stripe currently supports these currencies: usd, eur, gbp, …`);
    return v?.toLowerCase();
  }

  /** A nested hash such as `card[number]`; a string is returned as is (a token id). */
  hashOrString(key: string): Raw | string | undefined {
    const v = this.raw[key];
    if (v === undefined) return undefined;
    if (typeof v === 'string' || (v !== null && typeof v === 'object' && !Array.isArray(v))) return v as Raw | string;
    throw invalidParam(this.name(key), `Invalid ${this.name(key)}: must be a string or a hash`);
  }

  /**
   * Stripe's metadata rules: up to 20 keys, keys up to 40 characters, values up to 500;
   * an empty value unsets its key, and `metadata=` (empty) unsets them all.
   */
  metadata(current: Record<string, string> = {}): Record<string, string> | undefined {
    const v = this.raw.metadata;
    if (v === undefined) return undefined;
    if (v === '') return {};
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw invalidParam('metadata', 'Invalid metadata: metadata must be a hash of key/value pairs');
    const next = { ...current };
    for (const [k, value] of Object.entries(v as Raw)) {
      if (typeof value !== 'string') throw invalidParam(`metadata[${k}]`, `Invalid value for metadata[${k}]: must be a string`);
      if (k.length > 40) throw invalidParam(`metadata[${k}]`, `Metadata keys can have up to 40 characters; ${k} has ${k.length}.`);
      if (value.length > 500) throw invalidParam(`metadata[${k}]`, `Metadata values can have up to 500 characters, but you passed in a value that is ${value.length} characters.`);
      if (value === '') delete next[k];
      else next[k] = value;
    }
    if (Object.keys(next).length > 20) throw invalidParam('metadata', 'You can have up to 20 metadata keys.');
    return next;
  }
}

function describe(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

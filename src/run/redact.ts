/**
 * Secrets (secret inputs, credentials, tokens) are replaced with [REDACTED] in every result before
 * any reporter or log sees it, also inside bodies and URLs, so no output path can leak them.
 */
export const REDACTED = '[REDACTED]';
const SENSITIVE_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);

export class Redactor {
  private secrets: string[] = [];
  private pattern: RegExp | undefined;

  /** Adds a secret, with the encoded forms it may take in a URL or a Basic header. */
  add(value: unknown): void {
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const text = String(value);
    // Very short values would blank out ordinary text; they are not credentials anyone uses.
    if (text.length < 4) return;
    const forms = [text, encodeURIComponent(text), Buffer.from(text).toString('base64'), Buffer.from(`${text}:`).toString('base64')];
    for (const f of forms) if (!this.secrets.includes(f)) this.secrets.push(f);
    this.secrets.sort((a, b) => b.length - a.length);
    this.pattern = new RegExp(this.secrets.map(escapeRegExp).join('|'), 'g');
  }

  get size(): number {
    return this.secrets.length;
  }

  text(s: string): string {
    return this.pattern ? s.replace(this.pattern, REDACTED) : s;
  }

  headers(h: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(h)) out[k] = SENSITIVE_HEADERS.has(k.toLowerCase()) ? REDACTED : this.text(v);
    return out;
  }

  /** Deep copy of any JSON-like value with every secret replaced (keys too). */
  value<T>(v: T): T {
    return this.walk(v) as T;
  }

  private walk(v: unknown): unknown {
    if (typeof v === 'string') return this.text(v);
    if (Array.isArray(v)) return v.map((x) => this.walk(x));
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [this.text(k), this.walk(x)]));
    }
    return v;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `tls:` and `http2:` under `defaults:` and on a request, as the loader builds them. Files are
 * resolved against the notebook's folder here; whether they may be read (the file rule,
 * src/files/access.ts) is checked before a run sends anything (src/cli/tls-files.ts), and they
 * are read when the first request that needs them is sent. The passphrase is a template
 * (`"${keyPassphrase}"`), rendered per request and given to the redactor.
 */
import { dirname, resolve } from 'node:path';
import type { Template } from '../expr/index.js';
import type { Path, SourceMap } from './source.js';
import type { TlsFileRef as FileRef, TlsSpec } from './types.js';

export type { TlsFileRef as FileRef, TlsSpec } from './types.js';

type Raw = Record<string, unknown>;

/** The `tls:` mapping at `at` (the structure check has vouched for its shape). */
export function buildTls(raw: unknown, at: Path, source: SourceMap, template: (v: unknown, at: Path) => Template): TlsSpec | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const t = raw as Raw;
  const dir = dirname(source.file);
  const ref = (written: unknown, path: Path): FileRef | undefined =>
    typeof written === 'string' ? { value: resolve(dir, written), written, span: source.at(path) } : undefined;
  const file = (key: string) => ref(t[key], [...at, key]);
  const ca = t.ca === undefined ? undefined
    : Array.isArray(t.ca) ? t.ca.map((f, i) => ref(f, [...at, 'ca', i])).filter((f): f is FileRef => !!f)
    : [ref(t.ca, [...at, 'ca'])].filter((f): f is FileRef => !!f);
  return {
    ca,
    cert: file('cert'),
    key: file('key'),
    pfx: file('pfx'),
    passphrase: t.passphrase === undefined ? undefined : template(String(t.passphrase), [...at, 'passphrase']),
    insecure: typeof t.insecure === 'boolean' ? { value: t.insecure, span: source.at([...at, 'insecure']) } : undefined,
    span: source.at(at),
  };
}

/** Each file a spec names, with its key (for messages). */
export function tlsFiles(spec: TlsSpec | undefined): Array<FileRef & { key: string }> {
  if (!spec) return [];
  const out: Array<FileRef & { key: string }> = (spec.ca ?? []).map((f) => ({ ...f, key: 'ca' }));
  for (const key of ['cert', 'key', 'pfx'] as const) {
    const v = spec[key];
    if (v) out.push({ ...v, key });
  }
  return out;
}

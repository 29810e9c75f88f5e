/** curl's TLS options → a request's `tls:` (docs/notebook-format.md, "TLS, proxies and HTTP/2"). */
import { dict, type Dict } from '../dict.js';
import type { Kept } from '../draft.js';
import { notebookPath, type FilePlace } from './files.js';
import type { Inputs } from './inputs.js';
import type { Opt } from './parse.js';

export function tlsOf(options: Opt[], kept: Kept[], inputs: Inputs, place: FilePlace): Dict<unknown> | undefined {
  const tls: Dict<unknown> = dict();
  const keep = (o: Opt, why: string) => kept.push({ line: o.line, why, source: `${o.written}${o.value !== undefined ? ` ${inputs.redact(o.value)}` : ''}` });
  const file = (o: Opt, path: string, key: 'ca' | 'cert' | 'key' | 'pfx') => {
    const where = notebookPath(path, place);
    if ('path' in where) tls[key] = where.path;
    else keep(o, where.why);
  };
  const p12 = options.some((o) => o.name === 'cert-type' && /^p12$/i.test(o.value ?? ''));
  for (const o of options) {
    const v = o.value ?? '';
    switch (o.name) {
      case 'insecure':
        tls.insecure = true;
        break;
      case 'cacert':
        file(o, v, 'ca');
        break;
      case 'cert': {
        // `-E client.pem:passphrase` (a `\:` is a colon of the file name).
        const m = /^((?:[^:\\]|\\.|[A-Za-z]:\\)+?)(?<!\\):(.*)$/.exec(v);
        const path = (m ? m[1]! : v).replace(/\\:/g, ':');
        file(o, path, p12 ? 'pfx' : 'cert');
        if (m?.[2]) tls.passphrase = inputs.secret(m[2], 'cert passphrase', 'the passphrase of the client certificate (-E file:passphrase)');
        break;
      }
      case 'key':
        file(o, v, 'key');
        break;
      case 'pass':
        tls.passphrase = inputs.secret(v, 'key passphrase', 'the passphrase of the key (--pass)');
        break;
      case 'cert-type':
      case 'key-type':
        if (!/^(pem|p12)$/i.test(v)) keep(o, `${o.written} ${v}: the notebook reads PEM certificates and keys, or one PKCS#12 file (tls.pfx)`);
        break;
      default:
        keep(o, `${o.written} is not translated: trust a CA with --cacert FILE (tls.ca)`);
    }
  }
  return Object.keys(tls).length ? tls : undefined;
}

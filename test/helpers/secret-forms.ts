/**
 * Every form a secret can take on its way to an output, computed independently of the redactor:
 * the leak tests echo these from a server and then look for each of them in every output.
 */
import qs from 'qs';

type InSet = (byte: number) => boolean;

/** WHATWG URL percent-encode sets (https://url.spec.whatwg.org/#percent-encoded-bytes). */
const c0: InSet = (b) => b < 0x20 || b > 0x7e;
const fragment: InSet = (b) => c0(b) || ' "<>`'.includes(String.fromCharCode(b));
const query: InSet = (b) => c0(b) || ' "#<>'.includes(String.fromCharCode(b));
const specialQuery: InSet = (b) => query(b) || b === 0x27;
const path: InSet = (b) => query(b) || '?^`{}'.includes(String.fromCharCode(b));
const userinfo: InSet = (b) => path(b) || '/:;=@[\\]|'.includes(String.fromCharCode(b));
const component: InSet = (b) => userinfo(b) || '$%&+,'.includes(String.fromCharCode(b));

function percentEncode(s: string, set: InSet, lower = false): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    if (set(b)) {
      const hex = b.toString(16).padStart(2, '0');
      out += `%${lower ? hex : hex.toUpperCase()}`;
    } else out += String.fromCharCode(b);
  }
  return out;
}

const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const lowerHex = (s: string) => s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
const htmlNumeric = (s: string, hex: boolean) =>
  [...s].map((c) => (/[A-Za-z0-9]/.test(c) ? c : hex ? `&#x${c.codePointAt(0)!.toString(16)};` : `&#${c.codePointAt(0)};`)).join('');
const json = (s: string) => JSON.stringify(s).slice(1, -1);
/** JSON with every non-alphanumeric character as \uXXXX (what HTML-safe and ASCII-only encoders write). */
const jsonAscii = (s: string, upper: boolean) =>
  [...s].map((c) => {
    if (/[A-Za-z0-9]/.test(c)) return c;
    let units = '';
    for (let i = 0; i < c.length; i++) {
      const hex = c.charCodeAt(i).toString(16).padStart(4, '0');
      units += `\\u${upper ? hex.toUpperCase() : hex}`;
    }
    return units;
  }).join('');

/** Every UTF-8 byte as %XX, letters and digits too (what "escape everything" encoders write). */
const everyByte = (s: string, lower: boolean) => [...Buffer.from(s, 'utf8')].map((b) => `%${lower ? b.toString(16).padStart(2, '0') : b.toString(16).padStart(2, '0').toUpperCase()}`).join('');
const everyEntity = (s: string, hex: boolean) => [...s].map((c) => (hex ? `&#x${c.codePointAt(0)!.toString(16)};` : `&#${c.codePointAt(0)};`)).join('');
const everyUnit = (s: string, upper: boolean) => {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const hex = s.charCodeAt(i).toString(16).padStart(4, '0');
    out += `\\u${upper ? hex.toUpperCase() : hex}`;
  }
  return out;
};
/** The UTF-16 bytes of `s` (LE or BE) read back one byte per character, as a server that mixes up encodings echoes them. */
const utf16Text = (s: string, be: boolean) => {
  const bytes = Buffer.from(s, 'utf16le');
  return (be ? Buffer.from(bytes).swap16() : bytes).toString('latin1');
};
/**
 * The secret's part of a base64 text broken into lines of `width` (MIME 76 with CRLF, PEM 64
 * with LF), with a filler before it so that a line ends a few characters into the secret.
 */
const wrappedBase64 = (s: string, width: number, eol: string) => {
  const filler = 'x'.repeat(((width - 4) / 4) * 3);
  const encoded = Buffer.from(filler + s, 'utf8').toString('base64');
  const start = (filler.length / 3) * 4;
  const end = start + Math.floor((8 * Buffer.byteLength(s)) / 6);
  const lines = encoded.match(new RegExp(`.{1,${width}}`, 'g'))!.join(eol);
  // Positions in the wrapped text: one eol after every `width` characters.
  const at = (i: number) => i + Math.floor(i / width) * eol.length;
  return lines.slice(at(start), at(end - 1) + 1);
};

/** name → encoded form; forms equal to an earlier one are left out. */
export function secretForms(secret: string, basicUser = 'user'): Map<string, string> {
  const forms: Array<[string, string]> = [
    ['raw', secret],
    ['encodeURIComponent', encodeURIComponent(secret)],
    ['encodeURIComponent, lower-case hex', lowerHex(encodeURIComponent(secret))],
    ['RFC 3986', rfc3986(secret)],
    ['form, + for spaces, %21%2A%27%28%29', rfc3986(secret).replace(/%20/g, '+')],
    ['form, lower-case hex', lowerHex(rfc3986(secret).replace(/%20/g, '+'))],
    ['URLSearchParams', new URLSearchParams({ k: secret }).toString().slice(2)],
    ['qs', qs.stringify({ k: secret }).slice(2)],
    ['qs RFC1738', qs.stringify({ k: secret }, { format: 'RFC1738' }).slice(2)],
    ['WHATWG path', percentEncode(secret, path)],
    ['WHATWG query', percentEncode(secret, query)],
    ['WHATWG special query', percentEncode(secret, specialQuery)],
    ['WHATWG userinfo', percentEncode(secret, userinfo)],
    ['WHATWG component', percentEncode(secret, component)],
    ['WHATWG fragment', percentEncode(secret, fragment)],
    ['double percent-encoded', encodeURIComponent(encodeURIComponent(secret))],
    ['JSON-escaped', json(secret)],
    ['JSON-escaped twice', json(json(secret))],
    ['JSON \\u escapes', jsonAscii(secret, false)],
    ['JSON \\U escapes', jsonAscii(secret, true)],
    ['base64', b64(secret)],
    ['base64 url', b64(secret).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')],
    ['base64 secret:', b64(`${secret}:`)],
    [`base64 ${basicUser}:secret`, b64(`${basicUser}:${secret}`)],
    ['HTML-escaped', escapeHtml(secret)],
    ['XML-escaped', escapeXml(secret)],
    ['HTML decimal entities', htmlNumeric(secret, false)],
    ['HTML hex entities', htmlNumeric(secret, true)],
    ['HTML-escaped JSON', escapeHtml(json(secret))],
    ['XML-escaped JSON', escapeXml(json(secret))],
    ['HTML-escaped twice', escapeHtml(escapeHtml(secret))],
    ['upper case', secret.toUpperCase()],
    ['lower case', secret.toLowerCase()],
    ['upper case, percent-encoded', encodeURIComponent(secret.toUpperCase())],
    ['hex', Buffer.from(secret, 'utf8').toString('hex')],
    ['HEX', Buffer.from(secret, 'utf8').toString('hex').toUpperCase()],
    ['base64 in MIME lines (76, CRLF)', wrappedBase64(secret, 76, '\r\n')],
    ['base64 in PEM lines (64, LF)', wrappedBase64(secret, 64, '\n')],
    ['base64 in PEM lines, JSON-escaped', json(wrappedBase64(secret, 64, '\n'))],
    ['every byte %XX', everyByte(secret, false)],
    ['every byte %xx', everyByte(secret, true)],
    ['every character &#NN;', everyEntity(secret, false)],
    ['every character &#xHH;', everyEntity(secret, true)],
    ['every character \\uxxxx', everyUnit(secret, false)],
    ['every character \\uXXXX', everyUnit(secret, true)],
    ['UTF-16LE read as text', utf16Text(secret, false)],
    ['UTF-16BE read as text', utf16Text(secret, true)],
    ['UTF-16LE, JSON-escaped', json(utf16Text(secret, false))],
    ['NFD', secret.normalize('NFD')],
    ['NFC', secret.normalize('NFC')],
    ['NFKD', secret.normalize('NFKD')],
    ['NFD, percent-encoded', encodeURIComponent(secret.normalize('NFD'))],
  ];
  const out = new Map<string, string>();
  const seen = new Set<string>();
  for (const [name, form] of forms) {
    if (seen.has(form)) continue;
    seen.add(form);
    out.set(name, form);
  }
  return out;
}

export interface Leak {
  output: string;
  secret: string;
  form: string;
  at: string;
}

/** A NUL however an output shows it (raw, JSON, HTML, C, a terminal's caret or symbol). */
const NUL_SHOWN = /\u0000|\\u0000|&#0+;|&#x0+;|\\x00|\\0(?![0-7])|\u2400|\^@/gi;

/**
 * Every (output, secret, form) found, with a little context to show where. Besides each form as
 * it is, every output is also searched in lower case (the secret in any letter case) and with its
 * NULs taken out however it shows them (UTF-16 text, whatever a reporter made of its NULs).
 */
export function findLeaks(outputs: Record<string, string>, secrets: Record<string, string>): Leak[] {
  const leaks: Leak[] = [];
  const views = Object.entries(outputs).map(([output, content]) => ({ output, content, lower: content.toLowerCase(), noNul: content.replace(NUL_SHOWN, '').toLowerCase() }));
  for (const [secretName, secret] of Object.entries(secrets)) {
    for (const [form, text] of secretForms(secret)) {
      for (const { output, content } of views) {
        const i = content.indexOf(text);
        if (i >= 0) leaks.push({ output, secret: secretName, form, at: content.slice(Math.max(0, i - 30), i + text.length + 10) });
      }
    }
    const lower = secret.toLowerCase();
    for (const { output, lower: inLower, noNul } of views) {
      for (const [form, text] of [['any letter case', inLower], ['NULs taken out', noNul]] as const) {
        const i = text.indexOf(lower);
        if (i >= 0) leaks.push({ output, secret: secretName, form, at: text.slice(Math.max(0, i - 30), i + lower.length + 10) });
      }
    }
  }
  return leaks;
}

/** Pieces of a secret cut short (a prefix before a truncation mark): every substring of `length`. */
export function findFragments(outputs: Record<string, string>, secret: string, length = 4): Leak[] {
  const leaks: Leak[] = [];
  for (let i = 0; i + length <= secret.length; i++) {
    const piece = secret.slice(i, i + length);
    for (const [output, content] of Object.entries(outputs)) {
      const at = content.indexOf(piece);
      if (at >= 0) leaks.push({ output, secret: piece, form: 'fragment', at: content.slice(Math.max(0, at - 30), at + length + 10) });
    }
  }
  return leaks;
}

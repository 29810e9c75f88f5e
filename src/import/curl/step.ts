/**
 * One curl call → one step: method, URL, headers, credentials, body, and the request options
 * that have a notebook key (redirects, TLS, timeouts, HTTP/2, retries). Every option the
 * notebook cannot say is kept beside the step, with why.
 */
import { dict, type Dict } from '../dict.js';
import { newStep, type DraftStep, type Kept } from '../draft.js';
import { dataText, hasData, multipart, pairs, type BodyContext } from './body.js';
import { notebookPath, type FilePlace } from './files.js';
import { looksSecret, type Inputs } from './inputs.js';
import { OUTPUT_ONLY } from './options.js';
import type { CurlCall, Opt } from './parse.js';
import { tlsOf } from './tls.js';

/** Options the request part reads itself; the rest go through `options()` below. */
const REQUEST = new Set(['request', 'header', 'user-agent', 'referer', 'user', 'oauth2-bearer', 'cookie', 'url', 'get', 'head', 'upload-file', 'compressed', 'basic']);
const BODY = new Set(['data', 'data-raw', 'data-binary', 'data-ascii', 'data-urlencode', 'json', 'form', 'form-string']);
const TLS = new Set(['insecure', 'cacert', 'cert', 'key', 'pass', 'capath', 'cert-type', 'key-type']);

/** A glob range (`[1-10]`, `[a-z]`) or a list (`{a,b}`): curl would send several requests. */
const GLOB = /\{[^}]*,[^}]*\}|\[(?:\d+-\d+|[a-zA-Z]-[a-zA-Z])(?::\d+)?\]/;

export interface StepResult {
  step?: DraftStep;
  /** Why the whole command is not a step (no URL, a glob): kept as a comment of the notebook. */
  refused?: string;
  /** The request's absolute URL (before the base URL is taken out). */
  url?: string;
}

export function stepOf(call: CurlCall, inputs: Inputs, place: FilePlace): StepResult {
  const urls = [...call.urls.map((w) => w.text), ...call.options.filter((o) => o.name === 'url').map((o) => o.value ?? '')];
  if (urls.length === 0) return { refused: 'a curl command without a URL is not a request' };
  const globOff = call.options.some((o) => o.name === 'globoff');
  if (!globOff && GLOB.test(urls[0]!.replace(/\u0001\w+\u0002/g, ''))) return { refused: `URL globbing (${GLOB.exec(urls[0]!)![0]}) sends one request per value; write one curl line per URL (or pass -g if the brackets are literal)` };
  const step = newStep('');
  const kept = step.kept;
  for (const extra of urls.slice(1)) kept.push({ line: call.line, why: `curl fetches every URL it is given; only the first is this step: make ${extra} a step of its own`, source: extra });
  const headers: Dict<string> = dict();
  const ctx: BodyContext = {
    place,
    kept,
    text: (w) => inputs.text(w),
    field: (name, value) => (looksSecret(name, value) && !value.startsWith('${') ? inputs.secret(value, name, `the "${name}" the curl line sent`) : value),
  };
  const request: Dict<unknown> = dict();
  const method = methodOf(call.options);
  request.method = method;
  const url = absolute(inputs.text(urls[0]!));
  request.url = url;
  headersInto(call.options, headers, step, inputs, url);
  queryInto(request, ctx);
  bodyInto(call.options, request, headers, ctx, method === 'GET' || call.options.some((o) => o.name === 'get'), call.line);
  const tls = tlsOf(call.options.filter((o) => TLS.has(o.name)), kept, inputs, place);
  if (tls) request.tls = tls;
  options(call, request, step);
  if (Object.keys(headers).length) request.headers = headers;
  for (const u of call.unknown) kept.push({ line: u.line, why: `the curl option ${u.text.split(' ')[0]} is not translated`, source: u.text });
  step.request = request;
  return { step, url };
}

function methodOf(options: Opt[]): string {
  const explicit = [...options].reverse().find((o) => o.name === 'request')?.value;
  if (explicit) return explicit.toUpperCase();
  if (options.some((o) => o.name === 'head')) return 'HEAD';
  if (options.some((o) => o.name === 'get')) return 'GET';
  if (options.some((o) => o.name === 'upload-file')) return 'PUT';
  if (hasData(options) || options.some((o) => o.name === 'form' || o.name === 'form-string')) return 'POST';
  return 'GET';
}

/** curl takes `example.com/x` as `http://example.com/x`. */
function absolute(url: string): string {
  if (/^https?:\/\//i.test(url) || url.startsWith('${')) return url;
  return `http://${url}`;
}

function hostWord(url: string): string {
  const host = /^https?:\/\/([^/:?#]+)/i.exec(url)?.[1] ?? '';
  if (/^[\d.]+$|^localhost$|^\[/.test(host)) return '';
  const labels = host.split('.');
  return labels.length >= 2 ? labels[labels.length - 2]! : (labels[0] ?? '');
}

function headersInto(options: Opt[], headers: Dict<string>, step: DraftStep, inputs: Inputs, url: string): void {
  const host = hostWord(url);
  const named = (what: string) => (host ? `${host} ${what}` : what);
  for (const o of options) {
    const v = o.value ?? '';
    if (o.name === 'header') {
      const colon = v.indexOf(':');
      const semi = v.endsWith(';') && colon < 0;
      if (colon <= 0 && !semi) {
        step.kept.push({ line: o.line, why: `${o.written} ${v}: a header is written Name: value`, source: `${o.written} ${v}` });
        continue;
      }
      const name = semi ? v.slice(0, -1).trim() : v.slice(0, colon).trim();
      const value = semi ? '' : v.slice(colon + 1).trim();
      if (!semi && value === '') {
        step.kept.push({ line: o.line, why: `${o.written} "${v}" removes a header curl would send; the notebook sends no such header anyway`, source: `${o.written} ${v}` });
        continue;
      }
      header(name, value, headers, step, inputs, named);
    } else if (o.name === 'user-agent') headers['User-Agent'] = inputs.text(v);
    else if (o.name === 'referer') headers.Referer = inputs.text(v.replace(/;auto$/, ''));
    else if (o.name === 'compressed') {
      if (!Object.keys(headers).some((k) => k.toLowerCase() === 'accept-encoding')) headers['Accept-Encoding'] = 'gzip, deflate, br';
    } else if (o.name === 'cookie') cookie(v, o, headers, step, inputs);
    else if (o.name === 'user') basic(v, step, inputs, named);
    else if (o.name === 'oauth2-bearer') step.auth = { bearer: inputs.secret(v, named('token'), `the bearer token the curl line sent`) };
  }
}

function header(name: string, value: string, headers: Dict<string>, step: DraftStep, inputs: Inputs, named: (w: string) => string): void {
  const lower = name.toLowerCase();
  if (lower === 'authorization') {
    const bearer = /^Bearer\s+(.+)$/i.exec(value);
    const basicValue = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(value);
    if (bearer) {
      step.auth = { bearer: inputs.secret(bearer[1]!, named('token'), 'the bearer token of the curl line', envFor(named('token'))) };
      return;
    }
    if (basicValue) {
      const decoded = Buffer.from(basicValue[1]!, 'base64').toString('utf8');
      if (decoded.includes(':')) {
        inputs.secret(value, named('authorization'), 'the Authorization header of the curl line');
        basic(decoded, step, inputs, named);
        return;
      }
    }
    headers[name] = inputs.secret(value, named('authorization'), 'the Authorization header of the curl line');
    return;
  }
  if (lower === 'cookie') {
    cookie(value, { name: 'header', written: '-H', line: 0 }, headers, step, inputs);
    return;
  }
  headers[name] = looksSecret(name, value) && !/^\$\{/.test(value) ? inputs.secret(value, named(name), `the ${name} header of the curl line`) : inputs.text(value);
}

/** Stripe's `sk_test_…` keys are read from STRIPE_SECRET_KEY, as the embedded mock's docs say. */
function envFor(name: string): string | undefined {
  return /^stripe/i.test(name) ? 'STRIPE_SECRET_KEY' : undefined;
}

/** `-u user:password`: basic auth; a key as the user (`-u sk_test_…:`) is a secret input too. */
function basic(v: string, step: DraftStep, inputs: Inputs, named: (w: string) => string): void {
  const colon = v.indexOf(':');
  const user = colon < 0 ? v : v.slice(0, colon);
  const password = colon < 0 ? undefined : v.slice(colon + 1);
  const isKey = looksSecret('user', user) || (password === '' && user.length >= 16);
  const username = isKey ? inputs.secret(user, named(/^sk_/.test(user) ? 'secret key' : 'key'), 'the key the curl line sent as its user (-u)', /^sk_/.test(user) ? 'STRIPE_SECRET_KEY' : undefined) : inputs.text(user);
  // Without `:password` curl asks for it: the notebook reads it from the environment.
  const pass = password === '' ? '' : inputs.secret(password ?? '\u0000prompted', named('password'), password === undefined ? 'the password curl would have asked for' : 'the password of the curl line (-u)');
  step.auth = { basic: { username, password: pass } };
}

/** `-b 'a=1; b=2'` is a Cookie header (a secret when it looks like a session); `-b file` reads a cookie file. */
function cookie(v: string, o: Opt, headers: Dict<string>, step: DraftStep, inputs: Inputs): void {
  if (!v.includes('=')) {
    step.kept.push({ line: o.line, why: `${o.written} ${v} reads cookies from a file; the run's cookie jar starts empty (a log-in step fills it)`, source: `${o.written} ${v}` });
    return;
  }
  const session = /sess|sid|auth|token|csrf|xsrf|jwt|login|remember|secret|key/i;
  const secret = v.split(';').some((c) => {
    const [name = '', value = ''] = c.split('=');
    return session.test(name) || value.trim().length >= 20;
  });
  const existing = Object.keys(headers).find((k) => k.toLowerCase() === 'cookie');
  const value = secret ? inputs.secret(v, 'cookie', 'the cookies the curl line sent (they hold a session)') : inputs.text(v);
  headers[existing ?? 'Cookie'] = existing ? `${headers[existing]}; ${value}` : value;
}

/** `?limit=3&expand[]=x` → `query:` when the pairs read as a map; else the URL keeps them. */
function queryInto(request: Dict<unknown>, ctx: BodyContext): void {
  const url = String(request.url);
  const q = url.indexOf('?');
  if (q < 0) return;
  const query = pairs(url.slice(q + 1).replace(/#.*$/, ''), ctx);
  if (!query) return;
  request.url = url.slice(0, q);
  request.query = query;
}

function bodyInto(options: Opt[], request: Dict<unknown>, headers: Dict<string>, ctx: BodyContext, get: boolean, line: number): void {
  const upload = options.find((o) => o.name === 'upload-file');
  if (upload) {
    const where = notebookPath(upload.value ?? '', ctx.place);
    if ('path' in where) request.body = { file: where.path };
    else ctx.kept.push({ line: upload.line, why: where.why, source: `${upload.written} ${upload.value}` });
    return;
  }
  const form = multipart(options, ctx);
  const data = dataText(options, ctx);
  const typeKey = Object.keys(headers).find((k) => k.toLowerCase() === 'content-type');
  const json = options.some((o) => o.name === 'json');
  if (json) {
    headers[typeKey ?? 'Content-Type'] ??= 'application/json';
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'accept')) headers.Accept = 'application/json';
  }
  const type = (typeKey ? headers[typeKey] : json ? 'application/json' : '')!.toLowerCase();
  if (form) {
    request.multipart = form;
    if (typeKey && /^multipart\/form-data\s*$/i.test(headers[typeKey]!)) delete headers[typeKey];
    if (data) ctx.kept.push({ line, why: 'curl refuses -d with -F; only the -F parts are sent', source: '-d …' });
    return;
  }
  if (!data) return;
  if ('file' in data) {
    request.body = { file: data.file, ...(type ? {} : { contentType: 'application/x-www-form-urlencoded' }) };
    return;
  }
  if (get) {
    const query = pairs(data.text, ctx);
    if (query && !request.query) request.query = query;
    else if (query) Object.assign(request.query as object, query);
    else request.url = `${String(request.url)}${String(request.url).includes('?') ? '&' : '?'}${ctx.text(data.text)}`;
    return;
  }
  if (/json/.test(type)) {
    const parsed = parseJson(data.text);
    if (parsed !== undefined) {
      request.json = mapStrings(parsed, ctx);
      if (/^application\/json\s*$/.test(type)) delete headers[typeKey ?? 'Content-Type'];
      return;
    }
  }
  if (!type || /^application\/x-www-form-urlencoded\s*$/.test(type)) {
    const fields = pairs(data.text, ctx);
    if (typeKey) delete headers[typeKey];
    request.form = fields ?? ctx.text(data.text);
    return;
  }
  request.body = ctx.text(data.text);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function mapStrings(value: unknown, ctx: BodyContext, key = ''): unknown {
  if (typeof value === 'string') return ctx.field(key, ctx.text(value));
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, ctx, key));
  if (value && typeof value === 'object') {
    const out: Dict<unknown> = dict();
    for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, ctx, k);
    return out;
  }
  return value;
}

/** The options that are keys of the request or the step, and the ones kept as comments. */
function options(call: CurlCall, request: Dict<unknown>, step: DraftStep): void {
  const kept: Kept[] = step.kept;
  // A proxy URL may hold `user:password@`: never into a comment.
  const keep = (o: Opt, why: string) => kept.push({ line: o.line, why, source: `${o.written}${o.value !== undefined ? ` ${o.value.replace(/\/\/[^@/]*@/, '//…@')}` : ''}` });
  const follows = call.options.some((o) => o.name === 'location' || o.name === 'location-trusted');
  for (const o of call.options) {
    if (REQUEST.has(o.name) || BODY.has(o.name) || TLS.has(o.name) || OUTPUT_ONLY.has(o.name)) continue;
    const seconds = Number(o.value);
    switch (o.name) {
      case 'location':
        request.followRedirects = true;
        break;
      case 'location-trusted':
        request.followRedirects = true;
        keep(o, '--location-trusted also sends credentials to other hosts; the notebook never does (a step may give its own auth)');
        break;
      case 'max-redirs':
        if (follows && Number.isInteger(seconds) && seconds >= 0) request.followRedirects = seconds === 0 ? false : seconds;
        break;
      case 'max-time':
        if (seconds > 0) request.timeoutMs = Math.max(1, Math.round(seconds * 1000));
        else keep(o, `${o.written} takes seconds`);
        break;
      case 'retry':
        if (Number.isInteger(seconds) && seconds > 0) step.retries = seconds;
        break;
      case 'retry-delay':
        if (seconds > 0) step.retryDelayMs = Math.round(seconds * 1000);
        break;
      case 'http2':
        request.http2 = true;
        break;
      case 'proxy':
        keep(o, 'a notebook names no proxy: run with --proxy URL (or HTTPS_PROXY / HTTP_PROXY)');
        break;
      case 'noproxy':
        keep(o, 'hosts that go direct are given with NO_PROXY when the notebook runs');
        break;
      case 'cookie-jar':
        // The run's cookie jar is on by default: cookies set by a response go with later requests.
        break;
      default:
        keep(o, `${o.written} is not translated`);
    }
  }
}

/**
 * The curl options the importer knows: long name, short letter, whether it takes a value. An
 * option outside this table is kept as a comment beside its step and counted, never dropped:
 * guessing whether an unknown option takes a value would misread the rest of the line, so the
 * words after it are read as curl would only when the table says how.
 */
export interface OptionSpec {
  long: string;
  short?: string;
  /** It takes the next word (or the rest of a short cluster) as its value. */
  value: boolean;
}

/** Options that change only what curl prints or saves, not the request: nothing to translate. */
export const OUTPUT_ONLY = new Set([
  'silent', 'show-error', 'verbose', 'include', 'output', 'remote-name', 'write-out', 'fail', 'fail-with-body', 'progress-bar',
  'no-progress-meter', 'no-buffer', 'globoff', 'trace', 'trace-ascii', 'stderr', 'create-dirs', 'remote-header-name', 'dump-header',
  'junk-session-cookies', 'http1.1', 'path-as-is', 'styled-output', 'raw', 'tr-encoding', 'compressed-ssh', 'ssl-no-revoke',
]);

const TABLE: OptionSpec[] = [
  { long: 'request', short: 'X', value: true },
  { long: 'header', short: 'H', value: true },
  { long: 'data', short: 'd', value: true },
  { long: 'data-raw', value: true },
  { long: 'data-binary', value: true },
  { long: 'data-ascii', value: true },
  { long: 'data-urlencode', value: true },
  { long: 'json', value: true },
  { long: 'form', short: 'F', value: true },
  { long: 'form-string', value: true },
  { long: 'upload-file', short: 'T', value: true },
  { long: 'user', short: 'u', value: true },
  { long: 'oauth2-bearer', value: true },
  { long: 'basic', value: false },
  { long: 'digest', value: false },
  { long: 'ntlm', value: false },
  { long: 'negotiate', value: false },
  { long: 'aws-sigv4', value: true },
  { long: 'cookie', short: 'b', value: true },
  { long: 'cookie-jar', short: 'c', value: true },
  { long: 'get', short: 'G', value: false },
  { long: 'head', short: 'I', value: false },
  { long: 'location', short: 'L', value: false },
  { long: 'location-trusted', value: false },
  { long: 'max-redirs', value: true },
  { long: 'insecure', short: 'k', value: false },
  { long: 'cacert', value: true },
  { long: 'capath', value: true },
  { long: 'cert', short: 'E', value: true },
  { long: 'key', value: true },
  { long: 'pass', value: true },
  { long: 'cert-type', value: true },
  { long: 'key-type', value: true },
  { long: 'proxy', short: 'x', value: true },
  { long: 'proxy-user', short: 'U', value: true },
  { long: 'noproxy', value: true },
  { long: 'compressed', value: false },
  { long: 'user-agent', short: 'A', value: true },
  { long: 'referer', short: 'e', value: true },
  { long: 'max-time', short: 'm', value: true },
  { long: 'connect-timeout', value: true },
  { long: 'retry', value: true },
  { long: 'retry-delay', value: true },
  { long: 'retry-max-time', value: true },
  { long: 'retry-all-errors', value: false },
  { long: 'http2', value: false },
  { long: 'http2-prior-knowledge', value: false },
  { long: 'http1.0', short: '0', value: false },
  { long: 'url', value: true },
  { long: 'netrc', short: 'n', value: false },
  { long: 'resolve', value: true },
  { long: 'connect-to', value: true },
  { long: 'interface', value: true },
  { long: 'ipv4', short: '4', value: false },
  { long: 'ipv6', short: '6', value: false },
  { long: 'limit-rate', value: true },
  { long: 'range', short: 'r', value: true },
  { long: 'config', short: 'K', value: true },
  { long: 'unix-socket', value: true },
  // Output-only options (OUTPUT_ONLY): read so that their values are not taken for URLs.
  { long: 'silent', short: 's', value: false },
  { long: 'show-error', short: 'S', value: false },
  { long: 'verbose', short: 'v', value: false },
  { long: 'include', short: 'i', value: false },
  { long: 'output', short: 'o', value: true },
  { long: 'remote-name', short: 'O', value: false },
  { long: 'remote-header-name', short: 'J', value: false },
  { long: 'write-out', short: 'w', value: true },
  { long: 'fail', short: 'f', value: false },
  { long: 'fail-with-body', value: false },
  { long: 'progress-bar', short: '#', value: false },
  { long: 'no-progress-meter', value: false },
  { long: 'no-buffer', short: 'N', value: false },
  { long: 'globoff', short: 'g', value: false },
  { long: 'trace', value: true },
  { long: 'trace-ascii', value: true },
  { long: 'stderr', value: true },
  { long: 'create-dirs', value: false },
  { long: 'dump-header', short: 'D', value: true },
  { long: 'junk-session-cookies', short: 'j', value: false },
  { long: 'http1.1', value: false },
  { long: 'path-as-is', value: false },
  { long: 'styled-output', value: false },
  { long: 'raw', value: false },
  { long: 'tr-encoding', value: false },
  { long: 'ssl-no-revoke', value: false },
];

export const BY_LONG: ReadonlyMap<string, OptionSpec> = new Map(TABLE.map((o) => [o.long, o]));
export const BY_SHORT: ReadonlyMap<string, OptionSpec> = new Map(TABLE.filter((o) => o.short).map((o) => [o.short!, o]));

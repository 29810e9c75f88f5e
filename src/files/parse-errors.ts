/**
 * A JSON or YAML parser's complaint about a file, without the text it quotes. js-yaml appends
 * the lines around the error and V8's JSON.parse quotes the source (`"npmToken": …` is not valid
 * JSON); a file that did not parse is not known to be what it was named as (a description, a
 * schema): it may be any file the file rule let through, so its content is never printed. The
 * reason and the line:column stay; quoted text goes.
 */
export function unquotedParseError(message: string): string {
  const first = message.split('\n')[0]!.trim();
  return first
    .replace(/,\s*(?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON/, ' is not valid JSON')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|<[^>]*>/g, '…')
    .replace(/\s!\S+/g, ' …')
    .slice(0, 300);
}

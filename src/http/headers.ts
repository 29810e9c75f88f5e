/**
 * Response headers as undici hands them over (a flat list of name, value, name, value …), kept two
 * ways: `headers`, one text per name (repeats joined by ", ", what `headers[...]` has always read),
 * and `lists`, every value of every name apart. The joined text is ambiguous for Set-Cookie
 * (`Expires=Wed, 21 Oct …` holds ", " itself), so cookies and `headerValues()` read the lists.
 *
 * Both are null-prototype maps: a server may name a header `constructor`, `__proto__` or
 * `toString`, and each must be kept as the header it is (a plain `{}` dropped the first two and
 * glued the value onto Object's own function for the third).
 */

export type HeaderLists = Record<string, string[]>;

export interface ParsedHeaders {
  headers: Record<string, string>;
  lists: HeaderLists;
}

export function emptyHeaders(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

export function parseRawHeaders(raw: Buffer[]): ParsedHeaders {
  const headers = emptyHeaders();
  const lists = Object.create(null) as HeaderLists;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toString('latin1').toLowerCase();
    const value = raw[i + 1].toString('latin1');
    const list = lists[name];
    if (list === undefined) {
      lists[name] = [value];
      headers[name] = value;
    } else {
      list.push(value);
      headers[name] = `${headers[name]}, ${value}`;
    }
  }
  return { headers, lists };
}

/** Media types as a description's `content` keys them. */

/** `application/json; charset=utf-8` → `application/json`. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Exact type, then `type/*`, then `*\/*` (keys compared without their parameters). */
export function pickMedia(keys: string[], type: string): string | undefined {
  return keys.find((k) => mediaType(k) === type)
    ?? keys.find((k) => mediaType(k) === `${type.split('/')[0]}/*`)
    ?? keys.find((k) => mediaType(k) === '*/*');
}

/** JSON and its `+json` kin (`application/problem+json`). */
export function isJson(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json');
}

/**
 * The one escaper for XML (junit.xml, attributes and text): the five special characters become
 * entities; characters XML 1.0 cannot hold, and every other control character but line breaks and
 * tabs, become visible (`\x1b`, `\u202e`), so a CI's test view cannot be driven or reordered.
 */
import { hasControl, showControls } from './controls.js';

const XML_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const XML_SPECIAL = /[&<>"']/;
// Not XML 1.0 characters at all, even escaped.
const NOT_XML = /[\uFFFE\uFFFF]/g;

export function xmlEscape(text: string): string {
  // Most names need no escaping: test once, replace only when needed (measured per step).
  let out = hasControl(text, '\n\t') ? showControls(text.replace(/\r\n/g, '\n'), '\n\t') : text;
  if (out.includes('\uFFFE') || out.includes('\uFFFF')) out = out.replace(NOT_XML, '\uFFFD');
  return XML_SPECIAL.test(out) ? out.replace(/[&<>"']/g, (c) => XML_ENTITY[c]) : out;
}

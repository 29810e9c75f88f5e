/**
 * The one escaper for HTML (report.html, its attributes included): the five special characters
 * become entities, so no text can open a tag, an attribute or an entity; control characters but
 * line breaks and tabs (which <pre> blocks show) become visible (`\x1b`, `\u202e`), so a body
 * cannot reorder what a reader sees.
 */
import { hasControl, showControls } from './controls.js';

const HTML_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const HTML_SPECIAL = /[&<>"']/;

export function escapeHtml(text: string): string {
  // Most text (titles, paths) has nothing to escape: test first, replace only when needed.
  const shown = hasControl(text, '\n\t') ? showControls(text.replace(/\r\n/g, '\n'), '\n\t') : text;
  return HTML_SPECIAL.test(shown) ? shown.replace(/[&<>"']/g, (c) => HTML_ENTITY[c]) : shown;
}

/**
 * What keeps report.html self-contained and inert whatever it holds: a Content-Security-Policy
 * that allows nothing but its own inline stylesheet (by hash) and inline `data:` images, and
 * prose whose remote images become links. A report is opened from disk, from a CI artefact, from
 * a colleague's mail: it must not call out (a beacon tells a server who read the report and
 * when) and nothing in it may run.
 */
import { createHash } from 'node:crypto';
import MarkdownIt from 'markdown-it';
import { escapeHtml } from './escape/html.js';

/**
 * The policy for a page whose only inline resource is the stylesheet `css`: no script at all, no
 * remote load of any kind (images, fonts, frames, fetches), no <base>, no form submission.
 */
export function CSP(css: string): string {
  const hash = createHash('sha256').update(css, 'utf8').digest('base64');
  return `default-src 'none'; style-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'`;
}

/** Prose is Markdown; raw HTML in it is shown as text (html: false), never run. */
const md = new MarkdownIt({ html: false, linkify: true });
const image = md.renderer.rules.image!;
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const src = String(token.attrGet('src') ?? '');
  // markdown-it lets through data: images of safe types only (png, gif, jpeg, webp): those are inline.
  if (/^data:/i.test(src)) return image(tokens, idx, options, env, self);
  const alt = self.renderInlineAsText(token.children ?? [], options, env);
  return `<a class="remote-image" href="${escapeHtml(src)}">image: ${escapeHtml(alt || src)}</a>`;
};

/** The author's prose as HTML: Markdown, no raw HTML, remote images as links. */
export function renderProse(text: string): string {
  return md.render(text);
}

/**
 * Markdown → safe HTML for the result preview. Two layers, either enough on its own:
 * 1. micromark (CommonMark + GFM) WITHOUT `allowDangerousHtml` / `allowDangerousProtocol`: raw HTML in the
 *    Markdown (script tags, SVG, event handlers, comments) is escaped and shown as text, and link or image
 *    URLs with other protocols than http(s), mailto, irc(s), xmpp (images: http(s)) are emptied.
 * 2. DOMPurify over the result, HTML profile only (no SVG, no MathML), URIs restricted to http(s), mailto
 *    and in-page or relative references, so `javascript:` and `data:` can never become a link.
 * Page separators (`<!-- page N -->` lines, written by the converter's `pageSeparators` option) are split
 * out before rendering and become visible separators with the page's warnings.
 */
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import DOMPurify from 'dompurify';

/** A page's part of the Markdown; `page` is absent for what comes before the first separator. */
export interface PageSection {
  page?: number;
  markdown: string;
}

const SEPARATOR = /^<!-- page (\d{1,6}) -->[ \t]*$/;

/** Splits Markdown at its page separator lines (outside fenced code). */
export function splitPages(markdown: string): PageSection[] {
  const sections: PageSection[] = [{ markdown: '' }];
  let fence: string | undefined;
  const lines: string[] = [];
  const flush = () => {
    sections[sections.length - 1].markdown = lines.join('\n');
    lines.length = 0;
  };
  for (const line of markdown.split('\n')) {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (f) fence = fence === undefined ? f[1][0] : line.trimStart().startsWith(fence) ? undefined : fence;
    const m = fence === undefined ? SEPARATOR.exec(line) : null;
    if (m) {
      flush();
      sections.push({ page: Number(m[1]), markdown: '' });
    } else lines.push(line);
  }
  flush();
  return sections.filter((s, i) => i > 0 || s.markdown.trim() !== '');
}

/** Allowed link targets: http(s), mailto, or no scheme at all (relative, `#fragment`). */
const SAFE_URI = /^(?:https?:|mailto:|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i;

let hooked = false;

/** @returns sanitized HTML for `markdown`; safe to assign to `innerHTML`. */
export function renderMarkdown(markdown: string): string {
  const html = micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()] });
  if (!hooked) {
    // Links leave the page without telling the target where they came from.
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A' && node.hasAttribute('href')) {
        node.setAttribute('rel', 'noopener noreferrer nofollow');
        node.setAttribute('target', '_blank');
      }
    });
    hooked = true;
  }
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
    FORBID_ATTR: ['style'],
    ALLOWED_URI_REGEXP: SAFE_URI,
    ALLOW_DATA_ATTR: false,
  });
}

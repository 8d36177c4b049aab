/** HTML text → the shared mdast tree (parse5 via hast-util-from-html, then hast-util-to-mdast). */
import { fromHtml } from 'hast-util-from-html';
import { toMdast } from 'hast-util-to-mdast';
import type { Root } from 'mdast';

export interface HtmlTreeOptions {
  /** Base name used for image placeholders when an image has no usable source. */
  keepImageSources?: boolean;
}

export interface HtmlTree {
  root: Root;
  title?: string;
}

export function htmlToTree(html: string, _options: HtmlTreeOptions = {}): HtmlTree {
  const hast = fromHtml(html);
  const root = toMdast(hast) as Root;
  return { root };
}

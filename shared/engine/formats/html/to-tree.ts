/**
 * HTML text → the shared mdast tree: parse5 (through hast-util-from-html, linear and forgiving like a
 * browser) → prune what is never content → choose the main region → hast-util-to-mdast with our handlers.
 * EPUB chapters come through here too.
 */
import { fromHtml } from 'hast-util-from-html';
import { toMdast } from 'hast-util-to-mdast';
import { toText } from 'hast-util-to-text';
import type { Root as HastRoot } from 'hast';
import type { Root } from 'mdast';
import { findFirst } from './hast-utils.ts';
import { pruneNonContent } from './prune.ts';
import { selectMainContent } from './main-content.ts';
import { createHandlers, type HandlerOptions } from './handlers.ts';
import { hoistAttentionWhitespace, tightenLists } from './fixups.ts';

export interface HtmlTreeOptions extends HandlerOptions {
  /** Keep the whole body instead of choosing a main region (EPUB chapters are all content). */
  wholeBody?: boolean;
}

export interface HtmlTree {
  root: Root;
  /** Text of `<title>`, if the page has one. */
  title?: string;
}

export function htmlToTree(html: string, options: HtmlTreeOptions = {}): HtmlTree {
  const hast = fromHtml(html);
  const title = titleOf(hast);
  pruneNonContent(hast);
  const region = options.wholeBody ? (findFirst(hast, (el) => el.tagName === 'body') ?? hast) : selectMainContent(hast);
  const content: HastRoot = { type: 'root', children: region.type === 'root' ? region.children : [region] };
  const root = toMdast(content, { handlers: createHandlers(options) }) as Root;
  hoistAttentionWhitespace(root);
  tightenLists(root);
  return title ? { root, title } : { root };
}

function titleOf(hast: HastRoot): string | undefined {
  const el = findFirst(hast, (e) => e.tagName === 'title');
  const t = el ? toText(el).replace(/\s+/g, ' ').trim() : '';
  return t || undefined;
}

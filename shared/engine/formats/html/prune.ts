/**
 * Remove what a reader never sees or never reads as content: scripts and styles, form controls, hidden
 * elements, comments, and well-known noise of wiki pages (edit links, citation backlinks, navigation boxes).
 * Runs once over the tree, in place.
 */
import type { Element, Parents, Root } from 'hast';
import { classTokens, filterTree, prop, textLength } from './hast-utils.ts';

/** Elements whose content is never document text. */
const NEVER_CONTENT = new Set([
  'head',
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'math-annotation',
  'canvas',
  'iframe',
  'object',
  'embed',
  'link',
  'meta',
  'base',
  'input',
  'button',
  'select',
  'option',
  'optgroup',
  'textarea',
  'datalist',
  'dialog',
  'map',
  'audio',
  'video',
  'source',
  'track',
  'param',
  'frame',
  'frameset',
]);

/** Class names that mark page noise on MediaWiki-style pages and in general. Tokens, never substrings. */
const NOISE_CLASSES = new Set([
  'mw-editsection',
  'mw-jump-link',
  'mw-cite-backlink',
  'navbox',
  'navbox-styles',
  'vertical-navbox',
  'sistersitebox',
  'mw-empty-elt',
  'catlinks',
  'printfooter',
  'mw-indicators',
  'reference-accessdate',
  'skip-link',
  'sr-only',
  'visually-hidden',
  'screen-reader-text',
  'visuallyhidden',
]);

export function pruneNonContent(tree: Root): void {
  filterTree(tree, (node) => {
    if (node.type === 'comment' || node.type === 'doctype') return true;
    if (node.type !== 'element') return false;
    return isNonContent(node);
  });
  renameRoleHeadings(tree);
}

function isNonContent(el: Element): boolean {
  if (NEVER_CONTENT.has(el.tagName)) return true;
  if (isHidden(el)) return true;
  for (const t of classTokens(el)) if (NOISE_CLASSES.has(t)) return true;
  // A <form> wrapping the whole page (ASP.NET) holds content; a small one is a search box or a login.
  if (el.tagName === 'form' && textLength(el) < 400) return true;
  // Form labels are control captions, not prose.
  if (el.tagName === 'label' && prop(el, 'htmlFor') !== undefined) return true;
  return false;
}

export function isHidden(el: Element): boolean {
  const p = el.properties ?? {};
  if (p.hidden !== undefined && p.hidden !== false && p.hidden !== null) return true;
  if (String(p.ariaHidden) === 'true') return true;
  const style = typeof p.style === 'string' ? p.style : undefined;
  if (style && style.length < 2000) {
    const compact = style.toLowerCase().replace(/\s+/g, '');
    if (compact.includes('display:none') || compact.includes('visibility:hidden')) return true;
  }
  return false;
}

/** `role="heading"` with `aria-level` is a heading whatever its tag; give it a heading tag (not inside running text). */
function renameRoleHeadings(node: Parents): void {
  const inText = node.type === 'element' && RUNNING_TEXT.has(node.tagName);
  for (const c of node.children) {
    if (c.type !== 'element') continue;
    if (!inText && prop(c, 'role') === 'heading' && !/^h[1-6]$/.test(c.tagName)) {
      const level = Math.min(6, Math.max(1, Number.parseInt(prop(c, 'ariaLevel') ?? '2', 10) || 2));
      c.tagName = `h${level}`;
    }
    renameRoleHeadings(c);
  }
}

const RUNNING_TEXT = new Set([
  'p',
  'span',
  'a',
  'b',
  'i',
  'em',
  'strong',
  'small',
  'code',
  'sup',
  'sub',
  'u',
  'font',
  'label',
  'li',
  'td',
  'th',
]);

/**
 * Choose the part of a page that is the document. A clear main region (`<main>`, `[role=main]`, a single
 * dominant `<article>`, or a container holding nearly all the prose) is kept and the page chrome around and
 * inside it (navigation, banners, sidebars, cookie notices) dropped. Without such a region the whole body
 * is kept: a simple page must never lose content to a guess.
 */
import type { Element, Nodes, Parents, Root } from 'hast';
import { classTokens, filterTree, findAll, findFirst, prop, TextMeasure } from './hast-utils.ts';

// banner and contentinfo are page-level roles; inside the main region they are misapplied and not honoured.
const CHROME_ROLES = new Set([
  'navigation',
  'complementary',
  'search',
  'menu',
  'menubar',
  'toolbar',
  'dialog',
  'alertdialog',
  'tooltip',
]);
const SECTIONING = new Set(['article', 'section', 'main']);

/** The subtree to convert: the main region when there is one, else the body (or the whole document). */
export function selectMainContent(tree: Root): Parents {
  const body = findFirst(tree, (el) => el.tagName === 'body') ?? tree;
  const m = new TextMeasure();
  const total = m.text(body);
  if (total === 0) return body;
  const region = explicitMain(m, body, total) ?? dominantArticle(m, body, total) ?? denseContainer(m, body, total);
  if (!region) {
    dropCookieNotices(m, body);
    return body;
  }
  dropChrome(m, region);
  return region;
}

function explicitMain(m: TextMeasure, body: Parents, total: number): Element | undefined {
  const mains = findAll(body, (el) => el.tagName === 'main' || prop(el, 'role') === 'main');
  const best = largest(m, mains);
  // Trust the author's landmark unless it is a sliver of the page (a mislabelled widget).
  if (best && best.size >= Math.min(200, total * 0.5)) return best.el;
  return undefined;
}

function dominantArticle(m: TextMeasure, body: Parents, total: number): Element | undefined {
  const articles = findAll(body, (el) => el.tagName === 'article');
  const best = largest(m, articles);
  // Several articles of similar size are a listing (a blog index): keep them all, i.e. the body.
  if (best && best.size >= total * 0.6) return best.el;
  return undefined;
}

/**
 * The deepest container that still holds nearly all of the page's non-link text, provided what lies outside
 * it is mostly links (menus, footers). Only then is the rest chrome rather than content.
 */
function denseContainer(m: TextMeasure, body: Parents, total: number): Element | undefined {
  const prose = total - m.link(body);
  if (prose < 200) return undefined;
  let current: Parents = body;
  for (;;) {
    let next: Element | undefined;
    for (const c of current.children) {
      if (c.type !== 'element') continue;
      if (m.text(c) - m.link(c) >= prose * 0.95) {
        next = c;
        break;
      }
    }
    if (!next) break;
    current = next;
  }
  if (current === body || current.type !== 'element') return undefined;
  const outside = total - m.text(current);
  // What is dropped must be chrome, i.e. mostly link text: prose outside (however little of the page it
  // is) means the container is not the whole document, and dropping it would lose text silently.
  const outsideLinks = m.link(body) - m.link(current);
  return outside > 0 && outsideLinks * 2 >= outside ? current : undefined;
}

function largest(m: TextMeasure, candidates: Element[]): { el: Element; size: number } | undefined {
  let best: { el: Element; size: number } | undefined;
  for (const el of candidates) {
    const size = m.text(el);
    if (!best || size > best.size) best = { el, size };
  }
  return best;
}

/** Navigation, sidebars, banners and page-level header/footer inside the chosen region. */
function dropChrome(m: TextMeasure, region: Element): void {
  const walk = (node: Parents, inSection: boolean): void => {
    const kept: Nodes[] = [];
    for (const c of node.children) {
      if (c.type === 'element' && isTitleBar(m, c, inSection)) {
        // A page header mixing the title with menus: keep the title, drop the menus.
        kept.push(...findAll(c, (e) => /^h[1-6]$/.test(e.tagName)));
        continue;
      }
      if (c.type === 'element' && isChrome(m, c, inSection)) continue;
      if (c.type === 'element') walk(c, inSection || SECTIONING.has(c.tagName));
      kept.push(c);
    }
    node.children = kept as typeof node.children;
  };
  walk(region, false);
  dropCookieNotices(m, region);
}

function isChrome(m: TextMeasure, el: Element, inSection: boolean): boolean {
  if (el.tagName === 'nav' || el.tagName === 'aside') return true;
  const role = prop(el, 'role');
  if (role && CHROME_ROLES.has(role)) return true;
  // The header/footer of the page (not of an article or section, which carry bylines and titles).
  if (!inSection && el.tagName === 'footer') return true;
  if (!inSection && el.tagName === 'header') return !hasHeading(el);
  return false;
}

function isTitleBar(m: TextMeasure, el: Element, inSection: boolean): boolean {
  return !inSection && el.tagName === 'header' && hasHeading(el) && linkDensity(m, el) > 0.5;
}

function hasHeading(el: Element): boolean {
  return findFirst(el, (c) => /^h[1-6]$/.test(c.tagName)) !== undefined;
}

function linkDensity(m: TextMeasure, el: Element): number {
  const t = m.text(el);
  return t === 0 ? 0 : m.link(el) / t;
}

const COOKIE = /(?:^|[-_])(?:cookie|cookies|consent|gdpr)(?:$|[-_])/i;

/** Cookie and consent banners, recognised by id/class tokens and kept only if they are long (real content). */
function dropCookieNotices(m: TextMeasure, node: Parents): void {
  filterTree(node, (c) => {
    if (c.type !== 'element') return false;
    const names = [...classTokens(c), prop(c, 'id') ?? ''];
    if (!names.some((n) => n.length < 80 && COOKIE.test(n))) return false;
    return m.text(c) < 1500;
  });
}

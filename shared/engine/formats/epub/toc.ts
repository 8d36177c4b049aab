/**
 * The table of contents (EPUB 3 nav document, else the EPUB 2 NCX) as entries: chapter path, the fragment
 * inside the chapter if any, the title and the nesting depth. Used only to give headings to chapters, or
 * to the sections a fragment points at, whose own markup has none.
 */
import type { ZipArchive } from '../../zip.ts';
import { resolvePartPath } from '../../zip.ts';
import { attr, child, descendants, localName, parseXml, textOf, type XmlElement } from '../../xml.ts';
import type { EpubPackage } from './package.ts';
import { decodeHref } from './package.ts';

export interface TocEntry {
  /** Archive path of the chapter. */
  path: string;
  /** Element id inside the chapter (`ch1.xhtml#s2` → `s2`), when the entry points inside it. */
  fragment?: string;
  title: string;
  /** 0 for top-level entries. */
  depth: number;
}

/** Entries in reading order of the table of contents. Unreadable navigation gives an empty list. */
export function readToc(zip: ZipArchive, pkg: EpubPackage): TocEntry[] {
  const entries: TocEntry[] = [];
  const add = (from: string, href: string | undefined, label: string, depth: number) => {
    const title = label.replace(/\s+/g, ' ').trim();
    if (!href || !title) return;
    const hash = href.indexOf('#');
    const fragment = hash >= 0 ? safeDecode(href.slice(hash + 1)) : '';
    entries.push({ path: resolvePartPath(from, decodeHref(href)), ...(fragment ? { fragment } : {}), title, depth });
  };
  if (pkg.nav) {
    const navRoot = parseQuietly(zip, pkg.nav.path);
    const navs = navRoot ? descendants(navRoot, 'nav') : [];
    const tocNav = navs.find((n) => /\btoc\b/.test(attr(n, 'epub:type') ?? attr(n, 'type') ?? '')) ?? navs[0];
    if (tocNav) collectNavList(tocNav, 0, (href, label, depth) => add(pkg.nav!.path, href, label, depth));
  }
  if (entries.length === 0 && pkg.ncx) {
    const ncxRoot = parseQuietly(zip, pkg.ncx.path);
    const navMap = ncxRoot ? descendants(ncxRoot, 'navMap')[0] : undefined;
    if (navMap)
      for (const c of navMap.children)
        if (typeof c !== 'string' && localName(c.name) === 'navPoint')
          collectNavPoint(c, 0, (src, label, depth) => add(pkg.ncx!.path, src, label, depth));
  }
  return entries;
}

/** Chapter path → the title of its first entry without a fragment (else its first entry). */
export function chapterTitles(entries: TocEntry[]): Map<string, string> {
  const titles = new Map<string, string>();
  for (const e of entries) if (!e.fragment && !titles.has(e.path)) titles.set(e.path, e.title);
  for (const e of entries) if (!titles.has(e.path)) titles.set(e.path, e.title);
  return titles;
}

type Add = (href: string | undefined, label: string, depth: number) => void;

function collectNavPoint(point: XmlElement, depth: number, add: Add): void {
  add(attr(child(point, 'content'), 'src'), textOf(child(child(point, 'navLabel'), 'text')), depth);
  for (const c of point.children)
    if (typeof c !== 'string' && localName(c.name) === 'navPoint') collectNavPoint(c, depth + 1, add);
}

/** `<a>`s of a nav's nested `<ol>`s; the depth counts the `<li>`s around each link. */
function collectNavList(el: XmlElement, liDepth: number, add: Add): void {
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    const name = localName(c.name);
    if (name === 'a') add(attr(c, 'href'), textOf(c), Math.max(0, liDepth - 1));
    else collectNavList(c, name === 'li' ? liDepth + 1 : liDepth, add);
  }
}

function parseQuietly(zip: ZipArchive, path: string): XmlElement | undefined {
  try {
    const text = zip.text(path);
    return text === undefined ? undefined : parseXml(text, { rejectDoctype: false, part: path });
  } catch {
    return undefined;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

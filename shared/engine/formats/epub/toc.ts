/**
 * Chapter titles from the table of contents (EPUB 3 nav document or EPUB 2 NCX): used only to give a
 * heading to a chapter whose own markup has none.
 */
import type { ZipArchive } from '../../zip.ts';
import { resolvePartPath } from '../../zip.ts';
import { attr, child, descendants, localName, parseXml, textOf, type XmlElement } from '../../xml.ts';
import type { EpubPackage } from './package.ts';
import { decodeHref } from './package.ts';

/** Archive path of a chapter → its first title in the table of contents. */
export function readTocTitles(zip: ZipArchive, pkg: EpubPackage): Map<string, string> {
  const titles = new Map<string, string>();
  const add = (from: string, href: string | undefined, label: string) => {
    const t = label.replace(/\s+/g, ' ').trim();
    if (!href || !t) return;
    const target = resolvePartPath(from, decodeHref(href));
    if (!titles.has(target)) titles.set(target, t);
  };
  if (pkg.nav) {
    const navRoot = parseQuietly(zip, pkg.nav.path);
    const tocNav =
      navRoot &&
      (descendants(navRoot, 'nav').find((n) => /\btoc\b/.test(attr(n, 'epub:type') ?? attr(n, 'type') ?? '')) ??
        descendants(navRoot, 'nav')[0]);
    if (tocNav) for (const a of anchors(tocNav)) add(pkg.nav.path, attr(a, 'href'), textOf(a));
  }
  if (titles.size === 0 && pkg.ncx) {
    const ncxRoot = parseQuietly(zip, pkg.ncx.path);
    if (ncxRoot) {
      for (const point of descendants(ncxRoot, 'navPoint', []))
        collectNavPoint(point, (src, label) => add(pkg.ncx!.path, src, label));
    }
  }
  return titles;
}

function collectNavPoint(point: XmlElement, add: (src: string | undefined, label: string) => void): void {
  add(attr(child(point, 'content'), 'src'), textOf(child(child(point, 'navLabel'), 'text')));
  for (const c of point.children)
    if (typeof c !== 'string' && localName(c.name) === 'navPoint') collectNavPoint(c, add);
}

function anchors(el: XmlElement, out: XmlElement[] = []): XmlElement[] {
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (localName(c.name) === 'a') out.push(c);
    else anchors(c, out);
  }
  return out;
}

function parseQuietly(zip: ZipArchive, path: string): XmlElement | undefined {
  try {
    const text = zip.text(path);
    return text === undefined ? undefined : parseXml(text, { rejectDoctype: false, part: path });
  } catch {
    return undefined;
  }
}

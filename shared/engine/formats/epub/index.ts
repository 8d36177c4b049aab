/**
 * epub: ZIP → container.xml → OPF → spine order → each XHTML chapter through the HTML path → one tree.
 * Title and authors come from the OPF metadata. The table of contents (nav document or NCX) names chapters,
 * and the sections its fragments point at, that have no heading of their own. Notes are read across the
 * whole book (a reference in one chapter, the note in an endnotes chapter) and become Markdown footnotes
 * after the last chapter; see html/footnotes.ts. Images become `![alt](file name)` placeholders.
 */
import type { Element, Root as HastRoot } from 'hast';
import type { RootContent } from 'mdast';
import type { Converter, ConvertContext } from '../../types.ts';
import { ZipArchive, resolvePartPath } from '../../zip.ts';
import { attr, descendants, parseXml } from '../../xml.ts';
import { ConversionError, asConversionError, corrupt, encrypted } from '../../errors.ts';
import { heading, paragraph, root, text } from '../../mdast.ts';
import { hastToTree, notesToMdast, parseHtml } from '../html/to-tree.ts';
import { extractNotes } from '../html/footnotes.ts';
import { findFirst } from '../html/hast-utils.ts';
import { decodeHref, readPackage, type EpubPackage, type ManifestItem } from './package.ts';
import { chapterTitles, readToc, type TocEntry } from './toc.ts';
import { xhtmlToHtml } from './xhtml.ts';

const CHAPTER_TYPES = new Set(['application/xhtml+xml', 'text/html', 'application/xml', 'text/xml', '']);

interface ParsedChapter {
  item: ManifestItem;
  hast: HastRoot;
}

export const epubConverter: Converter = {
  name: 'epub',
  accepts: (input) => input.format === 'epub',
  async convert({ bytes }, ctx) {
    const zip = new ZipArchive(bytes, {
      maxEntryBytes: ctx.limits.maxEntryBytes,
      maxInflatedBytes: ctx.limits.maxInflatedBytes,
    });
    const pkg = readPackage(zip);
    if (pkg.repeatedSpineRefs > 0) {
      ctx.warn({
        code: 'unsupported_content',
        message: `EPUB spine lists a document it already lists ${pkg.repeatedSpineRefs} more times; each was read once`,
      });
    }
    const chapters = pkg.spine.filter((item) => CHAPTER_TYPES.has(item.mediaType) && !item.properties.includes('nav'));
    if (chapters.length === 0) throw corrupt('EPUB spine lists no readable documents');
    refuseEncryptedChapters(zip, chapters);
    const toc = readToc(zip, pkg);
    const titles = chapterTitles(toc);

    const parsed = chapters.map((item) => guard(item, ctx, () => parseChapter(zip, item, ctx))).filter(isDefined);
    const notes = extractNotes(
      parsed.map((c) => ({ root: c.hast, path: c.item.path })),
      { heuristics: true, resolve: resolveHref },
    );
    const options = { wholeBody: true, imageName: fileName };
    const children: RootContent[] = [...frontMatter(pkg)];
    let read = 0;
    for (const chapter of parsed) {
      const content = guard(chapter.item, ctx, () => {
        const hasHeading = findFirst(chapter.hast, (el) => /^h[1-6]$/.test(el.tagName)) !== undefined;
        if (!hasHeading) addSectionHeadings(chapter.hast, toc, chapter.item.path);
        const out = hastToTree(chapter.hast, options).root.children;
        const title = titles.get(chapter.item.path);
        if (!hasHeading && title && out.length > 0 && out[0].type !== 'heading') out.unshift(heading(2, [text(title)]));
        return out;
      });
      // A chapter that only held notes is empty now; it was still read.
      if (content) {
        children.push(...content);
        read++;
      }
    }
    if (read === 0) throw corrupt('no chapter of the EPUB could be read');
    children.push(...notesToMdast(notes, options));
    return { root: root(children), ...(pkg.title ? { title: pkg.title } : {}) };
  },
};

function parseChapter(zip: ZipArchive, item: ManifestItem, ctx: ConvertContext): ParsedChapter | undefined {
  const source = zip.text(item.path);
  if (source === undefined) {
    ctx.warn({ code: 'part_unreadable', message: `EPUB chapter ${item.path} is missing` });
    return undefined;
  }
  return { item, hast: parseHtml(xhtmlToHtml(source, item.path), (w) => ctx.warn(w)) };
}

/** Run one chapter's step; a chapter over the size caps stops the book, any other failure skips the chapter. */
function guard<T>(item: ManifestItem, ctx: ConvertContext, step: () => T | undefined): T | undefined {
  try {
    return step();
  } catch (error) {
    if (error instanceof ConversionError && (error.code === 'too_large' || error.code === 'encrypted')) throw error;
    ctx.warn({
      code: 'part_unreadable',
      message: `EPUB chapter ${item.path} could not be read: ${asConversionError(error).message}`,
    });
    return undefined;
  }
}

const isDefined = <T>(v: T | undefined): v is T => v !== undefined;

/** `notes.xhtml#n3` seen from `text/ch1.xhtml` → `text/notes.xhtml#n3`; links without a fragment are not notes. */
function resolveHref(from: string | undefined, href: string): string | undefined {
  const hash = href.indexOf('#');
  if (hash < 0 || from === undefined || /^[a-z][a-z0-9+.-]*:/i.test(href)) return undefined;
  let fragment = href.slice(hash + 1);
  try {
    fragment = decodeURIComponent(fragment);
  } catch {
    // keep as written
  }
  return `${resolvePartPath(from, decodeHref(href))}#${fragment}`;
}

/**
 * A headingless chapter whose table-of-contents entries point at elements inside it (`ch1.xhtml#s2`) gets a
 * heading before each such element, at the entry's depth (top-level entries are level 2, as chapter titles
 * from the table of contents are).
 */
function addSectionHeadings(hast: HastRoot, toc: TocEntry[], path: string): void {
  const entries = toc.filter((e) => e.path === path && e.fragment);
  if (entries.length === 0) return;
  const byId = new Map<string, { el: Element; parent: Element | HastRoot }>();
  const walk = (node: Element | HastRoot) => {
    for (const c of node.children) {
      if (c.type !== 'element') continue;
      const id = c.properties?.id;
      if (typeof id === 'string' && !byId.has(id)) byId.set(id, { el: c, parent: node });
      walk(c);
    }
  };
  walk(hast);
  for (const entry of entries) {
    const hit = byId.get(entry.fragment!);
    if (!hit || hit.el.tagName === 'body') continue;
    const level = Math.min(6, 2 + entry.depth);
    const h: Element = {
      type: 'element',
      tagName: `h${level}`,
      properties: {},
      children: [{ type: 'text', value: entry.title }],
    };
    const i = hit.parent.children.indexOf(hit.el);
    if (i >= 0) hit.parent.children.splice(i, 0, h);
  }
}

/** Authors and description from the OPF: what a reader sees on the cover and the back of the book. */
function frontMatter(pkg: EpubPackage): RootContent[] {
  const out: RootContent[] = [];
  if (pkg.creators.length)
    out.push(paragraph([text(`${pkg.creators.length > 1 ? 'Authors' : 'Author'}: ${pkg.creators.join(', ')}`)]));
  if (pkg.description) out.push(paragraph([text(pkg.description)]));
  return out;
}

/** Image reference → the bare file name, a placeholder that points nowhere outside the book. */
function fileName(src: string): string {
  const path = src.split(/[?#]/)[0];
  const name = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** Font obfuscation is common and harmless; encrypted chapters (DRM) cannot be read at all. */
function refuseEncryptedChapters(zip: ZipArchive, chapters: ManifestItem[]): void {
  const xml = zip.text('META-INF/encryption.xml');
  if (xml === undefined) return;
  let refs: string[];
  try {
    refs = descendants(parseXml(xml, { part: 'encryption.xml' }), 'CipherReference').map((r) => attr(r, 'URI') ?? '');
  } catch {
    return;
  }
  const locked = new Set(
    refs.map((u) => {
      try {
        return decodeURIComponent(u);
      } catch {
        return u;
      }
    }),
  );
  if (chapters.some((c) => locked.has(c.path))) throw encrypted('EPUB chapters are encrypted (DRM)');
}

/**
 * epub: ZIP → container.xml → OPF → spine order → each XHTML chapter through the HTML path → one tree.
 * Title and authors come from the OPF metadata; the table of contents only names chapters that have no
 * heading of their own; images become `![alt](file name)` placeholders.
 */
import type { RootContent } from 'mdast';
import type { Converter, ConvertContext } from '../../types.ts';
import { ZipArchive } from '../../zip.ts';
import { attr, descendants, parseXml } from '../../xml.ts';
import { ConversionError, asConversionError, corrupt, encrypted } from '../../errors.ts';
import { heading, paragraph, root, text } from '../../mdast.ts';
import { htmlToTree } from '../html/index.ts';
import { readPackage, type EpubPackage, type ManifestItem } from './package.ts';
import { readTocTitles } from './toc.ts';
import { xhtmlToHtml } from './xhtml.ts';

const CHAPTER_TYPES = new Set(['application/xhtml+xml', 'text/html', 'application/xml', 'text/xml', '']);

export const epubConverter: Converter = {
  name: 'epub',
  accepts: (input) => input.format === 'epub',
  async convert({ bytes }, ctx) {
    const zip = new ZipArchive(bytes, {
      maxEntryBytes: ctx.limits.maxEntryBytes,
      maxInflatedBytes: ctx.limits.maxInflatedBytes,
    });
    const pkg = readPackage(zip);
    const chapters = pkg.spine.filter((item) => CHAPTER_TYPES.has(item.mediaType) && !item.properties.includes('nav'));
    if (chapters.length === 0) throw corrupt('EPUB spine lists no readable documents');
    refuseEncryptedChapters(zip, chapters);
    const tocTitles = readTocTitles(zip, pkg);

    const children: RootContent[] = [...frontMatter(pkg)];
    let read = 0;
    for (const item of chapters) {
      const content = readChapter(zip, item, tocTitles, ctx);
      if (content) {
        children.push(...content);
        read++;
      }
    }
    if (read === 0) throw corrupt('no chapter of the EPUB could be read');
    return { root: root(children), ...(pkg.title ? { title: pkg.title } : {}) };
  },
};

/** Authors and description from the OPF: what a reader sees on the cover and the back of the book. */
function frontMatter(pkg: EpubPackage): RootContent[] {
  const out: RootContent[] = [];
  if (pkg.creators.length)
    out.push(paragraph([text(`${pkg.creators.length > 1 ? 'Authors' : 'Author'}: ${pkg.creators.join(', ')}`)]));
  if (pkg.description) out.push(paragraph([text(pkg.description)]));
  return out;
}

function readChapter(
  zip: ZipArchive,
  item: ManifestItem,
  tocTitles: Map<string, string>,
  ctx: ConvertContext,
): RootContent[] | undefined {
  try {
    const source = zip.text(item.path);
    if (source === undefined) {
      ctx.warn({ code: 'part_unreadable', message: `EPUB chapter ${item.path} is missing` });
      return undefined;
    }
    const html = xhtmlToHtml(source, item.path);
    const tree = htmlToTree(html, { wholeBody: true, imageName: fileName });
    const content = tree.root.children;
    const tocTitle = tocTitles.get(item.path);
    if (tocTitle && content.length > 0 && !content.some((c) => c.type === 'heading'))
      content.unshift(heading(2, [text(tocTitle)]));
    return content;
  } catch (error) {
    // A chapter over the size caps stops the whole book; any other broken chapter is skipped with a warning.
    if (error instanceof ConversionError && (error.code === 'too_large' || error.code === 'encrypted')) throw error;
    ctx.warn({
      code: 'part_unreadable',
      message: `EPUB chapter ${item.path} could not be read: ${asConversionError(error).message}`,
    });
    return undefined;
  }
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

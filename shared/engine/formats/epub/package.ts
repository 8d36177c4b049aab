/**
 * The EPUB package: `META-INF/container.xml` names the OPF; the OPF holds the metadata, the manifest
 * (id → file) and the spine (reading order). Paths are resolved against the OPF's folder.
 */
import type { ZipArchive } from '../../zip.ts';
import { resolvePartPath } from '../../zip.ts';
import { attr, child, childrenNamed, descendants, parseXml, textOf, type XmlElement } from '../../xml.ts';
import { corrupt } from '../../errors.ts';

export interface ManifestItem {
  id: string;
  /** Archive path, resolved. */
  path: string;
  mediaType: string;
  properties: string[];
}

export interface EpubPackage {
  title?: string;
  creators: string[];
  description?: string;
  /** Spine documents in reading order, each once (at its first itemref). */
  spine: ManifestItem[];
  /**
   * Itemrefs dropped because they name a document the spine already lists: invalid (epubcheck OPF-034), and
   * read as listed a few KB of spine would convert one chapter thousands of times.
   */
  repeatedSpineRefs: number;
  /** EPUB 3 navigation document, if any. */
  nav?: ManifestItem;
  /** EPUB 2 NCX table of contents, if any. */
  ncx?: ManifestItem;
}

export function readPackage(zip: ZipArchive): EpubPackage {
  const container = zip.text('META-INF/container.xml');
  if (container === undefined) throw corrupt('EPUB has no META-INF/container.xml');
  const rootfile = descendants(parseXml(container, { part: 'container.xml' }), 'rootfile').find(
    (r) => (attr(r, 'media-type') ?? 'application/oebps-package+xml') === 'application/oebps-package+xml',
  );
  const opfPath = rootfile ? attr(rootfile, 'full-path') : undefined;
  if (!opfPath) throw corrupt('EPUB container.xml names no package document');
  const opfText = zip.text(opfPath);
  if (opfText === undefined) throw corrupt(`EPUB package document ${opfPath} is missing`);
  const opf = parseXml(opfText, { part: opfPath });

  const metadata = child(opf, 'metadata');
  const manifest = new Map<string, ManifestItem>();
  for (const item of childrenNamed(child(opf, 'manifest'), 'item')) {
    const id = attr(item, 'id');
    const href = attr(item, 'href');
    if (!id || !href) continue;
    manifest.set(id, {
      id,
      path: resolvePartPath(opfPath, decodeHref(href)),
      mediaType: (attr(item, 'media-type') ?? '').toLowerCase(),
      properties: (attr(item, 'properties') ?? '').split(/\s+/).filter(Boolean),
    });
  }
  const spineEl = child(opf, 'spine');
  const spine: ManifestItem[] = [];
  const listed = new Set<string>();
  let repeatedSpineRefs = 0;
  for (const ref of childrenNamed(spineEl, 'itemref')) {
    const item = manifest.get(attr(ref, 'idref') ?? '');
    if (!item) continue;
    // By resolved path: two manifest ids may name the same file.
    if (listed.has(item.path)) repeatedSpineRefs++;
    else {
      listed.add(item.path);
      spine.push(item);
    }
  }
  const nav = [...manifest.values()].find((i) => i.properties.includes('nav'));
  const ncxId = attr(spineEl, 'toc');
  const ncx =
    (ncxId ? manifest.get(ncxId) : undefined) ??
    [...manifest.values()].find((i) => i.mediaType === 'application/x-dtbncx+xml');
  return {
    title: firstText(metadata, 'title'),
    creators: childrenNamed(metadata, 'creator')
      .map((c) => clean(textOf(c)))
      .filter(Boolean),
    description: firstText(metadata, 'description'),
    spine,
    repeatedSpineRefs,
    ...(nav ? { nav } : {}),
    ...(ncx ? { ncx } : {}),
  };
}

function firstText(metadata: XmlElement | undefined, name: string): string | undefined {
  const el = child(metadata, name);
  const t = el ? clean(textOf(el)) : '';
  return t || undefined;
}

const clean = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Manifest hrefs are URLs: `%20` in the href is a space in the archive name. */
export function decodeHref(href: string): string {
  const noFragment = href.split('#')[0];
  try {
    return decodeURIComponent(noFragment);
  } catch {
    return noFragment;
  }
}

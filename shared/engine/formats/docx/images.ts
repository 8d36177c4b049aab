/**
 * Pictures: DrawingML (`w:drawing` → `a:blip`) and VML (`w:pict`/`w:object` → `v:imagedata`). Alt text comes
 * from `wp:docPr` (descr, then title) or the VML shape's `alt`/`o:title`. The image is named by its part's file
 * name; bytes are embedded as a data URI only when `options.embedImages` asks for it.
 */
import type { Image } from 'mdast';
import type { XmlElement } from '../../xml.ts';
import { attr, descendants, localName } from '../../xml.ts';
import { imagePlaceholder, image } from '../../mdast.ts';
import type { DocxContext } from './context.ts';

const MEDIA_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  svg: 'image/svg+xml',
  webp: 'image/webp',
  emf: 'image/emf',
  wmf: 'image/wmf',
};

function altFromDocPr(container: XmlElement): string {
  const docPr = descendants(container, 'docPr')[0];
  return (attr(docPr, 'descr') || attr(docPr, 'title') || '').trim();
}

/** Images inside one `w:drawing`, in document order. */
export function drawingImages(drawing: XmlElement, dc: DocxContext): Image[] {
  const out: Image[] = [];
  const alt = altFromDocPr(drawing);
  for (const blip of descendants(drawing, 'blip')) {
    const id = attr(blip, 'r:embed') ?? attr(blip, 'embed') ?? attr(blip, 'r:link') ?? attr(blip, 'link');
    // A picture inside a group has its own docPr/cNvPr; prefer the nearest description.
    const pic = nearestAncestor(blip, 'pic') ?? nearestAncestor(blip, 'graphicData');
    const own = pic
      ? (descendants(pic, 'cNvPr')
          .map((c) => attr(c, 'descr') || attr(c, 'title') || '')
          .find(Boolean) ?? '')
      : '';
    out.push(imageFor(id, own || alt, dc));
  }
  return out;
}

/** Images inside VML (`w:pict`, `w:object`). */
export function vmlImages(pict: XmlElement, dc: DocxContext): Image[] {
  return descendants(pict, 'imagedata').map((data) => {
    const shape = data.parent;
    const alt = (attr(shape, 'alt') || attr(data, 'o:title') || attr(data, 'title') || '').trim();
    return imageFor(attr(data, 'r:id') ?? attr(data, 'id') ?? attr(data, 'r:pict'), alt, dc);
  });
}

function nearestAncestor(el: XmlElement, name: string): XmlElement | undefined {
  for (let cur = el.parent; cur; cur = cur.parent) if (localName(cur.name) === name) return cur;
  return undefined;
}

function imageFor(relId: string | undefined, alt: string, dc: DocxContext): Image {
  const rel = relId ? dc.rels.get(relId) : undefined;
  if (!rel || rel.external) {
    // External (linked) pictures are never fetched: keep the alt text only.
    return imagePlaceholder(alt);
  }
  const name = rel.target.slice(rel.target.lastIndexOf('/') + 1);
  if (dc.convert.options.embedImages) {
    const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
    const type = MEDIA_TYPES[ext];
    try {
      const bytes = type ? dc.pkg.zip.read(rel.target) : undefined;
      if (bytes && type)
        return image(
          `data:${type};base64,${Buffer.from(bytes).toString('base64')}`,
          alt.replace(/\s+/g, ' ') || 'image',
        );
    } catch (error) {
      dc.convert.warn({ code: 'image_omitted', message: `${rel.target}: ${(error as Error).message}` });
    }
  }
  return imagePlaceholder(alt, name);
}

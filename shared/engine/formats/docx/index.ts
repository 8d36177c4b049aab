/**
 * docx: Word documents (Transitional and Strict OOXML) read straight from the package with the project's
 * bounded ZIP reader and safe XML parser. Body → mdast blocks; notes → GFM footnotes; headers and footers
 * only on request; title from the core properties.
 */
import type { RootContent } from 'mdast';
import type { Converter, ConvertContext, DocumentTree } from '../../types.ts';
import type { XmlElement } from '../../xml.ts';
import { attr, child, descendants, elements, localName, textOf } from '../../xml.ts';
import { corrupt } from '../../errors.ts';
import { root } from '../../mdast.ts';
import { DocxPackage } from './package.ts';
import { Styles } from './styles.ts';
import { Numbering } from './numbering.ts';
import { Notes } from './notes.ts';
import { Comments } from './comments.ts';
import type { DocxContext } from './context.ts';
import { forPart } from './context.ts';
import { convertBlocks } from './body.ts';

export const docxConverter: Converter = {
  name: 'docx',
  accepts: (input) => input.format === 'docx',
  async convert({ bytes }, ctx) {
    return convertDocx(bytes, ctx);
  },
};

export function convertDocx(bytes: Uint8Array, ctx: ConvertContext): DocumentTree {
  const pkg = new DocxPackage(bytes, ctx);
  const document = pkg.document();
  const body = child(document, 'body');
  if (!body) throw corrupt(`${pkg.mainPart} has no body`);

  const styles = new Styles(optionalRelated(pkg, 'styles', 'word/styles.xml'));
  const numbering = new Numbering(optionalRelated(pkg, 'numbering', 'word/numbering.xml'), styles);
  const notes = new Notes();
  for (const kind of ['footnote', 'endnote'] as const) {
    notes.register(kind, () => {
      const part = pkg.relatedPart(`${kind}s`, `word/${kind}s.xml`);
      const xml = part ? pkg.optionalXml(part) : undefined;
      return part && xml ? { part, xml } : undefined;
    });
  }

  const comments = ctx.options.comments
    ? new Comments(() => {
        const part = pkg.relatedPart('comments', 'word/comments.xml');
        const xml = part ? pkg.optionalXml(part) : undefined;
        return part && xml ? { part, xml } : undefined;
      })
    : undefined;

  const dc: DocxContext = {
    pkg,
    convert: ctx,
    styles,
    numbering,
    notes,
    ...(comments ? { comments } : {}),
    part: pkg.mainPart,
    rels: pkg.relationships(pkg.mainPart),
    headingOffset: usesTitleStyle(body, styles) ? 1 : 0,
    fields: [],
    depth: 0,
    blocks: convertBlocks,
  };

  const children: RootContent[] = [];
  const furniture = ctx.options.includeHeadersFooters ? headerFooterParts(body, dc) : { headers: [], footers: [] };
  for (const part of furniture.headers) children.push(...partBlocks(part, dc));
  children.push(...convertBlocks(body, dc));
  for (const part of furniture.footers) children.push(...partBlocks(part, dc));
  children.push(...notes.definitions(dc));
  if (comments) children.push(...comments.definitions(dc));

  const title = coreTitle(pkg);
  return { root: root(children), ...(title ? { title } : {}) };
}

function optionalRelated(pkg: DocxPackage, kind: string, fallback: string): XmlElement | undefined {
  const part = pkg.relatedPart(kind, fallback);
  return part ? pkg.optionalXml(part) : undefined;
}

/** Whether any paragraph uses the Title style: then Heading 1 sits one level below it. */
function usesTitleStyle(body: XmlElement, styles: Styles): boolean {
  for (const pStyle of descendants(body, 'pStyle')) {
    if (styles.paragraph(attr(pStyle, 'val')).headingLevel === 0) return true;
  }
  return false;
}

/** Header and footer parts named by the section properties, each once, in document order. */
function headerFooterParts(body: XmlElement, dc: DocxContext): { headers: string[]; footers: string[] } {
  const headers: string[] = [];
  const footers: string[] = [];
  for (const sectPr of descendants(body, 'sectPr')) {
    for (const ref of elements(sectPr)) {
      const name = localName(ref.name);
      if (name !== 'headerReference' && name !== 'footerReference') continue;
      const rel = dc.rels.get(attr(ref, 'r:id') ?? attr(ref, 'id') ?? '');
      if (!rel || rel.external) continue;
      const list = name === 'headerReference' ? headers : footers;
      if (!list.includes(rel.target)) list.push(rel.target);
    }
  }
  return { headers, footers };
}

function partBlocks(part: string, dc: DocxContext): RootContent[] {
  const xml = dc.pkg.optionalXml(part);
  return xml ? convertBlocks(xml, forPart(dc, part)) : [];
}

/** `dc:title` from the core properties part. */
function coreTitle(pkg: DocxPackage): string | undefined {
  let part = 'docProps/core.xml';
  for (const rel of pkg.packageRelationships.values()) {
    if (!rel.external && rel.kind === 'core-properties') part = rel.target;
  }
  const core = pkg.optionalXml(part);
  const title = textOf(child(core, 'title')).replace(/\s+/g, ' ').trim();
  return title || undefined;
}

/**
 * Speaker notes: the text of the notes slide's body placeholder (not the slide image, number or footer).
 * They are kept, but set apart in a block quote that says what they are, so they are never read as slide text.
 */
import type { BlockContent, Blockquote } from 'mdast';
import { blockquote, paragraph, strong, text } from '../../mdast.ts';
import { path, localName, elements } from '../../xml.ts';
import { isFurniture, placeholderOf, readSlideBase } from './inherit.ts';
import { textShapeBlocks, type SlideReader } from './slide.ts';

export function readNotes(reader: SlideReader, slidePart: string): Blockquote | undefined {
  const rel = reader.pkg.relOfType(slidePart, 'notesSlide');
  if (!rel) return undefined;
  const root = reader.pkg.xml(rel.target);
  if (!root) return undefined;
  const base = readSlideBase(reader.pkg, rel.target, 'slideLayout', 'notesMaster');
  const rels = reader.pkg.rels(rel.target);
  const blocks: BlockContent[] = [];
  const tree = path(root, 'p:cSld', 'p:spTree');
  for (const el of tree ? elements(tree) : []) {
    if (localName(el.name) !== 'sp') continue;
    const ph = placeholderOf(el);
    if (ph && (isFurniture(ph.type) || ph.type === 'sldImg' || ph.type === 'title')) continue;
    blocks.push(...textShapeBlocks(reader, el, base, rels));
  }
  if (blocks.length === 0) return undefined;
  return blockquote([paragraph([strong([text('Notes:')])]), ...blocks]);
}

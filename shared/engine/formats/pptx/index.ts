/**
 * PPTX → one mdast tree, read straight from the OOXML package: slides in presentation order, each opened by a
 * `pageBreak` (page = slide number) so provenance survives, its title as a heading, its shapes in reading
 * order, its speaker notes set apart at the end.
 */
import type { Converter, ConvertContext, DocumentTree } from '../../types.ts';
import type { RootContent } from '../../mdast.ts';
import { heading, pageBreak, paragraph, root, rule, text } from '../../mdast.ts';
import { ConversionError, tooLarge } from '../../errors.ts';
import { child } from '../../xml.ts';
import { isFatal, PptxPackage } from './package.ts';
import { coreTitle, readPresentation } from './presentation.ts';
import { readSlide, type SlideReader } from './slide.ts';
import { readNotes } from './notes.ts';
import { SlideComments } from './comments.ts';

/** Titles that templates leave in the core properties: they name nothing. */
const PLACEHOLDER_TITLE = /^(?:powerpoint\s+)?(?:presentation|slide)\s*\d*$/i;

export const pptxConverter: Converter = {
  name: 'pptx',
  accepts: (input) => input.format === 'pptx',
  async convert({ bytes }, ctx) {
    return convertPptx(bytes, ctx);
  },
};

export function convertPptx(bytes: Uint8Array, ctx: ConvertContext): DocumentTree {
  const pkg = new PptxPackage(bytes, ctx.limits);
  const presentation = readPresentation(pkg);
  const slides = presentation.slides;
  if (slides.length === 0) throw new ConversionError('empty', 'the presentation has no slides');
  if (slides.length > ctx.limits.maxPages)
    throw tooLarge(`the presentation has ${slides.length} slides (limit ${ctx.limits.maxPages})`);
  const reader: SlideReader = { pkg, ctx, defaultTextStyle: child(presentation.root, 'p:defaultTextStyle') };
  const comments = ctx.options.comments ? new SlideComments(pkg, presentation.part, ctx) : undefined;
  const range = ctx.options.pages;
  const children: RootContent[] = [];
  let firstTitle: string | undefined;
  let emitted = 0;
  for (const slide of slides) {
    if (range && (slide.number < range.first || slide.number > range.last)) continue;
    let content;
    try {
      content = readSlide(reader, slide.part, slide.number);
    } catch (error) {
      if (isFatal(error)) throw error;
      ctx.warn({
        code: 'page_failed',
        message: `slide ${slide.number} could not be read: ${(error as Error).message}`,
        page: slide.number,
      });
      continue;
    }
    if (!content) {
      ctx.warn({
        code: 'part_unreadable',
        message: `slide ${slide.number} is missing from the package`,
        page: slide.number,
      });
      continue;
    }
    // Hidden slides are not part of the presentation as shown; they are left out, numbers kept.
    if (content.hidden) continue;
    children.push(pageBreak(slide.number));
    // Comments are anchored to the slide: their references follow its title.
    const slideComments = comments?.forSlide(slide.part, slide.number);
    const refs = slideComments?.references ?? [];
    if (content.title) {
      firstTitle ??= content.title;
      children.push(heading(content.opensSection ? 1 : 2, [text(content.title), ...refs]));
    } else {
      // An untitled slide would run into the previous one: a rule marks where it starts.
      if (emitted > 0) children.push(rule());
      if (refs.length) children.push(paragraph([text('Comments:'), ...refs]));
    }
    children.push(...content.body);
    const notes = readNotesSafely(reader, slide.part, slide.number);
    if (notes) children.push(notes);
    if (slideComments) children.push(...slideComments.definitions);
    emitted++;
  }
  const core = coreTitle(pkg);
  const title = core && !PLACEHOLDER_TITLE.test(core) ? core : firstTitle;
  return { root: root(children), pageCount: slides.length, ...(title ? { title } : {}) };
}

function readNotesSafely(reader: SlideReader, part: string, page: number) {
  try {
    return readNotes(reader, part);
  } catch (error) {
    if (isFatal(error)) throw error;
    reader.ctx.warn({ code: 'part_unreadable', message: `the notes of slide ${page} could not be read`, page });
    return undefined;
  }
}

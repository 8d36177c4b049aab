/**
 * Slide comments, only when `ConvertOptions.comments` asks for them. Two storage schemes exist:
 * - legacy (PowerPoint 97–2019): a slide's `comments` relationship → `ppt/comments/commentN.xml`
 *   (`p:cmLst/p:cm` with `p:text`), authors in `ppt/commentAuthors.xml` (`p:cmAuthor id name`);
 * - modern (PowerPoint 365, relationship type `…/2018/10/relationships/comments`) →
 *   `ppt/comments/modernComment_*.xml` (`p188:cm` with `p188:txBody` and `p188:replyLst`), authors in
 *   `ppt/authors.xml` (`p188:author id name`).
 * Both relationship types end in `comments`, so parts are told apart by content, not by name. A comment is
 * anchored to its slide: it becomes a GFM footnote labelled `c1`, `c2`… across the deck, referenced after the
 * slide title (see `index.ts`) and defined at the end of that slide (so each slide's Markdown stands alone) as
 * `**Author:** text`, replies as further paragraphs.
 */
import type { FootnoteDefinition, FootnoteReference } from 'mdast';
import type { Paragraph } from 'mdast';
import { paragraph, strong, text } from '../../mdast.ts';
import { attr, child, childrenNamed, descendants, elements, localName, textOf, type XmlElement } from '../../xml.ts';
import { isFatal, type PptxPackage } from './package.ts';
import type { ConvertContext } from '../../types.ts';

interface Comment {
  author: string;
  text: string;
}

const MAX_COMMENTS = 10000;

export interface SlideCommentNodes {
  /** To put where the comments anchor (after the slide title). */
  references: FootnoteReference[];
  /** To put at the end of the slide. */
  definitions: FootnoteDefinition[];
}

export class SlideComments {
  private authors?: Map<string, string>;
  private count = 0;
  private readonly pkg: PptxPackage;
  private readonly presentationPart: string;
  private readonly ctx: ConvertContext;

  constructor(pkg: PptxPackage, presentationPart: string, ctx: ConvertContext) {
    this.pkg = pkg;
    this.presentationPart = presentationPart;
    this.ctx = ctx;
  }

  /** The comments of one slide, numbered on from those of the slides before. */
  forSlide(slidePart: string, page: number): SlideCommentNodes {
    const out: SlideCommentNodes = { references: [], definitions: [] };
    for (const rel of this.pkg.rels(slidePart).values()) {
      if (rel.external || rel.type !== 'comments') continue;
      let comments: Comment[][];
      try {
        comments = this.read(rel.target);
      } catch (error) {
        if (isFatal(error)) throw error;
        this.ctx.warn({ code: 'part_unreadable', message: `the comments of slide ${page} could not be read`, page });
        continue;
      }
      for (const thread of comments) {
        if (this.count >= MAX_COMMENTS) break;
        const label = `c${++this.count}`;
        out.definitions.push({ type: 'footnoteDefinition', identifier: label, label, children: thread.map(byline) });
        out.references.push({ type: 'footnoteReference', identifier: label, label });
      }
    }
    return out;
  }

  /** Each comment with its replies, in the part's order; comments without text are left out. */
  private read(part: string): Comment[][] {
    const root = this.pkg.xml(part);
    if (!root) return [];
    const out: Comment[][] = [];
    for (const cm of elements(root)) {
      if (localName(cm.name) !== 'cm') continue;
      const thread = [this.comment(cm)];
      for (const reply of childrenNamed(child(cm, 'replyLst'), 'reply')) thread.push(this.comment(reply));
      const kept = thread.filter((c) => c.text);
      if (kept.length) out.push(kept);
    }
    return out;
  }

  private comment(el: XmlElement): Comment {
    const legacy = child(el, 'text');
    const body = legacy
      ? textOf(legacy)
      : descendants(child(el, 'txBody') ?? { name: '', attrs: {}, children: [] }, 'p')
          .map((p) => descendants(p, 't').map(textOf).join(''))
          .join(' ');
    return { author: this.authorName(attr(el, 'authorId')), text: body.replace(/\s+/g, ' ').trim() };
  }

  private authorName(id: string | undefined): string {
    if (!this.authors) {
      this.authors = new Map();
      for (const rel of this.pkg.rels(this.presentationPart).values()) {
        if (rel.external || (rel.type !== 'commentAuthors' && rel.type !== 'authors')) continue;
        let list: XmlElement | undefined;
        try {
          list = this.pkg.xml(rel.target);
        } catch (error) {
          if (isFatal(error)) throw error;
          this.ctx.warn({ code: 'part_unreadable', message: `${rel.target} could not be read` });
        }
        for (const a of list ? elements(list) : []) {
          const key = attr(a, 'id');
          const name = (attr(a, 'name') ?? '').trim();
          if (key !== undefined && name) this.authors.set(key, name);
        }
      }
    }
    return id === undefined ? '' : (this.authors.get(id) ?? '');
  }
}

function byline(c: Comment): Paragraph {
  return paragraph(c.author ? [strong([text(`${c.author}:`)]), text(` ${c.text}`)] : [text(c.text)]);
}

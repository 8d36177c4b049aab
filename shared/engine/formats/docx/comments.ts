/**
 * Comments (`word/comments.xml`), only when `ConvertOptions.comments` asks for them. Each comment becomes a
 * GFM footnote labelled `c1`, `c2`… (numbered in order of first reference, apart from the notes' `1`, `2`…),
 * referenced where the comment's range ends (`w:commentReference`, the mark Word shows in the margin), and
 * defined after the notes as `**Author:** text`.
 */
import type { FootnoteDefinition, FootnoteReference } from 'mdast';
import type { XmlElement } from '../../xml.ts';
import { attr, elements, localName } from '../../xml.ts';
import type { BlockContent } from '../../mdast.ts';
import { paragraph, strong, text } from '../../mdast.ts';
import type { DocxContext } from './context.ts';
import { forPart } from './context.ts';

/** Comment definitions past this many are cut: a comment appendix is never worth unbounded output. */
const MAX_COMMENTS = 10000;

export class Comments {
  private loaded?: { part: string; comments: Map<string, XmlElement> } | null;
  private readonly labels = new Map<string, string>();
  private readonly order: { id: string; label: string }[] = [];

  private readonly load: () => { part: string; xml: XmlElement } | undefined;

  /** `load` finds and parses the comments part; it runs on the first reference only. */
  constructor(load: () => { part: string; xml: XmlElement } | undefined) {
    this.load = load;
  }

  private part() {
    if (this.loaded === undefined) {
      const found = this.load();
      if (!found) this.loaded = null;
      else {
        const comments = new Map<string, XmlElement>();
        for (const el of elements(found.xml)) {
          const id = attr(el, 'id');
          if (localName(el.name) === 'comment' && id !== undefined) comments.set(id, el);
        }
        this.loaded = { part: found.part, comments };
      }
    }
    return this.loaded ?? undefined;
  }

  /** A reference to the comment, or undefined when the comments part does not have it. */
  reference(id: string | undefined): FootnoteReference | undefined {
    if (id === undefined || !this.part()?.comments.has(id)) return undefined;
    let label = this.labels.get(id);
    if (!label) {
      if (this.order.length >= MAX_COMMENTS) return undefined;
      label = `c${this.order.length + 1}`;
      this.labels.set(id, label);
      this.order.push({ id, label });
    }
    return { type: 'footnoteReference', identifier: label, label };
  }

  /** Definitions of every referenced comment, author first. */
  definitions(dc: DocxContext): FootnoteDefinition[] {
    const loaded = this.part();
    if (!loaded) return [];
    const out: FootnoteDefinition[] = [];
    for (let i = 0; i < this.order.length; i++) {
      const { id, label } = this.order[i];
      const el = loaded.comments.get(id)!;
      const blocks: BlockContent[] = dc.blocks(el, { ...forPart(dc, loaded.part), depth: dc.depth + 1 });
      const author = (attr(el, 'author') ?? '').trim();
      if (author) {
        const byline = [strong([text(`${author}:`)]), text(' ')];
        const first = blocks[0];
        if (first?.type === 'paragraph') first.children.unshift(...byline);
        else blocks.unshift(paragraph(byline));
      }
      out.push({
        type: 'footnoteDefinition',
        identifier: label,
        label,
        children: blocks as FootnoteDefinition['children'],
      });
    }
    return out;
  }
}

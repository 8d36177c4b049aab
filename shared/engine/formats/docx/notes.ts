/**
 * Footnotes and endnotes become GFM footnotes. Labels are numbered in order of first reference (endnotes
 * share the sequence so labels never collide); definitions are converted once, after the body.
 */
import type { FootnoteDefinition, FootnoteReference } from 'mdast';
import type { XmlElement } from '../../xml.ts';
import { attr, elements, localName } from '../../xml.ts';
import type { BlockContent } from '../../mdast.ts';
import type { DocxContext } from './context.ts';
import { forPart } from './context.ts';

type NoteKind = 'footnote' | 'endnote';

interface NotePart {
  part: string;
  notes: Map<string, XmlElement>;
}

export class Notes {
  private readonly parts = new Map<NoteKind, NotePart | undefined>();
  /** Note parts are parsed only when the body first refers to one: most documents have none. */
  private readonly loaders = new Map<NoteKind, () => { part: string; xml: XmlElement } | undefined>();
  private readonly labels = new Map<string, string>();
  private readonly order: { kind: NoteKind; id: string; label: string }[] = [];

  register(kind: NoteKind, load: () => { part: string; xml: XmlElement } | undefined): void {
    this.loaders.set(kind, load);
  }

  private notePart(kind: NoteKind): NotePart | undefined {
    if (this.parts.has(kind)) return this.parts.get(kind);
    const loaded = this.loaders.get(kind)?.();
    if (!loaded) {
      this.parts.set(kind, undefined);
      return undefined;
    }
    const { part, xml } = loaded;
    const notes = new Map<string, XmlElement>();
    for (const el of elements(xml)) {
      if (localName(el.name) !== kind) continue;
      const type = attr(el, 'type');
      if (type === 'separator' || type === 'continuationSeparator' || type === 'continuationNotice') continue;
      const id = attr(el, 'id');
      if (id !== undefined) notes.set(id, el);
    }
    const notePart = { part, notes };
    this.parts.set(kind, notePart);
    return notePart;
  }

  /** A reference node for the note, or undefined when the note does not exist. */
  reference(kind: NoteKind, id: string | undefined): FootnoteReference | undefined {
    if (id === undefined || !this.notePart(kind)?.notes.has(id)) return undefined;
    const key = `${kind}:${id}`;
    let label = this.labels.get(key);
    if (!label) {
      label = String(this.order.length + 1);
      this.labels.set(key, label);
      this.order.push({ kind, id, label });
    }
    return { type: 'footnoteReference', identifier: label, label };
  }

  /** Definitions for every referenced note, converting notes referenced from inside notes too. */
  definitions(dc: DocxContext): FootnoteDefinition[] {
    const out: FootnoteDefinition[] = [];
    for (let i = 0; i < this.order.length && i < 10000; i++) {
      const { kind, id, label } = this.order[i];
      const notePart = this.notePart(kind);
      const el = notePart?.notes.get(id);
      if (!notePart || !el) continue;
      const children: BlockContent[] = dc.blocks(el, forPart(dc, notePart.part));
      out.push({
        type: 'footnoteDefinition',
        identifier: label,
        label,
        children: children as FootnoteDefinition['children'],
      });
    }
    return out;
  }
}

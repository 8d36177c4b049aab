/**
 * `<figure>` → its content followed (or preceded, as in the source) by the caption as an emphasised
 * paragraph, so the caption stays next to what it describes and reads as a caption (it is not copied into
 * the image's alt text too: the words would then appear twice). Tables keep their own
 * `<caption>` handling (table.ts); a `<figcaption>` outside a `<figure>` is an ordinary paragraph.
 */
import type { Element } from 'hast';
import type { State } from 'hast-util-to-mdast';
import type { Paragraph, PhrasingContent, RootContent } from 'mdast';

export function figureHandler(state: State, node: Element): RootContent[] {
  const caption = node.children.find((c): c is Element => c.type === 'element' && c.tagName === 'figcaption');
  const out: RootContent[] = [];
  let run: Element['children'] = [];
  const flushRun = () => {
    if (run.length) out.push(...state.toFlow(state.all({ ...node, children: run })));
    run = [];
  };
  for (const child of node.children) {
    if (child !== caption) {
      run.push(child);
      continue;
    }
    flushRun();
    const paragraph = captionParagraph(state, caption);
    if (paragraph) out.push(paragraph);
  }
  flushRun();
  return out;
}

/** The caption's inline content (block children joined by line breaks) in one emphasised paragraph. */
function captionParagraph(state: State, caption: Element): Paragraph | undefined {
  const inline: PhrasingContent[] = [];
  for (const block of state.toFlow(state.all(caption))) {
    const phrasing: PhrasingContent[] =
      block.type === 'paragraph'
        ? block.children
        : 'value' in block
          ? [{ type: 'text', value: String(block.value) }]
          : [];
    if (phrasing.length === 0) continue;
    if (inline.length) inline.push({ type: 'break' });
    inline.push(...phrasing);
  }
  if (inline.length === 0) return undefined;
  return { type: 'paragraph', children: [{ type: 'emphasis', children: inline }] };
}

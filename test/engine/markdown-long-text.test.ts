/**
 * Text nodes heavy in ASCII punctuation are escaped in linear time (mdast-util-to-markdown's own escaping took
 * 3 to 10 µs a punctuation character: 2 MB of `*` in a text file spent 7 s there), and the Markdown still
 * reads back as the same text as the serializer's own.
 */
import type { Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown, gfmToMarkdown } from 'mdast-util-gfm';
import { defaultHandlers, toMarkdown } from 'mdast-util-to-markdown';
import { toString } from 'mdast-util-to-string';
import { gfm } from 'micromark-extension-gfm';
import { serialize } from '../../shared/engine/markdown.ts';
import { MANY_PUNCTUATION, withLongTextEscaped } from '../../shared/engine/markdown-long-text.ts';
import { cell, heading, link, paragraph, root, row, table, text } from '../../shared/engine/mdast.ts';

const PUNCTUATION = ['*', '_', '[', ']', '\\', '<', '`', '&', '!', '#', '-', '|', '~', '.', '$'];

const readBack = (markdown: string) =>
  toString(fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] }));

/** Markdown from the serializer's own text handler, and from the one escaping long text here. */
const both = (tree: Root) => {
  const extensions = [gfmToMarkdown()];
  return {
    own: toMarkdown(tree, { extensions }),
    here: toMarkdown(tree, { extensions, handlers: { text: withLongTextEscaped(defaultHandlers.text) } }),
  };
};

describe('long punctuation-heavy text', () => {
  it.each(PUNCTUATION)('writes 1,000,000 × %s in linear time, each escaped', (c) => {
    const { markdown } = serialize(root([paragraph([text(c.repeat(1_000_000))])]));
    expect(markdown).toBe(`\\${c}`.repeat(1_000_000) + '\n');
  });

  it.each(PUNCTUATION)('writes %s runs that read back as the same text as the serializer writes', (c) => {
    const { own, here } = both(root([paragraph([text(c.repeat(MANY_PUNCTUATION + 10))])]));
    expect(here).toBe(`\\${c}`.repeat(MANY_PUNCTUATION + 10) + '\n');
    expect(readBack(here)).toBe(readBack(own));
  });

  it('keeps words, line breaks and spaces at their edges, lone surrogates and private-use characters', () => {
    const unit = 'a_b *c* [d](e) <f> `g` &amp; 1. \\x | ~h~ $i$ www.j.com \ue000\n  # k\n- l\n \n> m\t';
    const value = unit.repeat(Math.ceil((2 * MANY_PUNCTUATION) / 20)) + '\ud800 end';
    const { own, here } = both(root([paragraph([text(value)])]));
    expect(here).not.toBe(own);
    expect(readBack(here)).toBe(readBack(own));
  });

  it('reads back in headings, links and table cells', () => {
    const value = '*_['.repeat(MANY_PUNCTUATION);
    const tree = root([
      heading(2, [text(value)]),
      paragraph([link('https://example.com/', [text(value)])]),
      table([row([cell([text('h')])]), row([cell([text('x'), link('https://example.com/', [text(value)])])])]),
    ]);
    expect(readBack(serialize(tree).markdown)).toBe(value + value + 'h' + 'x' + value);
  });

  it('leaves text with less punctuation to the serializer, written as before', () => {
    const value = 'Price *not* final_draft [see] <b> a\\b & done. '.repeat(100);
    const { own, here } = both(root([paragraph([text(value)])]));
    expect(here).toBe(own);
    expect(own.startsWith('Price \\*not\\* final_draft \\[see] \\<b> a\\b & done. Price')).toBe(true);
  });
});

/**
 * Text escaped with only the unsafe patterns whose character the text holds is the same string the serializer
 * writes with all of them, in every construct text can stand in (shared/engine/markdown-unsafe-subset.ts).
 */
import type { PhrasingContent, Root, RootContent } from 'mdast';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { mathToMarkdown } from 'mdast-util-math';
import { defaultHandlers, toMarkdown, type Handle, type Unsafe } from 'mdast-util-to-markdown';
import { unsafeFor, withUnsafeSubset } from '../../shared/engine/markdown-unsafe-subset.ts';

const extensions = [gfmToMarkdown({ tablePipeAlign: false }), mathToMarkdown({ singleDollarTextMath: true })];
const render = (tree: Root, text: Handle) =>
  toMarkdown(tree, { extensions, handlers: { text } as Record<string, Handle>, bullet: '-', resourceLink: true });

// Every character an unsafe pattern names, plus letters, digits, spaces and a non-ASCII letter, weighted so that
// pattern contexts (a character after a line ending, `a_b`, `http:`, `1.` at a line start) come up often.
const PIECES = [
  ...'\t\r\n !"#&\'()*+-.<=>[\\]_`~@:|$\u007f\u0000\u0001\u001f',
  'a',
  'b',
  'Z',
  '1',
  '9',
  'é',
  ' ',
  ' ',
  '\n',
  'http:',
  'www.',
  'a_b',
  '1. ',
  '- ',
  '# ',
  '> ',
  '    ',
  '<a>',
  '&amp;',
  '\\*',
];

function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
}

function trees(count: number): Root[] {
  const next = random(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
  const value = () => Array.from({ length: 1 + Math.floor(next() * 12) }, () => pick(PIECES)).join('');
  const phrasing = (): PhrasingContent[] =>
    Array.from({ length: 1 + Math.floor(next() * 3) }, (): PhrasingContent => {
      const text = { type: 'text', value: value() } as const;
      return pick([
        text,
        text,
        { type: 'emphasis', children: [text] },
        { type: 'strong', children: [text] },
        { type: 'link', url: 'https://example.com/x', children: [text] },
        { type: 'inlineCode', value: value() },
        { type: 'delete', children: [text] },
      ] as PhrasingContent[]);
    });
  const block = (): RootContent =>
    pick([
      () => ({ type: 'paragraph', children: phrasing() }),
      () => ({ type: 'heading', depth: 2, children: phrasing() }),
      () => ({ type: 'blockquote', children: [{ type: 'paragraph', children: phrasing() }] }),
      () => ({
        type: 'list',
        children: [{ type: 'listItem', children: [{ type: 'paragraph', children: phrasing() }] }],
      }),
      () => ({
        type: 'table',
        children: [0, 1].map(() => ({
          type: 'tableRow',
          children: [0, 1].map(() => ({ type: 'tableCell', children: phrasing() })),
        })),
      }),
    ] as (() => RootContent)[])();
  return Array.from({ length: count }, () => ({
    type: 'root',
    children: Array.from({ length: 1 + Math.floor(next() * 3) }, block),
  }));
}

describe('text escaped with the unsafe patterns it can meet', () => {
  it('is the same Markdown as with every pattern, over 3000 random trees of every construct', () => {
    let differ = 0;
    let escaped = 0;
    for (const tree of trees(3000)) {
      const all = render(structuredClone(tree), defaultHandlers.text);
      const subset = render(structuredClone(tree), withUnsafeSubset(defaultHandlers.text));
      if (all !== subset) differ++;
      if (all.includes('\\') || all.includes('&#')) escaped++;
    }
    expect(differ).toBe(0);
    // The trees really exercise escaping: most of them needed some.
    expect(escaped).toBeGreaterThan(1500);
  });

  it('keeps only the patterns of the characters present, and every pattern without a character', () => {
    const patterns: Unsafe[] = [
      { character: '*', inConstruct: 'phrasing' },
      { character: '_' },
      { atBreak: true, character: '#' },
      { character: '*', after: '\\s' },
      { character: 'é' },
      { before: 'x' } as Unsafe,
    ];
    expect(unsafeFor(patterns, 'plain words')).toEqual([patterns[5]]);
    expect(unsafeFor(patterns, 'a *b* c')).toEqual([patterns[0], patterns[3], patterns[5]]);
    expect(unsafeFor(patterns, 'café #1')).toEqual([patterns[2], patterns[4], patterns[5]]);
    // Built subsets are reused for the same characters.
    expect(unsafeFor(patterns, 'x * y')).toBe(unsafeFor(patterns, '**'));
  });
});

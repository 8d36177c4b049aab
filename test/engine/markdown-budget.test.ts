/**
 * Markdown too long or too dense in inline syntax for micromark to parse in time (2 MB of `[` took 68 s) keeps
 * the offending blocks as plain text, with an `unsupported_content` warning; every other block, and every normal
 * document, parses exactly as without the guard.
 */
import type { Paragraph, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { mathFromMarkdown } from 'mdast-util-math';
import { toString } from 'mdast-util-to-string';
import { gfm } from 'micromark-extension-gfm';
import { math } from 'micromark-extension-math';
import { convert } from '../../shared/engine/engine.ts';
import {
  MAX_BLOCK_CHARS,
  MAX_BLOCK_SYNTAX,
  MAX_DOCUMENT_SYNTAX,
  findKeptBlocks,
} from '../../shared/engine/formats/text/markdown-budget.ts';
import { textConverter } from '../../shared/engine/formats/text/index.ts';
import type { ConversionWarning } from '../../shared/engine/types.ts';
import { DEFAULT_LIMITS } from '../../shared/engine/types.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const MB2 = 2 * 1024 * 1024;
const parse = (s: string) =>
  fromMarkdown(s, { extensions: [gfm(), math()], mdastExtensions: [gfmFromMarkdown(), mathFromMarkdown()] });

/** The text converter's tree and warnings for Markdown `md`. */
async function tree(md: string): Promise<{ root: Root; warnings: ConversionWarning[] }> {
  const warnings: ConversionWarning[] = [];
  const out = await textConverter.convert(
    { bytes: enc(md), detected: { format: 'markdown', mediaType: 'text/markdown' } } as never,
    { options: {}, limits: DEFAULT_LIMITS, warn: (w) => warnings.push(w) },
  );
  return { root: out.root as Root, warnings };
}

/** Pseudo-random text of `n` characters over `alphabet` (fixed seed, so the test is deterministic). */
function mixed(n: number, alphabet: string): string {
  const out: string[] = [];
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out.push(alphabet[x % alphabet.length]);
  }
  return out.join('');
}

/** Each ASCII punctuation character of `s` preceded by a backslash (what the serializer writes for long runs). */
const escapedAll = (s: string) => s.replace(/[!-/:-@[-`{-~]/g, '\\$&');

const keptWarning = (warnings: ConversionWarning[]) =>
  warnings.find((w) => w.code === 'unsupported_content' && /kept as plain text/.test(w.message));

describe('Markdown budget: hostile inline syntax is kept as text', () => {
  it.each([
    ['[', '['.repeat(MB2)],
    [']', ']'.repeat(MB2)],
    ['\\', '\\'.repeat(MB2)],
    ['<', '<'.repeat(MB2)],
    ['a mix', mixed(MB2, '[]\\<&!*_`|ab')],
  ])('2 MB of %s in one paragraph converts with the text kept and a warning', async (_, doc) => {
    const result = await convert(enc(doc), { fileName: 'hostile.md' });
    expect(result.markdown).toBe(escapedAll(doc) + '\n');
    expect(keptWarning(result.warnings)?.message).toMatch(/1 block\(s\), 2097153 characters/);
    const { root } = await tree(doc);
    expect(root.children).toHaveLength(1);
    expect(toString(root)).toBe(doc);
  });

  it('writes a kept block so that it reads back as the same characters', async () => {
    // Lines that would start a heading, list, quote or code block if they were parsed.
    const doc = mixed(MAX_BLOCK_SYNTAX * 2, '[]\\<&!*_`|ab #-+>\n')
      .replace(/\n\s*\n/g, '\n')
      .replace(/^\s+/, '');
    const result = await convert(enc(doc), { fileName: 'hostile.md' });
    expect(keptWarning(result.warnings)).toBeDefined();
    // The serializer folds each white space run inside a line into one space, for every format.
    const lines = (s: string) => s.split('\n').map((l) => l.replace(/\s+/g, ' ').trim());
    const back = parse(result.markdown);
    expect(back.children).toHaveLength(1);
    const read = (back.children[0] as Paragraph).children
      .map((c) => (c.type === 'break' ? '\n' : toString(c)))
      .join('');
    expect(lines(read)).toEqual(lines(doc.trim()));
  });

  it('keeps many short dense paragraphs as text past the document budget, densest first', async () => {
    const para = '['.repeat(1023);
    const doc = (para + '\n\n').repeat(MB2 / 1025) + 'Last *words*.\n';
    const { root, warnings } = await tree(doc);
    const kept = findKeptBlocks(doc);
    expect(kept && 'kept' in kept && kept.kept.size).toBe(
      Math.floor(MB2 / 1025) - Math.floor(MAX_DOCUMENT_SYNTAX / 1023),
    );
    expect(keptWarning(warnings)).toBeDefined();
    expect(root.children.every((p) => p.type === 'paragraph')).toBe(true);
    expect(root.children.slice(0, -1).every((p) => toString(p) === para)).toBe(true);
    expect(root.children.at(-1)).toMatchObject({
      children: [{ value: 'Last ' }, { type: 'emphasis' }, { value: '.' }],
    });
  });

  it('keeps only the offending block; definitions, headings and lists around it parse as before', async () => {
    const hostile = '['.repeat(MAX_BLOCK_SYNTAX + 1);
    const doc = `# Title\n\nSee [the site][r] and *this*.\n\n- item\n\n  ${hostile}\n\n- next\n\n[r]: https://example.com\n`;
    const { root, warnings } = await tree(doc);
    expect(keptWarning(warnings)?.message).toMatch(/1 block\(s\)/);
    const expected = parse(doc.replace(hostile, 'PLACEHOLDER'));
    const { markdown } = await convert(enc(doc), { fileName: 'd.md' });
    const { markdown: expectedMarkdown } = await convert(enc(doc.replace(hostile, 'PLACEHOLDER')), {
      fileName: 'd.md',
    });
    expect(markdown).toBe(expectedMarkdown.replace('PLACEHOLDER', escapedAll(hostile)));
    expect(root.children.map((c) => c.type)).toEqual(expected.children.map((c) => c.type));
    expect(root.children.some((c) => c.type === 'definition')).toBe(true);
    expect(markdown).toContain('See [the site][r] and *this*.');
  });

  it('keeps a block longer than the length cap as text even when its syntax is sparse', async () => {
    const doc = 'A [link](u) then words. '.repeat(Math.ceil(MAX_BLOCK_CHARS / 24) + 1) + '\n\nAfter *this*.\n';
    const { root, warnings } = await tree(doc);
    expect(keptWarning(warnings)).toBeDefined();
    expect(root.children[0]).toMatchObject({ type: 'paragraph', children: [{ type: 'text' }] });
    expect(toString(root.children[0])).toBe(doc.split('\n\n')[0]);
    expect(root.children[0]).toMatchObject({ children: [{ type: 'text' }] });
    expect(root.children[1]).toMatchObject({ children: [{ value: 'After ' }, { type: 'emphasis' }, { value: '.' }] });
  });
});

describe('Markdown budget: normal documents are untouched', () => {
  const normal = [
    '---',
    'title: Notes',
    '---',
    '',
    '# Heading with `code` and a [link](https://example.com "t")',
    '',
    'Some *emphasis*, **strong**, ~~struck~~, <https://auto.link>, a footnote[^1], $x^2$ and \\*escaped\\*.',
    'A second line with an ![image](i.png) and &amp; an entity.',
    '',
    '> A quote with [a reference][ref].',
    '',
    '1. one',
    '2. two [x](y)',
    '   - nested',
    '',
    '| a | b |',
    '| - | :-: |',
    '| [1](u) | *2* |',
    '',
    '```ts',
    'const a = [1, 2] as const; // [[[[ \\ < ]]]]',
    '```',
    '',
    '    indented code [',
    '',
    '<div>html</div>',
    '',
    '[^1]: The note.',
    '[ref]: https://example.com/ref',
    '',
  ].join('\n');

  it('parses a document with links, emphasis, fences and tables exactly as the unguarded parser', async () => {
    expect(findKeptBlocks(normal)).toBeUndefined();
    const { root, warnings } = await tree(normal);
    expect(warnings).toEqual([]);
    const body = normal.replace(/^---\n[\s\S]*?\n---\n/, '');
    const unguarded = parse(body);
    const strip = (n: object): object => JSON.parse(JSON.stringify(n, (k, v) => (k === 'position' ? undefined : v)));
    expect(strip(root.children.slice(1))).toEqual(strip(unguarded.children));
  });

  it('does not flag a long fenced code block full of [', async () => {
    const content = ('['.repeat(79) + '\n').repeat(MB2 / 80);
    for (const doc of [
      `Intro.\n\n\`\`\`\n${content}\`\`\`\n\nOutro.\n`,
      `- item\n\n  ~~~~\n  ${'['.repeat(MAX_BLOCK_SYNTAX * 2)}\n  ~~~~\n`,
    ]) {
      expect(findKeptBlocks(doc)).toBeUndefined();
    }
    const { root, warnings } = await tree(`Intro.\n\n\`\`\`\n${content}\`\`\`\n\nOutro.\n`);
    expect(warnings).toEqual([]);
    expect(root.children[1]).toMatchObject({ type: 'code', value: content.slice(0, -1) });
  });

  it('does not flag a long HTML block (its text is not inline-parsed)', async () => {
    const doc = `Intro.\n\n<table>\n${'<tr><td>[x] \\ <</td></tr>\n'.repeat(MAX_BLOCK_SYNTAX)}</table>\n\nOutro.\n`;
    expect(findKeptBlocks(doc)).toBeUndefined();
    const { root, warnings } = await tree(doc);
    expect(warnings).toEqual([]);
    expect(root.children.map((c) => c.type)).toEqual(['paragraph', 'html', 'paragraph']);
  });

  it('still guards a paragraph after a fence that a blockquote closed', async () => {
    const hostile = '['.repeat(MAX_BLOCK_SYNTAX + 1);
    const kept = findKeptBlocks(`> \`\`\`\n> code\n${hostile}\n`);
    expect(kept && 'kept' in kept && [...kept.kept.values()]).toEqual([hostile]);
  });
});

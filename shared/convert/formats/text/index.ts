/** Plain text, Markdown and JSON: decoded with the shared charset rules; Markdown is parsed into the tree. */
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import type { Converter } from '../../types.ts';
import { decodeText } from '../../text-decode.ts';
import { code, paragraph, root, text } from '../../mdast.ts';

export const textConverter: Converter = {
  name: 'text',
  accepts: (input) => input.format === 'text' || input.format === 'markdown' || input.format === 'json',
  async convert({ bytes, detected }, ctx) {
    const decoded = decodeText(bytes);
    if (decoded.guessed) ctx.warn({ code: 'encoding_guessed', message: `text decoded as ${decoded.encoding}` });
    const source = decoded.text.replace(/\r\n?/g, '\n');
    if (detected.format === 'json') {
      let pretty = source.trim();
      try { pretty = JSON.stringify(JSON.parse(source), null, 2); } catch { /* keep as is */ }
      return { root: root([code(pretty, 'json')]) };
    }
    if (detected.format === 'markdown') {
      const tree = fromMarkdown(source, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
      return { root: tree };
    }
    // Plain text: paragraphs split on blank lines, line breaks inside a paragraph kept as breaks.
    const blocks = source.split(/\n\s*\n/).map((b) => b.replace(/^\n+|\s+$/g, '')).filter(Boolean);
    return {
      root: root(blocks.map((b) => {
        const lines = b.split('\n');
        return paragraph(lines.flatMap((l, i) => (i ? [{ type: 'break' as const }, text(l)] : [text(l)])));
      })),
    };
  },
};

/** html: decode → parse (parse5) → main content → mdast. */
import type { Converter } from '../../types.ts';
import { tooLarge } from '../../errors.ts';
import { decodeHtml } from './decode.ts';
import { decodingWarnings } from '../../text-decode.ts';
import { htmlToTree } from './to-tree.ts';

export { htmlToTree } from './to-tree.ts';
export type { HtmlTree, HtmlTreeOptions } from './to-tree.ts';

/** Pages past this size are refused: parsing is linear, but the tree and its Markdown are not free. */
export const MAX_HTML_BYTES = 20 * 1024 * 1024;

export const htmlConverter: Converter = {
  name: 'html',
  accepts: (input) => input.format === 'html',
  async convert({ bytes }, ctx) {
    if (bytes.length > MAX_HTML_BYTES) throw tooLarge(`HTML is ${bytes.length} bytes (limit ${MAX_HTML_BYTES})`);
    const decoded = decodeHtml(bytes, { charset: ctx.options.charset });
    for (const w of decodingWarnings(decoded, 'HTML without a declared charset')) ctx.warn(w);
    const tree = htmlToTree(decoded.text, {}, (w) => ctx.warn(w));
    return { root: tree.root, ...(tree.title ? { title: tree.title } : {}) };
  },
};

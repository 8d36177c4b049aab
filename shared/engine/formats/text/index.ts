/**
 * Plain text, Markdown and JSON, decoded with the shared charset rules of `text-decode.ts` (BOM, then the
 * `charset` option, then UTF-8, then detection; `encoding_guessed` names the charset when it was detected).
 * - Markdown is parsed (CommonMark + GFM) into the tree, so it is re-serialized with the same rules as every
 *   other format. YAML front matter is kept as a `yaml` code block (and its `title:` becomes the title) instead
 *   of being misread as a rule and a setext heading.
 * - JSON (and JSON Lines) is re-indented token by token inside a `json` fence: values are never re-parsed, so
 *   big integers and number spellings survive.
 * - Plain text becomes paragraphs split at blank lines, with the line breaks inside a paragraph kept.
 * A text file with nothing but whitespace is refused as `empty` rather than returned as an empty success.
 */
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { math } from 'micromark-extension-math';
import { mathFromMarkdown } from 'mdast-util-math';
import type { ConvertContext, Converter, ConversionWarning, DocumentTree } from '../../types.ts';
import { ConversionError } from '../../errors.ts';
import { decodeText, decodingWarnings } from '../../text-decode.ts';
import { brk, code, paragraph, root, text } from '../../mdast.ts';
import type { PhrasingContent, Root } from '../../mdast.ts';
import { formatJsonWithin } from './json-format.ts';
import { findKeptBlocks, restoreKeptBlocks } from './markdown-budget.ts';

export const textConverter: Converter = {
  name: 'text',
  accepts: (input) => input.format === 'text' || input.format === 'markdown' || input.format === 'json',
  async convert({ bytes, detected }, ctx): Promise<DocumentTree> {
    const decoded = decodeText(bytes, { charset: ctx.options.charset });
    for (const w of decodingWarnings(decoded, 'text')) ctx.warn(w);
    const source = decoded.text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n');
    if (source.trim() === '') throw new ConversionError('empty', 'the text file holds only whitespace');
    if (detected.format === 'json') return jsonTree(source, ctx.warn);
    if (detected.format === 'markdown') return markdownTree(source, ctx);
    return { root: plainTextTree(source) };
  },
};

/** Re-indented JSON may grow by this factor (past 1 MB); deeper nesting is kept as written. */
const MAX_JSON_GROWTH = 8;

function jsonTree(source: string, warn: (w: ConversionWarning) => void): DocumentTree {
  const formatted = formatJsonWithin(source, Math.max(MAX_JSON_GROWTH * source.length, 1 << 20));
  if (formatted === undefined) {
    warn({
      code: 'unsupported_content',
      message: `the JSON is nested too deeply to re-indent within ${MAX_JSON_GROWTH} times its size; it is kept as written`,
    });
  }
  return { root: root([code(formatted ?? source.trim(), 'json')]) };
}

function markdownTree(source: string, ctx: Pick<ConvertContext, 'warn'>): DocumentTree {
  const front = /^---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(source);
  const body = front ? source.slice(front[0].length) : source;
  // Blocks whose inline syntax micromark would take seconds to parse are kept as text (see markdown-budget.ts).
  const guard = findKeptBlocks(body);
  if (guard && 'wholeDocument' in guard) {
    ctx.warn({
      code: 'unsupported_content',
      message: `Markdown too dense in inline syntax to parse in time: the whole document (${body.length} characters) is kept as plain text`,
    });
    return { root: plainTextTree(source) };
  }
  const tree = fromMarkdown(guard ? guard.source : body, {
    extensions: [gfm(), math()],
    mdastExtensions: [gfmFromMarkdown(), mathFromMarkdown()],
  });
  stripPositions(tree);
  if (guard) {
    restoreKeptBlocks(tree, guard.kept);
    ctx.warn({
      code: 'unsupported_content',
      message: `Markdown too long or dense in inline syntax to parse in time: ${guard.kept.size} block(s), ${guard.keptChars} characters, kept as plain text`,
    });
  }
  if (!front) return { root: tree };
  tree.children.unshift(code(front[1], 'yaml'));
  const title = /^title:(.+)$/m
    .exec(front[1])?.[1]
    .trim()
    .replace(/^(["'])(.*)\1$/, '$2');
  return { root: tree, ...(title ? { title } : {}) };
}

/** Source positions are parser bookkeeping; the tree should look like every other converter's. */
function stripPositions(node: { position?: unknown; children?: unknown[] }): void {
  delete node.position;
  if (Array.isArray(node.children)) for (const child of node.children) stripPositions(child as typeof node);
}

function plainTextTree(source: string): Root {
  const blocks = source
    .split(/\n[ \t]*\n/)
    // trimEnd, not `/\s+$/`: that regex retries at every space of a long run (quadratic in the run).
    .map((b) => b.replace(/^\n+/, '').trimEnd())
    .filter((b) => b.trim() !== '');
  return root(
    blocks.map((b) => {
      const children: PhrasingContent[] = [];
      b.split('\n').forEach((line, i) => {
        if (i) children.push(brk());
        children.push(text(line));
      });
      return paragraph(children);
    }),
  );
}

/**
 * A linear-time guard against Markdown whose inline parsing would take micromark tens of seconds: blocks found
 * too long or too dense in inline syntax are kept verbatim as plain text instead of being parsed.
 *
 * Measured with `fromMarkdown` (CommonMark + GFM + math, Node 24, 2 shared cores, so absolute figures are loose):
 * - Per character, in one paragraph of 16 / 64 KB: `[` 55 / 38 µs, `]` 163 / 972 µs (quadratic: a 64 KB
 *   paragraph of `]` took 64 s, 80-column lines of `]` 92 s), `\` 15 / 18 µs, `<` 11 / 9 µs, `&` 10 / 4 µs,
 *   `!` 2 µs; letters, `*`, `_`, `` ` ``, `$`, `~`, `|` alone 0.1 to 1 µs.
 * - Split into paragraphs, the cost is linear in the number of paragraphs but stays high per character for the
 *   costly classes: 64 KB as 1 KB / 4 KB paragraphs of `[` 40 / 27 µs, `\` 29 / 28 µs, `<` 10 / 5 µs, `]`
 *   12 / 35 µs (still growing with the paragraph). So a length cap alone does not bound the time: a count of
 *   inline-syntax characters over the whole document does.
 * - Mixed prose (links, emphasis, code spans, escapes, HTML) in one paragraph: 4 KB 61 µs, 64 KB 41 µs, 256 KB
 *   262 µs a character (68 s: super-linear); the same text as 700-character paragraphs 12 µs. A GFM table
 *   with a link, emphasis and a code span per row: 55 to 90 µs a character (256 KB: 14 s). Plain words in one
 *   paragraph: 0.6 to 1 µs; a fenced code block of `[`: 0.9 µs (its content is not inline-parsed).
 * The corpus's Markdown files (102) have at most 11 KB and 328 such characters in one block.
 *
 * Rule: a block (a run of non-blank lines outside fenced code, and not an HTML block of CommonMark type 6, whose
 * text is not inline-parsed: `<div>` and 1 MB of `[` parse in 0.8 s) is kept as text when it is longer than
 * `MAX_BLOCK_CHARS` or holds more than `MAX_BLOCK_SYNTAX` inline-syntax characters; then, if the blocks still
 * to be parsed hold more than `MAX_DOCUMENT_SYNTAX` such characters in all, the densest of them are kept as text
 * too until the rest fits. That bounds what micromark sees to roughly 64 K costly characters (about 2 to 3 s
 * here) plus linear plain text.
 *
 * With the guard, a whole `convert` of 2 MB in one paragraph took 0.5 to 0.9 s for each of `[`, `]`, `\`, `<` and a
 * mix (before: `[` 68 s, `\` 44 s, `<` 20 s, `]` far longer), and 2 MB of `[` as 1 KB paragraphs 4.5 s (the
 * ~64 paragraphs left to parse under the document budget take most of it).
 *
 * A kept block is replaced in the source by a placeholder line (the first line's indentation, then a private-use
 * character, a number and that character again), the document is parsed as usual (so link definitions, lists and
 * other blocks around it keep their meaning), and the placeholder's paragraph gets the block's text back, line by line with hard
 * breaks between (as the plain-text converter writes lines); the serializer escapes it so the Markdown shows the
 * same characters (white space runs folded to one space, as for every text node). Container markers (`>`, list markers) on the block's own lines are kept as literal text.
 *
 * Known gaps: a fence opened inside a container is closed by the first line that leaves the container (by
 * indentation or a missing `>`); an HTML block (a block starting with `<`) is assumed to run to the next blank
 * line, so fences inside it are not recognized; a tight list or a table is one block, and is kept as text whole; an indented code block is counted like a
 * paragraph (kept as text when past the limits, though micromark would read it quickly); a large document of
 * ordinary dense prose (5 MB of paragraphs with links and emphasis: 7.4 s, most blocks kept as text) is bounded
 * in time, not preserved in structure.
 */

/** Characters in one block past which it is kept as text (super-linear parsing inside one block). */
export const MAX_BLOCK_CHARS = 65_536;
/** Inline-syntax characters in one block past which it is kept as text (`]` is quadratic in a block). */
export const MAX_BLOCK_SYNTAX = 4_096;
/** Inline-syntax characters in all parsed blocks together (each costs 5 to 40 µs to parse). */
export const MAX_DOCUMENT_SYNTAX = 65_536;

/** Whether a UTF-16 code unit is inline syntax that makes micromark slow: `[ ] \ < & ! * _ \` |`. */
const isInlineSyntax = (c: number): boolean =>
  c === 0x5b ||
  c === 0x5d ||
  c === 0x5c ||
  c === 0x3c ||
  c === 0x26 ||
  c === 0x21 ||
  c === 0x2a ||
  c === 0x5f ||
  c === 0x60 ||
  c === 0x7c;

export interface KeptBlocks {
  /** The source with each kept block replaced by its placeholder line. */
  source: string;
  /** Placeholder text (as it will appear as a paragraph's text) → the block's original text. */
  kept: Map<string, string>;
  /** Characters kept as text, in all. */
  keptChars: number;
}

interface Block {
  /** Index of the first and one past the last line. */
  from: number;
  to: number;
  chars: number;
  syntax: number;
  /** Whether the block is an HTML block (its text is not inline-parsed: micromark reads it at ~1 µs a character). */
  html: boolean;
}

/**
 * The start of a CommonMark HTML block of type 6 (a block-level tag name), which runs to the next blank line, so
 * a block starting with it is HTML to its end (CommonMark 0.31, section 4.6).
 */
const HTML_BLOCK_6 =
  /^ {0,3}<\/?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?:[\t >]|\/>|$)/i;

const FENCE = /^((?:[ \t]*(?:>|[-*+]|\d{1,9}[.)])(?=[ \t]|$))*)( {0,3})(`{3,}(?!`)|~{3,}(?!~))(.*)$/;

/**
 * Finds the blocks of Markdown `source` (line endings already `\n`) to keep as text; time linear in its length.
 * Returns `undefined` when nothing needs keeping (the common case) or when no private-use character is free for
 * the placeholders (then `wholeDocument` is set: the caller keeps the whole document as text).
 */
export function findKeptBlocks(source: string): KeptBlocks | { wholeDocument: true } | undefined {
  const lines = source.split('\n');
  const blocks: Block[] = [];
  let open: Block | undefined;
  let fence: { char: string; length: number; quoted: boolean; indent: number } | undefined;
  const close = () => {
    if (open) blocks.push(open);
    open = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (fence) {
      const leftContainer =
        (fence.quoted && !/^ {0,3}>/.test(line)) ||
        (fence.indent > 0 && line.trim() !== '' && !line.startsWith(' '.repeat(fence.indent)));
      if (!leftContainer) {
        const m = FENCE.exec(line);
        if (m && m[3][0] === fence.char && m[3].length >= fence.length && m[4].trim() === '') fence = undefined;
        continue;
      }
      fence = undefined;
    }
    if (line.trim() === '') {
      close();
      continue;
    }
    const m = !(open && /^ {0,3}</.test(lines[open.from])) ? FENCE.exec(line) : null;
    if (m && !(m[3][0] === '`' && m[4].includes('`'))) {
      close();
      const prefix = m[1];
      fence = {
        char: m[3][0],
        length: m[3].length,
        quoted: prefix.includes('>'),
        indent: prefix.includes('>') ? 0 : prefix.length + (prefix ? m[2].length : 0),
      };
      continue;
    }
    open ??= { from: i, to: i, chars: 0, syntax: 0, html: HTML_BLOCK_6.test(line) };
    open.to = i + 1;
    open.chars += line.length + 1;
    for (let k = 0; k < line.length; k++) if (isInlineSyntax(line.charCodeAt(k))) open.syntax++;
  }
  close();

  const keep = new Set<Block>();
  let parsedSyntax = 0;
  for (const b of blocks) {
    if (b.html) continue;
    if (b.chars > MAX_BLOCK_CHARS || b.syntax > MAX_BLOCK_SYNTAX) keep.add(b);
    else parsedSyntax += b.syntax;
  }
  if (parsedSyntax > MAX_DOCUMENT_SYNTAX) {
    const densest = blocks
      .filter((b) => !b.html && !keep.has(b))
      .sort((a, b) => b.syntax / b.chars - a.syntax / a.chars);
    for (const b of densest) {
      if (parsedSyntax <= MAX_DOCUMENT_SYNTAX) break;
      keep.add(b);
      parsedSyntax -= b.syntax;
    }
  }
  if (keep.size === 0) return undefined;

  const mark = unusedPrivateUse(source);
  if (mark === undefined) return { wholeDocument: true };
  const kept = new Map<string, string>();
  let keptChars = 0;
  const out: string[] = [];
  let next = 0;
  for (const b of blocks) {
    if (!keep.has(b)) continue;
    for (let i = next; i < b.from; i++) out.push(lines[i]);
    const first = lines[b.from];
    const indent = /^[ \t]*/.exec(first)![0];
    const token = `${mark}${kept.size}${mark}`;
    const text = [first.slice(indent.length), ...lines.slice(b.from + 1, b.to)].join('\n');
    kept.set(token, text);
    keptChars += b.chars;
    out.push(indent + token);
    next = b.to;
  }
  for (let i = next; i < lines.length; i++) out.push(lines[i]);
  return { source: out.join('\n'), kept, keptChars };
}

interface AnyNode {
  type: string;
  value?: unknown;
  children?: AnyNode[];
}

/**
 * Puts the kept blocks' text back into `tree` (parsed from `KeptBlocks.source`): a paragraph holding only a
 * placeholder gets the block's lines as text nodes with hard breaks between; a placeholder anywhere else in a node's value (e.g. an
 * indented code block) is replaced by the text in place. Mutates `tree`.
 */
export function restoreKeptBlocks(tree: AnyNode, kept: Map<string, string>, mark: string = firstMark(kept)): void {
  for (const child of tree.children ?? []) {
    const only = child.children?.length === 1 ? child.children[0] : undefined;
    if (child.type === 'paragraph' && only?.type === 'text' && typeof only.value === 'string') {
      const text = kept.get(only.value.trim());
      if (text !== undefined) {
        // Line by line with hard breaks, as plain text is: the serializer folds white space inside a text node
        // (line endings included) into one space, and a kept table or log should still read line by line.
        child.children = text
          .split('\n')
          .flatMap((line, i) => [...(i ? [{ type: 'break' }] : []), { type: 'text', value: line }]);
        continue;
      }
    }
    if (typeof child.value === 'string' && child.value.includes(mark)) {
      child.value = child.value.replace(new RegExp(`${mark}\\d+${mark}`, 'g'), (t) => kept.get(t) ?? t);
    }
    restoreKeptBlocks(child, kept, mark);
  }
}

const firstMark = (kept: Map<string, string>): string => kept.keys().next().value?.[0] ?? '\ue000';

/** A character of the Private Use Area (U+E000–U+F8FF) that `value` does not hold, if any. */
function unusedPrivateUse(value: string): string | undefined {
  const used = new Set<number>();
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xe000 && c <= 0xf8ff) used.add(c);
  }
  for (let c = 0xe000; c <= 0xf8ff; c++) if (!used.has(c)) return String.fromCharCode(c);
  return undefined;
}

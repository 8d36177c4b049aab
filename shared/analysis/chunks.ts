/**
 * Heading-aware chunks of the Markdown for retrieval (RAG). A chunk is a contiguous range [start, end) of the
 * Markdown, so `markdown.slice(start, end)` is its text and its offsets are the ones citations use.
 *
 * Rules:
 * - every heading starts a new chunk (a chunk never spans two sections), and a heading is never left alone
 *   at the end of a chunk: it travels with what follows it;
 * - the units packed into a chunk are whole blocks: a paragraph, a top-level list item with everything nested
 *   in it, a table row, a code block. A list item or a table row is never split; a paragraph longer than the
 *   target is cut between sentences;
 * - units are added while the chunk stays within `targetTokens` (estimated as in `tokens.ts`); so a chunk
 *   exceeds the target only when a single list item, table row or sentence does.
 */
import {
  parseDocument,
  PAGE_MARKER,
  type AnalysisDocument,
  type Block,
  type ParsedDocument,
  type Section,
} from './document.ts';
import { DEFAULT_CHUNK_TOKENS } from './chunk-bounds.ts';
import { sentenceSpans } from './sentences.ts';
import { estimateTokens } from './tokens.ts';

export { CHUNK_TOKEN_BOUNDS, DEFAULT_CHUNK_TOKENS } from './chunk-bounds.ts';

export interface Chunk {
  /** 0-based position of the chunk in the document. */
  index: number;
  /** Offsets into the Markdown, [start, end), UTF-16 code units. */
  start: number;
  end: number;
  /** `markdown.slice(start, end)`. */
  text: string;
  /** The headings above the chunk, outermost first. */
  headingPath: string[];
  section?: Section;
  /** Pages the chunk touches, ascending; empty for documents without pages. */
  pages: number[];
  /** Estimated tokens of `text` (4 characters a token). */
  tokens: number;
}

export interface ChunkOptions {
  /** Target size in estimated tokens. Default 512. */
  targetTokens?: number;
}

interface Unit {
  start: number;
  end: number;
  block: Block;
}

/**
 * Chunks of `doc` (or of an already parsed document).
 * @throws RangeError when `targetTokens` is not a positive number.
 */
export function chunkDocument(doc: AnalysisDocument | ParsedDocument, options: ChunkOptions = {}): Chunk[] {
  const target = options.targetTokens ?? DEFAULT_CHUNK_TOKENS;
  if (!(target > 0)) throw new RangeError(`targetTokens must be positive, got ${target}`);
  const parsed = 'blocks' in doc ? doc : parseDocument(doc);
  const { markdown } = parsed;
  const size = (start: number, end: number) => estimateTokens(markdown.slice(start, end));

  const chunks: Chunk[] = [];
  let current: { start: number; end: number; first: Block; onlyHeadings: boolean } | undefined;
  const flush = () => {
    if (!current) return;
    const { start, end, first } = current;
    chunks.push({
      index: chunks.length,
      start,
      end,
      text: markdown.slice(start, end),
      headingPath: first.headingPath,
      ...(first.section ? { section: first.section } : {}),
      pages: parsed.pages.pagesIn(start, end),
      tokens: size(start, end),
    });
    current = undefined;
  };

  for (const unit of units(parsed)) {
    const isHeading = unit.block.kind === 'heading';
    if (isHeading) {
      flush();
      current = { start: unit.start, end: unit.end, first: unit.block, onlyHeadings: true };
      continue;
    }
    const longParagraph = unit.block.kind === 'paragraph' && size(unit.start, unit.end) > target;
    if (current) {
      if (size(current.start, unit.end) <= target || (current.onlyHeadings && !longParagraph)) {
        current.end = unit.end;
        current.onlyHeadings = false;
        continue;
      }
      if (!current.onlyHeadings) flush();
    }
    if (longParagraph) {
      // Whole sentences, as many as fit; the first group joins a pending heading.
      for (const s of sentenceSpans(markdown, unit)) {
        if (current && (current.onlyHeadings || size(current.start, s.end) <= target)) {
          current.end = s.end;
          current.onlyHeadings = false;
        } else {
          flush();
          current = { start: s.start, end: s.end, first: unit.block, onlyHeadings: false };
        }
      }
      continue;
    }
    current = { start: unit.start, end: unit.end, first: unit.block, onlyHeadings: false };
  }
  flush();
  return chunks;
}

/** The packing units: top-level blocks, with nested list items inside their top-level item. */
function units(parsed: ParsedDocument): Unit[] {
  const out: Unit[] = [];
  for (const block of parsed.blocks) {
    if (block.kind === 'listItem' && (block.listDepth ?? 0) > 0) continue;
    if (block.kind === 'html' && PAGE_MARKER.test(parsed.markdown.slice(block.start, block.end).trim())) continue;
    out.push({ start: block.start, end: block.end, block });
  }
  return out;
}

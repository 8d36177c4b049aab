/**
 * DrawingML text (`a:txBody`) → mdast: runs with bold, italic and hyperlinks; paragraphs with their outline
 * level and bullet kind; then real nested lists built from those levels.
 */
import type { Code } from 'mdast';
import type { BlockContent, List, ListItem, PhrasingContent } from '../../mdast.ts';
import {
  brk,
  code,
  del,
  emphasis,
  inlineCode,
  inlineMath,
  link,
  list,
  listItem,
  math,
  paragraph,
  strong,
  text,
} from '../../mdast.ts';
import { attr, child, childrenNamed, elements, localName, textOf, type XmlElement } from '../../xml.ts';
import type { Relationship } from './package.ts';
import { levelProps } from './inherit.ts';
import { wrapHtmlMark } from '../ooxml/marks.ts';
import { ommlToLatex } from '../ooxml/omml.ts';
import { splitEdgeWhitespace } from '../../whitespace.ts';
import { isMonospaceFont } from '../ooxml/fonts.ts';

export type BulletKind = 'none' | 'bullet' | 'number';

export interface TextParagraph {
  /** 0-based outline level (`lvl`). */
  level: number;
  bullet: BulletKind;
  /** `startAt` of an automatic numbering. */
  start?: number;
  content: PhrasingContent[];
  /** Plain text, for emptiness checks and headings. */
  plain: string;
  /** Every visible character is in a monospace font: a line of code. */
  code: boolean;
  /** The paragraph is one display equation and nothing else. */
  displayMath?: string;
}

interface Segment {
  value: string;
  bold: boolean;
  italic: boolean;
  strike?: boolean;
  underline?: boolean;
  /** `baseline` above / below zero. */
  superscript?: boolean;
  subscript?: boolean;
  code?: boolean;
  href?: string;
  isBreak?: boolean;
  /** An equation (`a14:m`), as LaTeX; `display` when it is an `m:oMathPara`. */
  math?: string;
  display?: boolean;
}

/** Fonts that mean "this is code" when a run is set in them. */

/** Symbol fonts (Wingdings, Symbol) put their glyphs in the private-use area: meaningless as text. */
const PRIVATE_USE = /[\ue000-\uf8ff]/g;

export interface TextOptions {
  /** Style containers (`a:lstStyle`, `p:bodyStyle`, …) nearest first. */
  chain: XmlElement[];
  rels: Map<string, Relationship>;
  /** Whether bullets may apply at all (false for titles and table cells). */
  bullets: boolean;
}

export function readParagraphs(txBody: XmlElement | undefined, options: TextOptions): TextParagraph[] {
  if (!txBody) return [];
  const out: TextParagraph[] = [];
  for (const p of childrenNamed(txBody, 'a:p')) {
    const pPr = child(p, 'a:pPr');
    const level = clampLevel(Number(attr(pPr, 'lvl') ?? 0));
    const segments = readSegments(p, options.rels);
    const content = toPhrasing(segments);
    const plain = segments.map((s) => (s.isBreak ? '\n' : (s.math ?? s.value))).join('');
    let bullet: BulletKind = 'none';
    let start: number | undefined;
    if (options.bullets) {
      const decided = bulletOf([pPr, ...levelProps(options.chain, level)]);
      bullet = decided.kind;
      start = decided.start;
    }
    const visible = segments.filter((seg) => !seg.isBreak && seg.value.trim());
    const isCode = visible.length > 0 && visible.every((seg) => seg.code);
    const maths = segments.filter((seg) => seg.math);
    const displayMath =
      maths.length === 1 && maths[0].display && segments.every((seg) => seg.math || !seg.value.trim())
        ? maths[0].math
        : undefined;
    out.push({ level, bullet, start, content, plain, code: isCode, ...(displayMath ? { displayMath } : {}) });
  }
  return out;
}

function clampLevel(level: number): number {
  return Number.isFinite(level) ? Math.min(8, Math.max(0, Math.trunc(level))) : 0;
}

/** The first paragraph properties along the chain that say anything about bullets decide. */
function bulletOf(props: (XmlElement | undefined)[]): { kind: BulletKind; start?: number } {
  for (const pPr of props) {
    if (!pPr) continue;
    for (const e of elements(pPr)) {
      switch (localName(e.name)) {
        case 'buNone':
          return { kind: 'none' };
        case 'buChar':
        case 'buBlip':
          return { kind: 'bullet' };
        case 'buAutoNum': {
          const start = Number(attr(e, 'startAt'));
          return { kind: 'number', start: Number.isInteger(start) && start > 0 ? start : undefined };
        }
        default:
          break;
      }
    }
  }
  return { kind: 'none' };
}

function readSegments(p: XmlElement, rels: Map<string, Relationship>): Segment[] {
  const segments: Segment[] = [];
  for (const node of elements(p)) {
    const name = localName(node.name);
    if (name === 'br') {
      segments.push({ value: '', bold: false, italic: false, isBreak: true });
      continue;
    }
    if (name === 'm') {
      // PowerPoint 2010+ equations: `a14:m` holds OMML (the shape's mc:Fallback holds a picture of it).
      for (const eq of elements(node)) {
        const kind = localName(eq.name);
        if (kind !== 'oMath' && kind !== 'oMathPara') continue;
        const latex = ommlToLatex(eq);
        if (latex) segments.push({ value: '', bold: false, italic: false, math: latex, display: kind === 'oMathPara' });
      }
      continue;
    }
    if (name !== 'r' && name !== 'fld') continue;
    const rPr = child(node, 'a:rPr');
    const raw = textOf(child(node, 'a:t')).replace(PRIVATE_USE, ' ');
    if (!raw) continue;
    const strike = attr(rPr, 'strike');
    const underline = attr(rPr, 'u');
    // `baseline` is a percentage of the font size in thousandths (ST_Percentage): +30000 raises, −25000 lowers.
    const baseline = Number(attr(rPr, 'baseline') ?? 0) || 0;
    const style = {
      bold: isOn(attr(rPr, 'b')),
      italic: isOn(attr(rPr, 'i')),
      strike: strike !== undefined && strike !== 'noStrike',
      underline: underline !== undefined && underline !== 'none',
      superscript: baseline > 0,
      subscript: baseline < 0,
      code: isMonospaceFont(attr(child(rPr, 'a:latin'), 'typeface')),
      href: hrefOf(child(rPr, 'a:hlinkClick'), rels),
    };
    // A vertical tab is how PowerPoint stores a soft line break inside a run.
    raw.split('\u000b').forEach((piece, i) => {
      if (i > 0) segments.push({ value: '', bold: false, italic: false, isBreak: true });
      if (piece) segments.push({ value: piece, ...style });
    });
  }
  return segments;
}

const isOn = (v: string | undefined) => v === '1' || v === 'true';

function hrefOf(click: XmlElement | undefined, rels: Map<string, Relationship>): string | undefined {
  if (!click) return undefined;
  const rel = rels.get(attr(click, 'r:id') ?? '');
  // Jumps to other slides or actions have no address worth keeping; only external targets become links.
  return rel?.external && rel.type === 'hyperlink' ? rel.target : undefined;
}

/** Adjacent runs with the same formatting become one node; spaces stay outside emphasis markers. */
function toPhrasing(segments: Segment[]): PhrasingContent[] {
  const merged: Segment[] = [];
  for (const s of segments) {
    const prev = merged[merged.length - 1];
    const blank = !s.value.trim();
    if (
      prev &&
      !prev.isBreak &&
      !s.isBreak &&
      !prev.math &&
      !s.math &&
      prev.href === s.href &&
      prev.code === s.code &&
      (prev.bold === s.bold || blank) &&
      (prev.italic === s.italic || blank) &&
      (prev.strike === s.strike || blank) &&
      (prev.underline === s.underline || blank) &&
      prev.superscript === s.superscript &&
      prev.subscript === s.subscript
    ) {
      prev.value += s.value;
    } else {
      merged.push({ ...s });
    }
  }
  const out: PhrasingContent[] = [];
  for (const s of merged) {
    if (s.math) {
      out.push(inlineMath(s.math));
      continue;
    }
    if (s.isBreak) {
      out.push(brk());
      continue;
    }
    const styled = styledText(s);
    if (s.href) {
      const last = out[out.length - 1];
      if (last?.type === 'link' && last.url === s.href) last.children.push(...styled);
      else out.push(link(s.href, styled));
    } else {
      out.push(...styled);
    }
  }
  return out;
}

/**
 * One run's text with its formatting, innermost first: code, strike, italic, bold, then the HTML marks
 * (super/subscript, underline; conventions in `../ooxml/marks.ts`). Links are underlined by the theme, so
 * underline is not repeated on them.
 */
function styledText(s: Segment): PhrasingContent[] {
  const underline = s.underline && !s.href;
  const marked = underline || s.superscript || s.subscript;
  if (s.code && s.value.trim() && !marked) return [inlineCode(s.value)];
  const [lead, core, trail] = splitEdgeWhitespace(s.value);
  if (!core) return [text(s.value)];
  let nodes: PhrasingContent[];
  if (s.code) nodes = [inlineCode(core)];
  else {
    if (!s.bold && !s.italic && !s.strike && !marked) return [text(s.value)];
    let node: PhrasingContent = text(core);
    if (s.strike) node = del([node]);
    if (s.italic) node = emphasis([node]);
    if (s.bold) node = strong([node]);
    nodes = [node];
  }
  if (s.superscript) nodes = wrapHtmlMark('superscript', nodes);
  else if (s.subscript) nodes = wrapHtmlMark('subscript', nodes);
  if (underline) nodes = wrapHtmlMark('underline', nodes);
  return [...(lead ? [text(lead)] : []), ...nodes, ...(trail ? [text(trail)] : [])];
}

interface OpenList {
  level: number;
  ordered: boolean;
  node: List;
  lastItem: ListItem;
}

/**
 * Paragraphs → blocks. Bulleted paragraphs become list items nested by level; an unbulleted paragraph indented
 * under an open item continues that item (how a continuation paragraph is written in a slide); anything else
 * closes the lists.
 */
export function paragraphsToBlocks(paragraphs: TextParagraph[]): BlockContent[] {
  const blocks: BlockContent[] = [];
  const stack: OpenList[] = [];
  let codeBlock: Code | undefined;
  let blankLines = 0;
  for (const para of paragraphs) {
    if (para.code && para.bullet === 'none') {
      // Consecutive monospace paragraphs are one code block; blank lines between them stay in it.
      const line = para.plain.trimEnd(); // not /\s+$/: quadratic on a long inner run of spaces
      if (codeBlock) codeBlock.value += '\n'.repeat(blankLines + 1) + line;
      else {
        codeBlock = code(line);
        stack.length = 0;
        blocks.push(codeBlock);
      }
      blankLines = 0;
      continue;
    }
    if (!para.plain.trim()) {
      if (codeBlock) blankLines++;
      continue;
    }
    codeBlock = undefined;
    blankLines = 0;
    const body = paragraph(para.content);
    if (para.bullet === 'none') {
      // An equation alone in its paragraph is display math.
      const block: BlockContent = para.displayMath ? math(para.displayMath) : body;
      while (stack.length && stack[stack.length - 1].level >= para.level) stack.pop();
      const top = stack[stack.length - 1];
      if (top && para.level > 0) top.lastItem.children.push(block);
      else {
        stack.length = 0;
        blocks.push(block);
      }
      continue;
    }
    const ordered = para.bullet === 'number';
    while (stack.length && stack[stack.length - 1].level > para.level) stack.pop();
    let top = stack[stack.length - 1];
    if (top && top.level === para.level && top.ordered !== ordered) {
      stack.pop();
      top = stack[stack.length - 1];
    }
    const item = listItem([body]);
    if (top && top.level === para.level) {
      top.node.children.push(item);
      top.lastItem = item;
      continue;
    }
    const node = list(ordered, [item], ordered ? (para.start ?? 1) : undefined);
    if (top) top.lastItem.children.push(node);
    else blocks.push(node);
    stack.push({ level: para.level, ordered, node, lastItem: item });
  }
  return blocks;
}

/** Plain text of paragraphs, one line each (titles, table cells, chart titles). */
export function paragraphsText(paragraphs: TextParagraph[], separator = ' '): string {
  return paragraphs
    .map((p) => p.plain.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join(separator);
}

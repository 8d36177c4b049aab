/**
 * Block content of a body, table cell, text box or note: paragraphs are classified (heading, list item,
 * code, quote, plain), then consecutive list items are assembled into nested lists and consecutive code
 * paragraphs into one code block.
 */
import type { List, ListItem, PhrasingContent } from 'mdast';
import type { XmlElement } from '../../xml.ts';
import { attr, child, elements, localName, textOf } from '../../xml.ts';
import type { BlockContent } from '../../mdast.ts';
import { blockquote, code, heading, list, listItem, math, paragraph, text, toPlainText } from '../../mdast.ts';
import type { DocxContext } from './context.ts';
import type { Token } from './inline.ts';
import { alternateBranch, append, buildPhrasing, paragraphTokens } from './inline.ts';
import { convertTable } from './table.ts';
import { contentControlCheckbox } from './form-fields.ts';

interface ListInfo {
  key: string;
  level: number;
  ordered: boolean;
  number: number;
  /** A start override begins a new list here even if the previous item shares its definition. */
  restart: boolean;
}

type Item =
  | { kind: 'heading'; depth: number; content: PhrasingContent[]; floats: BlockContent[] }
  | { kind: 'list'; list: ListInfo; content: PhrasingContent[]; floats: BlockContent[] }
  | { kind: 'code'; text: string; floats: BlockContent[] }
  | { kind: 'quote'; content: PhrasingContent[]; floats: BlockContent[] }
  | { kind: 'para'; content: PhrasingContent[]; floats: BlockContent[] }
  | { kind: 'block'; node: BlockContent };

/**
 * Whether monospace text looks like program text rather than prose set in a typewriter face: code punctuation,
 * a line indented by two or more spaces before some text, a comment line (`#`, `//`, `--`), or a line ending in
 * `:` or `;`. Linear in the text's length: the indent test runs on the text without its trailing whitespace (so
 * any line opening with two whitespace characters there has text after them) instead of as `^\s{2,}\S`, and the
 * comment test skips only spaces within a line instead of `^\s*`, which is the same test; both originals
 * retried from every line start of a long run of blank lines (200,000 line breaks took 90 s).
 */
function codeLike(text: string): boolean {
  return /[{}();=<>[\]]|^[^\S\n\r\u2028\u2029]*(?:#|\/\/|--)\s|[:;]\s*$/m.test(text) || /^\s\s/m.test(text.trimEnd());
}

export function convertBlocks(container: XmlElement, dc: DocxContext): BlockContent[] {
  if (dc.depth > 32) return [];
  const items: Item[] = [];
  collect(container, dc, items);
  return assemble(items);
}

function collect(container: XmlElement, dc: DocxContext, items: Item[]): void {
  for (const el of elements(container)) {
    switch (localName(el.name)) {
      case 'p':
        paragraphItems(el, dc, items);
        break;
      case 'tbl':
        for (const node of convertTable(el, dc)) items.push({ kind: 'block', node });
        break;
      case 'sdt':
        if (contentControlCheckbox(el) !== undefined) collectCheckboxControl(el, dc, items);
        else collect(child(el, 'sdtContent') ?? el, dc, items);
        break;
      case 'customXml':
      case 'ins':
      case 'moveTo':
      case 'sdtContent':
      case 'smartTag':
        collect(el, dc, items);
        break;
      case 'AlternateContent':
        collect(alternateBranch(el), dc, items);
        break;
      case 'oMathPara':
      case 'oMath': {
        // Block-level math (rare, but valid inside some containers) is a paragraph of its own.
        paragraphItems({ name: 'w:p', attrs: {}, children: [el], parent: container }, dc, items);
        break;
      }
      default:
        break; // del, moveFrom, sectPr, bookmarks
    }
  }
}

/**
 * A block-level content-control check box (`w:sdt` with `w14:checkbox` wrapping whole paragraphs). Its first
 * paragraph's glyph run is the box, drawn in whatever font the author picked; it is replaced by the state, as for
 * an inline one, by handing the paragraph to the inline walker with that run wrapped in an inline control. A
 * label beside the glyph and any further paragraphs are kept as they are.
 */
function collectCheckboxControl(sdt: XmlElement, dc: DocxContext, items: Item[]): void {
  const content = child(sdt, 'sdtContent') ?? sdt;
  const sdtPr = child(sdt, 'sdtPr');
  const blocks = elements(content);
  const first = blocks.find((e) => localName(e.name) === 'p');
  if (!first || !sdtPr) {
    const glyph = contentControlCheckbox(sdt) ?? '';
    items.push({ kind: 'para', content: [text(glyph)], floats: [] });
    for (const el of blocks) collect({ ...content, children: [el] }, dc, items);
    return;
  }
  for (const el of blocks) {
    if (el === first) paragraphItems(withInlineBox(first, sdtPr), dc, items);
    else collect({ ...content, children: [el] }, dc, items);
  }
}

/** `p` with its glyph run (the first run showing one character or a `w:sym`) inside an inline check box. */
function withInlineBox(p: XmlElement, sdtPr: XmlElement): XmlElement {
  const kids = elements(p);
  const glyph = kids.find((k) => localName(k.name) === 'r' && isGlyphRun(k));
  const box: XmlElement = {
    name: 'w:sdt',
    attrs: {},
    parent: p,
    children: [sdtPr, { name: 'w:sdtContent', attrs: {}, children: glyph ? [glyph] : [] }],
  };
  const rest = kids.filter((k) => k !== glyph && localName(k.name) !== 'pPr');
  const pPr = kids.filter((k) => localName(k.name) === 'pPr');
  return { ...p, children: [...pPr, box, ...rest] };
}

function isGlyphRun(r: XmlElement): boolean {
  const shown = elements(r).filter((e) => ['t', 'sym'].includes(localName(e.name)));
  if (shown.length !== 1) return false;
  if (localName(shown[0].name) === 'sym') return true;
  return [...textOf(shown[0]).trim()].length === 1;
}

function paragraphItems(p: XmlElement, dc: DocxContext, items: Item[]): void {
  const pPr = child(p, 'pPr');
  const styleId = attr(child(pPr, 'pStyle'), 'val');
  const style = dc.styles.paragraph(styleId);
  // A paragraph whose mark was deleted merges with the next one in Word; its text still counts.
  const outline = attr(child(pPr, 'outlineLvl'), 'val');
  let headingLevel = style.headingLevel;
  if (outline !== undefined) {
    const n = Number(outline);
    if (Number.isInteger(n) && n >= 0 && n < 9) headingLevel = n + 1;
    else if (n === 9 && headingLevel !== 0) headingLevel = undefined;
  }
  const { tokens, floats } = paragraphTokens(p, style.run, dc);
  const textTokens = tokens.filter((t) => t.node.type === 'text' && t.node.value.trim());
  const allMonospace = textTokens.length > 0 && textTokens.every((t) => t.format.monospace);

  // Equations alone in a paragraph are display math, one block each.
  const maths = tokens.filter((t) => t.node.type === 'inlineMath');
  if (
    maths.length &&
    textTokens.length === 0 &&
    tokens.every((t) => t.node.type === 'inlineMath' || t.node.type === 'text' || t.node.type === 'break')
  ) {
    for (const t of maths) items.push({ kind: 'block', node: math((t.node as { value: string }).value) });
    for (const f of floats) items.push({ kind: 'block', node: f });
    return;
  }

  if (headingLevel !== undefined) {
    const depth = headingLevel === 0 ? 1 : headingLevel + dc.headingOffset;
    items.push({
      kind: 'heading',
      depth,
      content: buildPhrasing(tokens, { ignoreBold: true, ignoreUnderline: true, ignoreMonospace: allMonospace }),
      floats,
    });
    return;
  }

  const numPr = child(pPr, 'numPr');
  let numbering = style.numbering;
  if (numPr) {
    const numId = attr(child(numPr, 'numId'), 'val');
    const ilvl = attr(child(numPr, 'ilvl'), 'val');
    if (numId !== undefined) numbering = { numId, ilvl: Number(ilvl ?? numbering?.ilvl ?? 0) || 0 };
    else if (ilvl !== undefined && numbering) numbering = { ...numbering, ilvl: Number(ilvl) || 0 };
  }
  if (numbering && numbering.numId !== '0') {
    const level = dc.numbering.level(numbering.numId, numbering.ilvl);
    if (level && level.format !== 'none' && tokens.length > 0) {
      const { value: number, restarted: restart } = dc.numbering.next(numbering.numId, numbering.ilvl);
      items.push({
        kind: 'list',
        list: {
          key: dc.numbering.listKey(numbering.numId),
          level: Math.min(8, Math.max(0, numbering.ilvl)),
          ordered: level.ordered,
          number,
          restart,
        },
        content: buildPhrasing(tokens, { ignoreMonospace: allMonospace }),
        floats,
      });
      return;
    }
  }

  const plain = plainText(tokens);
  if (style.code || (allMonospace && codeLike(plain))) {
    items.push({ kind: 'code', text: plain, floats });
    return;
  }
  const content = buildPhrasing(tokens, { ignoreMonospace: allMonospace });
  items.push({ kind: style.quote ? 'quote' : 'para', content, floats });
}

function plainText(tokens: Token[]): string {
  return tokens
    .map((t) => (t.node.type === 'break' ? '\n' : t.node.type === 'text' ? t.node.value : toPlainText(t.node)))
    .join('');
}

const isEmpty = (content: PhrasingContent[]) => content.every((c) => c.type === 'text' && !c.value.trim());

function assemble(items: Item[]): BlockContent[] {
  const out: BlockContent[] = [];
  let stack: { list: List; level: number; key: string }[] = [];
  let codeLines: string[] | undefined;
  const flushCode = () => {
    if (codeLines) {
      while (codeLines.length && !codeLines[codeLines.length - 1].trim()) codeLines.pop();
      if (codeLines.length) out.push(code(codeLines.join('\n')));
    }
    codeLines = undefined;
  };
  for (const item of items) {
    if (item.kind !== 'code') flushCode();
    if (item.kind !== 'list' && item.kind !== 'block') {
      // An empty paragraph between list items does not end the list.
      if (item.kind === 'para' && isEmpty(item.content) && item.floats.length === 0) continue;
      stack = [];
    }
    switch (item.kind) {
      case 'code':
        if (!codeLines) {
          if (!item.text.trim()) break;
          codeLines = [];
        }
        append(codeLines, item.text.replace(/\t/g, '    ').split('\n'));
        out.push(...item.floats);
        break;
      case 'heading':
        out.push(heading(item.depth, item.content), ...item.floats);
        break;
      case 'quote':
        out.push(blockquote([paragraph(item.content), ...item.floats]));
        break;
      case 'para':
        out.push(paragraph(item.content), ...item.floats);
        break;
      case 'block':
        stack = [];
        out.push(item.node);
        break;
      case 'list': {
        const { level, ordered, key, number, restart } = item.list;
        while (stack.length && stack[stack.length - 1].level > level) stack.pop();
        let top = stack[stack.length - 1];
        if (
          top &&
          top.level === level &&
          (top.list.ordered !== ordered || restart || (stack.length === 1 && top.key !== key))
        ) {
          stack.pop();
          top = stack[stack.length - 1];
        }
        const entry: ListItem = listItem([paragraph(item.content), ...item.floats]);
        if (top && top.level === level) {
          top.list.children.push(entry);
          break;
        }
        const fresh = list(ordered, [entry], ordered ? number : undefined);
        if (top) {
          const parentItem = top.list.children[top.list.children.length - 1];
          parentItem.children.push(fresh);
        } else {
          out.push(fresh);
        }
        stack.push({ list: fresh, level, key });
        break;
      }
    }
  }
  flushCode();
  return out;
}

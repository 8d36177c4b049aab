/**
 * Runs → phrasing content. Each piece of visible text becomes a token carrying its formatting and link;
 * tokens are then wrapped (strong/emphasis/delete/inlineCode) and adjacent wrappers merged, with whitespace
 * moved outside the wrappers so Markdown never gets `** bold **`.
 */
import type { PhrasingContent } from 'mdast';
import type { XmlElement } from '../../xml.ts';
import { attr, child, elements, localName, textOf } from '../../xml.ts';
import type { BlockContent } from '../../mdast.ts';
import { brk, del, emphasis, imagePlaceholder, inlineCode, inlineMath, link, strong, text } from '../../mdast.ts';
import type { RunFormat } from './run-format.ts';
import { mergeFormats, readRunFormat } from './run-format.ts';
import type { DocxContext } from './context.ts';
import { drawingImages, vmlImages } from './images.ts';
import { drawingGraphics, legacyChart } from './graphics.ts';
import { ommlToLatex } from '../ooxml/omml.ts';
import { wrapHtmlMark, type HtmlMark } from '../ooxml/marks.ts';
import { symbolChar } from './symbols.ts';
import { contentControlCheckbox, readFormField, CHECKED, UNCHECKED } from './form-fields.ts';
import { splitEdgeWhitespace } from '../../whitespace.ts';

export interface Token {
  node: PhrasingContent;
  format: RunFormat;
  link?: { url: string };
  /** Display equation (`m:oMathPara`). */
  display?: boolean;
}

export interface InlineResult {
  tokens: Token[];
  /** Block content found inside runs (text boxes), emitted after the paragraph. */
  floats: BlockContent[];
}

interface Walk {
  dc: DocxContext;
  base: RunFormat;
  link?: { url: string };
  out: InlineResult;
}

/** Walk the content of a paragraph (or any run container). */
export function paragraphTokens(p: XmlElement, base: RunFormat, dc: DocxContext): InlineResult {
  const out: InlineResult = { tokens: [], floats: [] };
  walkContainer(p, { dc, base, out });
  return out;
}

function walkContainer(el: XmlElement, w: Walk): void {
  for (const c of elements(el)) walkInline(c, w);
}

function walkInline(el: XmlElement, w: Walk): void {
  switch (localName(el.name)) {
    case 'r':
      walkRun(el, w);
      return;
    case 'hyperlink': {
      const url = hyperlinkTarget(el, w.dc);
      walkContainer(el, url !== undefined ? { ...w, link: { url } } : w);
      return;
    }
    // Tracked changes: accepted by default (insertions are text, deletions are not); with
    // `trackedChanges: 'show'` both stay, marked `<ins>`/`<del>` (conventions in `../ooxml/marks.ts`).
    case 'ins':
    case 'moveTo':
      walkContainer(el, showChanges(w) ? { ...w, base: { ...w.base, inserted: true } } : w);
      return;
    case 'del':
    case 'moveFrom':
      if (showChanges(w)) walkContainer(el, { ...w, base: { ...w.base, deleted: true } });
      return;
    case 'smartTag':
    case 'customXml':
    case 'dir':
    case 'bdo':
    case 'fldSimple':
      if (localName(el.name) === 'fldSimple') {
        walkSimpleField(el, w);
        return;
      }
      walkContainer(el, w);
      return;
    case 'sdt': {
      const box = contentControlCheckbox(el);
      if (box === undefined) walkContainer(child(el, 'sdtContent') ?? el, w);
      else if (!hiddenByField(w)) pushCheckbox(w, box, contentFormat(el, w));
      return;
    }
    case 'sdtContent':
      walkContainer(el, w);
      return;
    case 'oMath':
    case 'oMathPara':
      if (hiddenByField(w)) return;
      pushNode(w, inlineMath(ommlToLatex(el)), localName(el.name) === 'oMathPara');
      return;
    case 'AlternateContent':
      walkContainer(alternateBranch(el), w);
      return;
    default:
      return; // bookmarks, proofing marks, comments anchors, properties
  }
}

const showChanges = (w: Walk) => w.dc.convert.options.trackedChanges === 'show';

/** `mc:AlternateContent` offers the same content several ways: take exactly one branch. */
export function alternateBranch(el: XmlElement): XmlElement {
  return child(el, 'Choice') ?? child(el, 'Fallback') ?? { name: '#empty', attrs: {}, children: [] };
}

function hyperlinkTarget(el: XmlElement, dc: DocxContext): string | undefined {
  const id = attr(el, 'r:id') ?? attr(el, 'id');
  const anchor = attr(el, 'anchor');
  const rel = id ? dc.rels.get(id) : undefined;
  if (rel) return rel.target + (anchor ? `#${anchor}` : '');
  if (anchor) return `#${anchor}`;
  return undefined;
}

/** Fields that are still in their instruction part hide what they contain. */
function hiddenByField(w: Walk): boolean {
  const f = w.dc.fields;
  return f.length > 0 && !f[f.length - 1].inResult;
}

function fieldLink(w: Walk): { url: string } | undefined {
  for (let i = w.dc.fields.length - 1; i >= 0; i--) {
    const fieldLinkTarget = w.dc.fields[i].link;
    if (fieldLinkTarget) return fieldLinkTarget;
  }
  return w.link;
}

/** `HYPERLINK "url"` or `HYPERLINK \l "anchor"`. */
function linkFromInstruction(instruction: string): string | undefined {
  const m = /^HYPERLINK\s(.*)$/is.exec(instruction.trim());
  if (!m) {
    // `PAGEREF bookmark \h` and `REF bookmark \h` are clickable cross-references.
    const ref = /^(?:PAGEREF|REF)\s+([^\s\\"]+)/i.exec(instruction.trim());
    return ref && /\\h/i.test(instruction) ? `#${ref[1]}` : undefined;
  }
  const anchor = /\\l\s+"([^"]*)"/.exec(m[1]);
  const target = /^\s*"([^"]*)"/.exec(m[1]) ?? /^\s*([^\s\\"]+)/.exec(m[1]);
  if (target) return target[1] + (anchor ? `#${anchor[1]}` : '');
  return anchor ? `#${anchor[1]}` : undefined;
}

function walkSimpleField(el: XmlElement, w: Walk): void {
  const url = linkFromInstruction(attr(el, 'instr') ?? '');
  walkContainer(el, url ? { ...w, link: { url } } : w);
}

function pushText(w: Walk, value: string, format: RunFormat): void {
  if (!value || format.hidden) return;
  const open = w.dc.fields[w.dc.fields.length - 1];
  if (open?.inResult && value.trim()) open.shown = true;
  const tokens = w.out.tokens;
  const last = tokens[tokens.length - 1];
  const link = fieldLink(w);
  if (last && last.node.type === 'text' && last.link === link && sameFormat(last.format, format)) {
    last.node.value += value;
    return;
  }
  tokens.push({ node: text(value), format, link });
}

/** Adjacent check boxes are drawn apart in Word; a space keeps `☒ ☐` from reading as one symbol. */
function pushCheckbox(w: Walk, glyph: string, format: RunFormat): void {
  const last = w.out.tokens[w.out.tokens.length - 1];
  const value = last?.node.type === 'text' ? last.node.value : '';
  const after = value.endsWith(CHECKED) || value.endsWith(UNCHECKED);
  pushText(w, (after ? ' ' : '') + glyph, format);
}

/** Formatting of the first run inside a content control: what its replacement text should look like. */
function contentFormat(sdt: XmlElement, w: Walk): RunFormat {
  const content = child(sdt, 'sdtContent');
  const run = content ? findAll(content, 'r')[0] : undefined;
  const rPr = child(run, 'rPr');
  return mergeFormats(w.base, w.dc.styles.run(attr(child(rPr, 'rStyle'), 'val')), readRunFormat(rPr));
}

function pushNode(w: Walk, node: PhrasingContent, display = false): void {
  // Only revision marks apply to what is not text (a picture, a note reference inside a deletion).
  const format: RunFormat = {};
  if (w.base.inserted) format.inserted = true;
  if (w.base.deleted) format.deleted = true;
  w.out.tokens.push({ node, format, link: fieldLink(w), display });
}

const sameFormat = (a: RunFormat, b: RunFormat) => ATTRIBUTES.every((key) => !!a[key] === !!b[key]);

function walkRun(r: XmlElement, w: Walk): void {
  const dc = w.dc;
  const rPr = child(r, 'rPr');
  const format = mergeFormats(w.base, dc.styles.run(attr(child(rPr, 'rStyle'), 'val')), readRunFormat(rPr));
  for (const c of elements(r)) {
    const name = localName(c.name);
    if (name === 'fldChar') {
      fieldChar(c, w, format);
      continue;
    }
    // Deleted text and field code (`w:delText`, `w:delInstrText`) exist only inside shown deletions.
    if (name === 'instrText' || (name === 'delInstrText' && format.deleted)) {
      const f = dc.fields[dc.fields.length - 1];
      if (f && !f.inResult) f.instruction += textOf(c);
      continue;
    }
    if (hiddenByField(w)) continue;
    switch (name) {
      case 't':
        pushText(w, textOf(c), format);
        break;
      case 'delText':
        if (format.deleted) pushText(w, textOf(c), format);
        break;
      case 'tab':
      case 'ptab':
        pushText(w, '\t', format);
        break;
      case 'noBreakHyphen':
        pushText(w, '-', format);
        break;
      case 'sym':
        pushText(w, symbolChar(attr(c, 'font'), attr(c, 'char')), format);
        break;
      case 'cr':
        pushNode(w, brk());
        break;
      case 'br': {
        const type = attr(c, 'type');
        if (type !== 'page' && type !== 'column') pushNode(w, brk());
        break;
      }
      case 'drawing':
        drawing(c, w);
        break;
      case 'pict':
      case 'object':
        vml(c, w);
        break;
      case 'footnoteReference':
      case 'endnoteReference': {
        const ref = dc.notes.reference(name === 'footnoteReference' ? 'footnote' : 'endnote', attr(c, 'id'));
        if (ref) pushNode(w, ref);
        break;
      }
      case 'commentReference': {
        const ref = dc.comments?.reference(attr(c, 'id'));
        if (ref) pushNode(w, ref);
        break;
      }
      case 'AlternateContent': {
        // Inside a run the branches hold drawings; walk the chosen one as if it were the run's content.
        const branch = alternateBranch(c);
        walkRun({ ...r, children: [...(rPr ? [rPr] : []), ...branch.children] }, w);
        break;
      }
      case 'ruby': {
        const base = child(c, 'rubyBase');
        if (base) walkContainer(base, w);
        break;
      }
      default:
        break; // rPr, lastRenderedPageBreak, footnoteRef marks, annotations
    }
  }
}

function fieldChar(c: XmlElement, w: Walk, format: RunFormat): void {
  const fields = w.dc.fields;
  const type = attr(c, 'fldCharType');
  if (type === 'begin') {
    if (fields.length < 64) fields.push({ instruction: '', inResult: false, form: readFormField(c), format });
  } else if (type === 'separate') {
    const f = fields[fields.length - 1];
    if (f) {
      f.inResult = true;
      const url = linkFromInstruction(f.instruction);
      if (url) f.link = { url };
    }
  } else if (type === 'end') {
    const f = fields.pop();
    // A form field whose result shows nothing (a check box always, an empty text input) shows its own value.
    if (f?.form && !f.shown && f.form.value && !hiddenByField(w)) {
      if (f.form.kind === 'checkBox') pushCheckbox(w, f.form.value, f.format ?? format);
      else pushText(w, f.form.value, f.format ?? format);
    }
  }
}

function drawing(el: XmlElement, w: Walk): void {
  for (const img of drawingImages(el, w.dc)) pushNode(w, img);
  if (w.dc.depth <= 8) w.out.floats.push(...drawingGraphics(el, w.dc));
  textBoxes(el, w);
}

function vml(el: XmlElement, w: Walk): void {
  // A legacy chart's picture is a rendering of the data it holds: when the data reads, the data replaces it.
  const chart = localName(el.name) === 'object' && w.dc.depth <= 8 ? legacyChart(el, w.dc) : undefined;
  if (chart && 'blocks' in chart) {
    w.out.floats.push(...chart.blocks);
    return;
  }
  const images = vmlImages(el, w.dc);
  for (const img of images) pushNode(w, img);
  if (chart && !images.length) pushNode(w, imagePlaceholder('Chart'));
  textBoxes(el, w);
}

/** Text boxes hold whole paragraphs: they become blocks after the paragraph that anchors them. */
function textBoxes(el: XmlElement, w: Walk): void {
  if (w.dc.depth > 8) return;
  for (const box of findAll(el, 'txbxContent')) {
    w.out.floats.push(...w.dc.blocks(box, { ...w.dc, depth: w.dc.depth + 1, fields: [] }));
  }
}

/** Descendants by local name, not descending into matches (nor into the unchosen branch of AlternateContent). */
function findAll(el: XmlElement, name: string, out: XmlElement[] = []): XmlElement[] {
  for (const c of elements(el)) {
    const n = localName(c.name);
    if (n === name) out.push(c);
    else if (n === 'AlternateContent') findAll(alternateBranch(c), name, out);
    else findAll(c, name, out);
  }
  return out;
}

export interface PhrasingOptions {
  /** Headings are bold by style; repeating that as `**` is noise. */
  ignoreBold?: boolean;
  /** A paragraph set entirely in a monospace face is a font choice, not inline code. */
  ignoreMonospace?: boolean;
  /** Headings are often underlined by style: decoration, not emphasis. */
  ignoreUnderline?: boolean;
}

type Attribute = HtmlMark | 'strike' | 'bold' | 'italic' | 'monospace';
/** Outermost first. The HTML marks come first so `**`/`*`/`~~` sit inside them (see `../ooxml/marks.ts`). */
const ATTRIBUTES: Attribute[] = [
  'inserted',
  'deleted',
  'underline',
  'superscript',
  'subscript',
  'strike',
  'bold',
  'italic',
  'monospace',
];
const HTML_MARKS = new Set<Attribute>(['inserted', 'deleted', 'underline', 'superscript', 'subscript']);

/**
 * Tokens → phrasing nodes. Formatting nests from the outside in (revision marks, underline, super/subscript,
 * strike, bold, italic, code): at each level
 * the longest spans sharing the attribute are wrapped once, so `bold` + `bold italic` becomes
 * `**bold *bold italic***` rather than two adjacent strong nodes. Whitespace between two formatted tokens
 * joins the span; whitespace at a span's edges moves outside it.
 */
export function buildPhrasing(tokens: Token[], options: PhrasingOptions = {}): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  let i = 0;
  while (i < tokens.length) {
    const l = tokens[i].link;
    let j = i;
    while (j < tokens.length && tokens[j].link === l) j++;
    const nodes = buildLevel(tokens.slice(i, j), 0, options);
    if (l) out.push(link(l.url, nodes));
    else append(out, nodes);
    i = j;
  }
  return mergeText(out);
}

const isBlankText = (t: Token) => t.node.type === 'text' && !t.node.value.trim();

function hasAttribute(t: Token, attribute: Attribute, options: PhrasingOptions): boolean {
  if (!t.format[attribute]) return false;
  // Revision marks also enclose what is not text (a deleted picture, an inserted footnote reference).
  if (t.node.type !== 'text' && attribute !== 'inserted' && attribute !== 'deleted') return false;
  // Links are underlined by the Hyperlink style: that says nothing more than the link does.
  if (attribute === 'underline' && (options.ignoreUnderline || t.link)) return false;
  if (attribute === 'bold' && options.ignoreBold) return false;
  if (attribute === 'monospace' && options.ignoreMonospace) return false;
  return true;
}

/**
 * Adds `items` to the end of `target` one by one: `target.push(...items)` passes each item as an argument, and a
 * paragraph of 200,000 line breaks overflowed the call stack.
 */
export function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

function buildLevel(tokens: Token[], depth: number, options: PhrasingOptions): PhrasingContent[] {
  if (depth === ATTRIBUTES.length) return tokens.map((t) => (t.node.type === 'text' ? text(t.node.value) : t.node));
  const attribute = ATTRIBUTES[depth];
  const on = tokens.map((t) => hasAttribute(t, attribute, options) && !isBlankText(t));
  // Blank text between two tokens that both have the attribute belongs to the span.
  for (let k = 0; k < tokens.length; k++) {
    if (on[k] || !isBlankText(tokens[k])) continue;
    let a = k - 1;
    while (a >= 0 && isBlankText(tokens[a]) && !on[a]) a--;
    let b = k + 1;
    while (b < tokens.length && isBlankText(tokens[b]) && !on[b]) b++;
    if (a >= 0 && b < tokens.length && on[a] && on[b]) on[k] = true;
  }
  const out: PhrasingContent[] = [];
  let k = 0;
  while (k < tokens.length) {
    let m = k;
    while (m < tokens.length && on[m] === on[k]) m++;
    const span = tokens.slice(k, m);
    append(out, on[k] ? wrapSpan(attribute, span, depth, options) : buildLevel(span, depth + 1, options));
    k = m;
  }
  return out;
}

function wrapSpan(attribute: Attribute, span: Token[], depth: number, options: PhrasingOptions): PhrasingContent[] {
  if (attribute === 'monospace') {
    const value = span.map((t) => (t.node as { value: string }).value).join('');
    const [lead, core, trail] = splitEdgeWhitespace(value);
    return [...(lead ? [text(lead)] : []), inlineCode(core), ...(trail ? [text(trail)] : [])];
  }
  const inner = mergeText(buildLevel(span, depth + 1, options));
  const before: PhrasingContent[] = [];
  const after: PhrasingContent[] = [];
  const first = inner[0];
  if (first?.type === 'text') {
    const lead = /^\s*/.exec(first.value)![0];
    if (lead) {
      before.push(text(lead));
      first.value = first.value.slice(lead.length);
    }
  }
  const last = inner[inner.length - 1];
  if (last?.type === 'text') {
    // trimEnd, not /\s*$/: the regex retries from every space of an inner run (a 2 KB DOCX took 18 s).
    const trail = last.value.slice(last.value.trimEnd().length);
    if (trail) {
      after.unshift(text(trail));
      last.value = last.value.slice(0, last.value.length - trail.length);
    }
  }
  if (HTML_MARKS.has(attribute)) return [...before, ...wrapHtmlMark(attribute as HtmlMark, inner), ...after];
  const wrapper = attribute === 'strike' ? del(inner) : attribute === 'bold' ? strong(inner) : emphasis(inner);
  return [...before, wrapper, ...after];
}

function mergeText(nodes: PhrasingContent[]): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  for (const n of nodes) {
    const prev = out[out.length - 1];
    if (n.type === 'text' && prev?.type === 'text') prev.value += n.value;
    else if (n.type !== 'text' || n.value) out.push(n);
  }
  return out;
}

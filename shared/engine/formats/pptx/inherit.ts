/**
 * What a slide shape inherits: a placeholder on a slide takes its position and list styles from the matching
 * placeholder on the slide layout, then on the slide master, then from the master's text styles. This is why a
 * body placeholder is bulleted although the slide XML says nothing about bullets.
 */
import { attr, child, elements, localName, path, type XmlElement } from '../../xml.ts';
import { isFatal, type PptxPackage } from './package.ts';

export interface Placeholder {
  /** Normalised type: `title`, `body`, `subTitle`, `dt`, `ftr`, `sldNum`, `pic`, `chart`, `tbl`, … */
  type: string;
  /** The type exactly as written (ctrTitle vs title matters for heading levels). */
  rawType?: string;
  idx?: string;
}

/** The layout and master a slide (or notes slide) is built on. */
export interface SlideBase {
  layout?: XmlElement;
  master?: XmlElement;
  /** `p:txStyles` of the master, or the notes master's `p:notesStyle`. */
  titleStyle?: XmlElement;
  bodyStyle?: XmlElement;
  otherStyle?: XmlElement;
  /** Layout type (`title`, `secHead`, `obj`, …), which says what kind of slide this is. */
  layoutType?: string;
}

export function placeholderOf(shape: XmlElement): Placeholder | undefined {
  const nv = elements(shape).find((e) => localName(e.name).startsWith('nv'));
  const ph = path(nv, 'p:nvPr', 'p:ph');
  if (!ph) return undefined;
  const rawType = attr(ph, 'type');
  return { type: normaliseType(rawType), rawType, idx: attr(ph, 'idx') };
}

function normaliseType(type: string | undefined): string {
  if (type === undefined || type === 'obj') return 'body';
  if (type === 'ctrTitle') return 'title';
  return type;
}

export function readSlideBase(pkg: PptxPackage, slidePart: string, layoutType: string, masterType: string): SlideBase {
  const base: SlideBase = {};
  const layoutRel = pkg.relOfType(slidePart, layoutType);
  let masterPart: string | undefined;
  if (layoutRel) {
    base.layout = safeXml(pkg, layoutRel.target);
    base.layoutType = attr(base.layout, 'type');
    masterPart = pkg.relOfType(layoutRel.target, masterType)?.target;
  } else {
    // Notes slides point at their master directly.
    masterPart = pkg.relOfType(slidePart, masterType)?.target;
  }
  if (masterPart) base.master = safeXml(pkg, masterPart);
  const txStyles = child(base.master, 'p:txStyles');
  if (txStyles) {
    base.titleStyle = child(txStyles, 'p:titleStyle');
    base.bodyStyle = child(txStyles, 'p:bodyStyle');
    base.otherStyle = child(txStyles, 'p:otherStyle');
  } else {
    base.bodyStyle = child(base.master, 'p:notesStyle');
  }
  return base;
}

/** Layout and master parts are decoration: when one is unreadable the slide still converts, without inheritance. */
function safeXml(pkg: PptxPackage, part: string): XmlElement | undefined {
  try {
    return pkg.xml(part);
  } catch (error) {
    if (isFatal(error)) throw error;
    return undefined;
  }
}

/** Top-level shapes of a layout or master that are placeholders. */
function placeholderShapes(root: XmlElement | undefined): { shape: XmlElement; ph: Placeholder }[] {
  const tree = path(root, 'p:cSld', 'p:spTree');
  const out: { shape: XmlElement; ph: Placeholder }[] = [];
  for (const shape of elements(tree ?? { name: '', attrs: {}, children: [] })) {
    const ph = placeholderOf(shape);
    if (ph) out.push({ shape, ph });
  }
  return out;
}

/** The placeholder a slide placeholder inherits from on a layout (by idx first) or a master (by type). */
function matchPlaceholder(root: XmlElement | undefined, ph: Placeholder, byIdx: boolean): XmlElement | undefined {
  const candidates = placeholderShapes(root);
  if (byIdx && ph.idx !== undefined) {
    const hit = candidates.find((c) => c.ph.idx === ph.idx);
    if (hit) return hit.shape;
  }
  const wanted = byIdx ? ph.type : masterType(ph.type);
  return candidates.find((c) => (byIdx ? c.ph.type : masterType(c.ph.type)) === wanted)?.shape;
}

/** Masters carry only the basic kinds: anything text-like that is not a title inherits from the body. */
function masterType(type: string): string {
  return ['subTitle', 'body', 'obj', 'pic', 'chart', 'tbl', 'clipArt', 'dgm', 'media'].includes(type) ? 'body' : type;
}

/** Inherited shapes for a placeholder, nearest first: layout, then master. */
export function inheritedShapes(base: SlideBase, ph: Placeholder | undefined): XmlElement[] {
  if (!ph) return [];
  const out: XmlElement[] = [];
  const fromLayout = matchPlaceholder(base.layout, ph, true);
  if (fromLayout) out.push(fromLayout);
  const fromMaster = matchPlaceholder(base.master, ph, false);
  if (fromMaster) out.push(fromMaster);
  return out;
}

/**
 * Level style containers (each holding `a:lvl1pPr` … `a:lvl9pPr`), nearest first, for a shape's text:
 * its own list style, the inherited placeholders' list styles, then the master text style for its kind.
 */
export function listStyleChain(shape: XmlElement, ph: Placeholder | undefined, base: SlideBase): XmlElement[] {
  const chain: XmlElement[] = [];
  const own = path(shape, 'p:txBody', 'a:lstStyle');
  if (own) chain.push(own);
  // A subtitle shares the master's body style, bullets and all, yet is never a list unless a layout or the
  // slide itself says so: only its nearer styles count.
  const subtitle = ph?.type === 'subTitle';
  for (const inherited of inheritedShapes(base, ph).slice(0, subtitle ? 1 : 2)) {
    const style = path(inherited, 'p:txBody', 'a:lstStyle');
    if (style) chain.push(style);
  }
  if (ph && !subtitle) {
    const master = ph.type === 'title' ? base.titleStyle : isFurniture(ph.type) ? base.otherStyle : base.bodyStyle;
    if (master) chain.push(master);
  }
  return chain;
}

/** Placeholders that repeat on every slide: dates, footers, slide numbers, headers. */
export function isFurniture(type: string): boolean {
  return type === 'dt' || type === 'ftr' || type === 'sldNum' || type === 'hdr';
}

/** The `a:lvlNpPr` elements for a 0-based paragraph level along a chain. */
export function levelProps(chain: XmlElement[], level: number): XmlElement[] {
  const name = `a:lvl${Math.min(9, Math.max(1, level + 1))}pPr`;
  const out: XmlElement[] = [];
  for (const styles of chain) {
    const props = child(styles, name);
    if (props) out.push(props);
  }
  return out;
}

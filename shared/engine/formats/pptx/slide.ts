/**
 * One slide → its title and its body blocks, shape by shape in reading order.
 */
import type { BlockContent, RootContent } from '../../mdast.ts';
import { imagePlaceholder, paragraph, text } from '../../mdast.ts';
import { attr, child, descendants, localName, path, textOf, type XmlElement } from '../../xml.ts';
import type { ConvertContext } from '../../types.ts';
import { isFatal, type PptxPackage, type Relationship } from './package.ts';
import { isFurniture, listStyleChain, placeholderOf, readSlideBase, type SlideBase } from './inherit.ts';
import { collectShapes, readingOrder } from './shapes.ts';
import { paragraphsText, paragraphsToBlocks, readParagraphs } from './text.ts';
import { readTable } from './table.ts';
import { chartBlocks } from '../ooxml/chart.ts';
import { diagramBlocks, diagramDrawingText } from '../ooxml/diagram.ts';
import { isLegacyChartProgId, legacyChartBlocks } from '../ooxml/ole-chart.ts';

export interface SlideContent {
  title?: string;
  /** The slide opens a deck or a section (title slide, section header): its title ranks above the others. */
  opensSection: boolean;
  body: RootContent[];
  hidden: boolean;
}

export interface SlideReader {
  pkg: PptxPackage;
  ctx: ConvertContext;
  /** `p:defaultTextStyle` of the presentation: the list style of text that is not in a placeholder. */
  defaultTextStyle?: XmlElement;
}

export function readSlide(reader: SlideReader, part: string, page: number): SlideContent | undefined {
  const root = reader.pkg.xml(part);
  if (!root) return undefined;
  const base = readSlideBase(reader.pkg, part, 'slideLayout', 'slideMaster');
  const rels = reader.pkg.rels(part);
  const shapes = readingOrder(collectShapes(path(root, 'p:cSld', 'p:spTree'), base));
  let title: string | undefined;
  let opensSection = base.layoutType === 'title' || base.layoutType === 'secHead';
  const body: RootContent[] = [];
  for (const { el } of shapes) {
    const ph = placeholderOf(el);
    if (ph && isFurniture(ph.type)) continue;
    if (ph?.type === 'title' && title === undefined && localName(el.name) === 'sp') {
      const t = paragraphsText(readParagraphs(child(el, 'p:txBody'), { chain: [], rels, bullets: false }));
      if (t) {
        title = t;
        if (ph.rawType === 'ctrTitle') opensSection = true;
        continue;
      }
    }
    try {
      body.push(...shapeBlocks(reader, el, base, rels));
    } catch (error) {
      if (isFatal(error)) throw error;
      reader.ctx.warn({
        code: 'part_unreadable',
        message: `a shape on slide ${page} could not be read: ${(error as Error).message}`,
        page,
      });
    }
  }
  return { title, opensSection, body, hidden: attr(root, 'show') === '0' || attr(root, 'show') === 'false' };
}

function shapeBlocks(
  reader: SlideReader,
  el: XmlElement,
  base: SlideBase,
  rels: Map<string, Relationship>,
): BlockContent[] {
  switch (localName(el.name)) {
    case 'sp':
      return textShapeBlocks(reader, el, base, rels);
    case 'pic':
      return [pictureBlock(reader, el, rels)];
    case 'graphicFrame':
      return graphicFrameBlocks(reader, el, rels);
    default:
      return [];
  }
}

export function textShapeBlocks(
  reader: SlideReader,
  el: XmlElement,
  base: SlideBase,
  rels: Map<string, Relationship>,
): BlockContent[] {
  const txBody = child(el, 'p:txBody');
  if (!txBody) return [];
  const ph = placeholderOf(el);
  const chain = listStyleChain(el, ph, base);
  if (!ph && reader.defaultTextStyle) chain.push(reader.defaultTextStyle);
  return paragraphsToBlocks(readParagraphs(txBody, { chain, rels, bullets: true }));
}

function pictureBlock(reader: SlideReader, el: XmlElement, rels: Map<string, Relationship>): BlockContent {
  const cNvPr = path(el, 'p:nvPicPr', 'p:cNvPr');
  const alt = attr(cNvPr, 'descr') || attr(cNvPr, 'title') || '';
  const blip = path(el, 'p:blipFill', 'a:blip');
  const rel = rels.get(attr(blip, 'r:embed') ?? '') ?? rels.get(attr(blip, 'r:link') ?? '');
  const name = rel ? rel.target.split(/[\\/]/).pop() : undefined;
  const placeholder = imagePlaceholder(alt, name);
  if (reader.ctx.options.embedImages && rel && !rel.external) {
    const mime = IMAGE_TYPES[(name ?? '').split('.').pop()?.toLowerCase() ?? ''];
    const bytes = mime ? reader.pkg.read(rel.target) : undefined;
    if (bytes) placeholder.url = `data:${mime};base64,${Buffer.from(bytes).toString('base64')}`;
  }
  return paragraph([placeholder]);
}

/** Image kinds a Markdown reader can show inline; anything else (EMF, WMF, TIFF) stays a named placeholder. */
const IMAGE_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  bmp: 'image/bmp',
};

function graphicFrameBlocks(reader: SlideReader, el: XmlElement, rels: Map<string, Relationship>): BlockContent[] {
  const data = path(el, 'a:graphic', 'a:graphicData');
  if (!data) return [];
  const tbl = child(data, 'a:tbl');
  if (tbl) {
    const t = readTable(tbl, rels);
    return t ? [t] : [];
  }
  const chartRef = child(data, 'c:chart');
  if (chartRef) {
    const chart = partOf(reader.pkg, rels, attr(chartRef, 'r:id'));
    if (chart) return chartBlocks(chart);
    return [paragraph([imagePlaceholder('Chart')])];
  }
  if (child(data, 'cx:chart')) {
    // Newer chart kinds (waterfall, treemap, …) keep their data in a workbook, not in readable caches.
    return [paragraph([imagePlaceholder(frameName(el) ? `Chart: ${frameName(el)}` : 'Chart')])];
  }
  const diagramRef = child(data, 'dgm:relIds');
  if (diagramRef) {
    const model = partOf(reader.pkg, rels, attr(diagramRef, 'r:dm'));
    const blocks = model ? diagramBlocks(model) : [];
    if (blocks.length) return blocks;
    const drawing = [...rels.values()].find((r) => r.type === 'diagramDrawing' && !r.external);
    const drawingXml = drawing ? reader.pkg.xml(drawing.target) : undefined;
    return drawingXml ? diagramDrawingText(drawingXml).map((t) => paragraph([text(t)])) : [];
  }
  // A legacy chart (Microsoft Graph, Excel chart) embedded as an OLE object: its data from the embedded workbook.
  const ole = descendants(data, 'p:oleObj')[0];
  if (ole && isLegacyChartProgId(attr(ole, 'progId'))) {
    const rel = rels.get(attr(ole, 'r:id') ?? '');
    const target = rel && !rel.external ? rel.target : undefined;
    const blocks = legacyChartBlocks(attr(ole, 'progId') ?? '', target, (part) => reader.pkg.read(part), reader.ctx);
    if (blocks) return blocks;
    return [paragraph([imagePlaceholder(frameName(el) ? `Chart: ${frameName(el)}` : 'Chart')])];
  }
  // Anything else (OLE objects, media, extensions): keep whatever text it carries, else name it.
  const texts = descendants(data, 'a:t')
    .map(textOf)
    .map((t) => t.trim())
    .filter(Boolean);
  if (texts.length) return [paragraph([text(texts.join(' '))])];
  const name = attr(path(el, 'p:nvGraphicFramePr', 'p:cNvPr'), 'descr');
  return name ? [paragraph([imagePlaceholder(name)])] : [];
}

/** What the author called a frame: its description, else nothing (generated names like "Chart 3" say nothing). */
function frameName(el: XmlElement): string | undefined {
  return attr(path(el, 'p:nvGraphicFramePr', 'p:cNvPr'), 'descr') || undefined;
}

function partOf(pkg: PptxPackage, rels: Map<string, Relationship>, id: string | undefined): XmlElement | undefined {
  const rel = rels.get(id ?? '');
  if (!rel || rel.external) return undefined;
  return pkg.xml(rel.target);
}

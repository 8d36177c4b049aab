/**
 * Charts and SmartArt inside a `w:drawing`: graphic data that is not a picture but carries text. A chart
 * (`c:chart` → chart part) becomes its title and a table of the values Word caches in the chart part; a
 * SmartArt graphic (`dgm:relIds` → diagram data part) becomes its text outline. Both are blocks, so they
 * follow the paragraph that anchors them. The readers are shared with PPTX (`../ooxml/`).
 */
import type { XmlElement } from '../../xml.ts';
import { attr, descendants, localName } from '../../xml.ts';
import type { BlockContent } from '../../mdast.ts';
import { imagePlaceholder, paragraph, text } from '../../mdast.ts';
import { chartBlocks } from '../ooxml/chart.ts';
import { diagramBlocks, diagramDrawingText } from '../ooxml/diagram.ts';
import { isLegacyChartProgId, legacyChartBlocks } from '../ooxml/ole-chart.ts';
import type { DocxContext } from './context.ts';

/** Blocks for the charts and SmartArt graphics of one drawing, in document order. */
export function drawingGraphics(drawing: XmlElement, dc: DocxContext): BlockContent[] {
  const out: BlockContent[] = [];
  for (const data of descendants(drawing, 'graphicData')) {
    for (const el of data.children) {
      if (typeof el === 'string') continue;
      const name = localName(el.name);
      if (name === 'chart' && /chartex/i.test(attr(data, 'uri') ?? '')) {
        // Newer chart kinds (waterfall, treemap, …) keep their data in an embedded workbook, not in caches.
        out.push(paragraph([imagePlaceholder(chartName(drawing))]));
      } else if (name === 'chart') {
        out.push(...chart(el, drawing, dc));
      } else if (name === 'relIds') {
        out.push(...smartArt(el, dc));
      }
    }
  }
  return out;
}

function relatedXml(id: string | undefined, dc: DocxContext): XmlElement | undefined {
  const rel = id ? dc.rels.get(id) : undefined;
  return rel && !rel.external ? dc.pkg.optionalXml(rel.target) : undefined;
}

function chart(ref: XmlElement, drawing: XmlElement, dc: DocxContext): BlockContent[] {
  const space = relatedXml(attr(ref, 'r:id') ?? attr(ref, 'id'), dc);
  if (space) return chartBlocks(space);
  // A chart whose part is missing is still a chart: name it rather than drop it silently.
  dc.convert.warn({ code: 'part_unreadable', message: 'a chart part referenced by the document is missing' });
  return [paragraph([imagePlaceholder(chartName(drawing))])];
}

/** `Chart: <alt text>`, or `Chart` when the author gave none. */
function chartName(drawing: XmlElement): string {
  const docPr = descendants(drawing, 'docPr')[0];
  const alt = (attr(docPr, 'descr') || attr(docPr, 'title') || '').trim();
  return alt ? `Chart: ${alt}` : 'Chart';
}

function smartArt(relIds: XmlElement, dc: DocxContext): BlockContent[] {
  const model = relatedXml(attr(relIds, 'r:dm') ?? attr(relIds, 'dm'), dc);
  const blocks = model ? diagramBlocks(model) : [];
  if (blocks.length || !model) return blocks;
  // The drawing Word caches beside the data (named from the data model's extension list) has the same text.
  const ext = descendants(model, 'dataModelExt')[0];
  const drawing = relatedXml(attr(ext, 'relId'), dc);
  return drawing ? diagramDrawingText(drawing).map((t) => paragraph([text(t)])) : [];
}

/**
 * A legacy chart: `w:object` holding an `o:OLEObject` whose ProgID is Microsoft Graph's or an Excel chart's,
 * its `r:id` naming the embedded compound file. `undefined` when the object is not such a chart (an equation,
 * a package: the caller shows its preview picture as before); `{ blocks }` with the chart's title and data
 * tables when it reads; `{ unreadable: true }` after an `unsupported_content` warning naming the object, when it
 * does not (the caller then keeps the preview placeholder).
 */
export function legacyChart(
  object: XmlElement,
  dc: DocxContext,
): { blocks: BlockContent[] } | { unreadable: true } | undefined {
  const ole = descendants(object, 'OLEObject')[0];
  const progId = attr(ole, 'ProgID');
  if (!ole || !progId || !isLegacyChartProgId(progId)) return undefined;
  const id = attr(ole, 'r:id') ?? attr(ole, 'id');
  const rel = id ? dc.rels.get(id) : undefined;
  const target = rel && !rel.external ? rel.target : undefined;
  const blocks = legacyChartBlocks(progId, target, (part) => dc.pkg.zip.read(part), dc.convert);
  return blocks ? { blocks } : { unreadable: true };
}

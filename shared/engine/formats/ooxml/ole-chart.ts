/**
 * A legacy chart embedded as an OLE object (Word `w:object` → `o:OLEObject`, PowerPoint `p:oleObj`), written
 * the way DrawingML charts are (`chart.ts`): its title as a paragraph, then its data as tables. The embedded
 * compound file is read by `../xls/embedded-chart.ts`; an object that cannot be read is named in an
 * `unsupported_content` warning, and the caller keeps its placeholder.
 */
import type { ConvertContext } from '../../types.ts';
import type { BlockContent } from '../../mdast.ts';
import { paragraph, tableFromStrings, text } from '../../mdast.ts';
import { LEGACY_CHART_PROGID, readEmbeddedChart } from '../xls/embedded-chart.ts';

/** True for the ProgIDs of charts drawn from a data sheet (Microsoft Graph, Excel charts). */
export function isLegacyChartProgId(progId: string | undefined): boolean {
  return LEGACY_CHART_PROGID.test((progId ?? '').trim());
}

/**
 * Blocks for one legacy chart object.
 * @param progId the object's ProgID, for the warning.
 * @param target the embedded part's path, or undefined when the relationship is missing or external.
 * @param read the package's part reader (raw bytes).
 * @returns the title and tables, or undefined after an `unsupported_content` warning naming the object.
 */
export function legacyChartBlocks(
  progId: string,
  target: string | undefined,
  read: (part: string) => Uint8Array | undefined,
  ctx: ConvertContext,
): BlockContent[] | undefined {
  const where = `embedded ${progId.trim()} chart${target ? ` (${target})` : ''}`;
  try {
    if (!target) throw new Error('its embedded object is linked or missing');
    const bytes = read(target);
    if (!bytes) throw new Error('its embedded object part is missing');
    const chart = readEmbeddedChart(bytes, ctx.limits.maxCells);
    if (chart.truncated)
      ctx.warn({ code: 'truncated', message: `${where}: data sheet cells past the table limit were cut` });
    const blocks: BlockContent[] = chart.title ? [paragraph([text(chart.title)])] : [];
    blocks.push(...chart.tables.map(tableFromStrings));
    return blocks;
  } catch (error) {
    ctx.warn({
      code: 'unsupported_content',
      message: `${where} could not be read (${(error as Error).message}); only its placeholder is kept`,
    });
    return undefined;
  }
}

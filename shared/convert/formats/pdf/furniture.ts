/**
 * Running headers, footers and page numbers. A block in the top or bottom margin band of a page is furniture
 * when its text (digits ignored) repeats on other pages, when it is a bare page number, or when it is a short
 * line no larger than body text set apart at the very edge of the page (journal banners, download stamps).
 */
import type { Block } from './blocks.ts';
import { blockText } from './blocks.ts';
import type { DocumentStyle } from './headings.ts';

export interface LaidOutPage {
  blocks: Block[];
  height: number;
}

const MARGIN = 0.075;
const PAGE_NUMBER = /^(?:page\s*)?(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:of|\/)\s*\d{1,4})?$|^[-–—]\s*\d{1,4}\s*[-–—]$/i;

const inMargin = (b: Block, height: number) => b.bottom < height * MARGIN || b.top > height * (1 - MARGIN);
const signature = (text: string) => text.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();

export function removeFurniture(pages: LaidOutPage[], style: DocumentStyle): void {
  const seen = new Map<string, number>();
  for (const page of pages) {
    const onPage = new Set<string>();
    for (const b of page.blocks) if (inMargin(b, page.height)) onPage.add(signature(blockText(b)));
    for (const s of onPage) seen.set(s, (seen.get(s) ?? 0) + 1);
  }
  const repeats = pages.length >= 2 ? Math.max(2, Math.ceil(pages.length * 0.4)) : Infinity;
  for (const page of pages) {
    page.blocks = page.blocks.filter((b) => {
      if (!inMargin(b, page.height)) return true;
      const value = blockText(b).trim();
      if (PAGE_NUMBER.test(value)) return false;
      if ((seen.get(signature(value)) ?? 0) >= repeats) return false;
      const words = value.split(/\s+/).length;
      const small = b.size <= style.bodySize * 1.05;
      return !(small && b.lines.length <= 2 && words <= 16);
    });
  }
}

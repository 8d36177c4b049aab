/**
 * Font weight, style and pitch per text-content font id. pdf.js as shipped hands the real font name (e.g.
 * "ABCDEF+Times-Bold", "SFBX1000") to the main thread only with a page's operator list; our patched worker
 * (pdfjs-patches.ts) hands it over with the text content. Where the patch is not applied (jest's loader, a
 * pdf.js release that changed the patched text), the list is fetched for pages that use a font not seen before
 * (`needsFontNames`); fonts are shared across pages (ids like `g_d0_f3`), so that is the first pages mostly.
 */
import type { FontInfo } from './text-items.ts';

interface CommonObjs {
  has(id: string): boolean;
  get(id: string): unknown;
}

// Family-name conventions: "-Bold", "Semibold", "Black"; URW's "-Medi"; TeX's bold series ("CMBX10", "SFBX1000",
// "CMB10", "LMRoman10-Bold").
const BOLD =
  /bold|black|heavy|semibold|demi|medi(?:$|ital)|(?:[-,_]|\b)(?:bd|b)$|^(?:cm|sf|lm|ec|eu)b[xi]?\d|^(?:cm|sf|ec)b[xi]?(?:ti|sl)?\d/i;
const ITALIC = /italic|oblique|(?:[-,_])(?:it|i)$|ital|^(?:cm|sf|lm|ec)(?:bx)?(?:ti|sl|it|si)\d/i;
const MONOSPACE = /courier|mono|consol|menlo|inconsolata|typewriter|^(?:cm|sf|lm|ec)(?:tt|sltt|itt|vtt)\d|^lmmono/i;

export function fontLookup(
  commonObjs: CommonObjs,
  families: Record<string, { fontFamily?: string }> = {},
): (fontId: string) => FontInfo {
  const cache = new Map<string, FontInfo>();
  return (fontId) => {
    let info = cache.get(fontId);
    if (info) return info;
    const fallbackMono = families[fontId]?.fontFamily === 'monospace';
    try {
      if (commonObjs.has(fontId)) {
        const font = commonObjs.get(fontId) as
          { name?: unknown; bold?: unknown; italic?: unknown; black?: unknown } | undefined;
        const name = typeof font?.name === 'string' ? font.name.replace(/^[A-Z]{6}\+/, '') : '';
        info = {
          bold: font?.bold === true || font?.black === true || BOLD.test(name),
          italic: font?.italic === true || ITALIC.test(name),
          // The FixedPitch flag and pdf.js's fallback family are set on subsets of proportional fonts too
          // (digits-only subsets): the name decides when there is one.
          monospace: name ? MONOSPACE.test(name) : fallbackMono,
        };
      }
    } catch {
      // A font pdf.js could not load: treat as regular text.
    }
    info ??= { bold: false, italic: false, monospace: fallbackMono };
    cache.set(fontId, info);
    return info;
  };
}

/** True when some font used by the items has not reached the main thread yet (its name is unknown). */
export function needsFontNames(commonObjs: CommonObjs, fontIds: Iterable<string>): boolean {
  for (const id of fontIds) {
    try {
      if (!commonObjs.has(id)) return true;
    } catch {
      return true;
    }
  }
  return false;
}

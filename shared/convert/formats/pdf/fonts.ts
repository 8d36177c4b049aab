/**
 * Font weight and style per text-content font id. pdf.js exposes the real font name (e.g. "ABCDEF+Times-Bold")
 * only once the page's operator list has been built, so this is read after `getOperatorList()`.
 */
import type { FontInfo } from './text-items.ts';

interface CommonObjs {
  has(id: string): boolean;
  get(id: string): unknown;
}

const BOLD = /bold|black|heavy|semibold|demi|(?:[-,_]|\b)(?:bd|b)$/i;
const ITALIC = /italic|oblique|(?:[-,_])(?:it|i)$|ital/i;

export function fontLookup(commonObjs: CommonObjs): (fontId: string) => FontInfo {
  const cache = new Map<string, FontInfo>();
  return (fontId) => {
    let info = cache.get(fontId);
    if (info) return info;
    try {
      if (commonObjs.has(fontId)) {
        const font = commonObjs.get(fontId) as { name?: unknown; bold?: unknown; italic?: unknown; black?: unknown } | undefined;
        const name = typeof font?.name === 'string' ? font.name.replace(/^[A-Z]{6}\+/, '') : '';
        info = {
          bold: font?.bold === true || font?.black === true || BOLD.test(name),
          italic: font?.italic === true || ITALIC.test(name),
        };
      }
    } catch {
      // A font pdf.js could not load: treat as regular text.
    }
    info ??= { bold: false, italic: false };
    cache.set(fontId, info);
    return info;
  };
}

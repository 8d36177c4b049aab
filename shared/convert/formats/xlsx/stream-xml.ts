/**
 * Streaming SAX over a large package part (worksheets, shared strings): no element tree, so memory follows the
 * values kept, not the markup. Same safety rules as `parseXml`: any DOCTYPE is refused, no entities expanded.
 */
import { SaxesParser } from 'saxes';
import { ConversionError, corrupt } from '../../errors.ts';

export interface SaxHandlers {
  open(name: string, attrs: Record<string, string>): void;
  close(name: string): void;
  text(value: string): void;
  /** Return true to stop reading the rest of the part (a limit was reached). */
  done?(): boolean;
}

const CHUNK = 1 << 16;

export function streamXml(source: string, part: string, handlers: SaxHandlers): void {
  const parser = new SaxesParser({ xmlns: false, position: false });
  let failure: Error | undefined;
  parser.on('doctype', () => { failure ??= new ConversionError('corrupt', `DOCTYPE is not allowed in ${part}`); });
  parser.on('opentag', (tag) => handlers.open(localName(tag.name), tag.attributes as Record<string, string>));
  parser.on('closetag', (tag) => handlers.close(localName(tag.name)));
  parser.on('text', handlers.text);
  parser.on('cdata', handlers.text);
  parser.on('error', (e) => { failure ??= corrupt(`malformed XML in ${part}: ${e.message}`); });
  try {
    for (let i = 0; i < source.length && !failure; i += CHUNK) {
      parser.write(source.slice(i, i + CHUNK));
      if (handlers.done?.()) return;
    }
    if (!failure) parser.close();
  } catch (e) {
    failure ??= corrupt(`malformed XML in ${part}: ${(e as Error).message}`);
  }
  if (failure) throw failure;
}

/** `x:c` → `c`: SpreadsheetML is written with and without a prefix. */
export function localName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

/** OOXML escapes characters XML cannot carry as `_xHHHH_` (e.g. `_x000D_` for a carriage return). */
export function unescapeOoxml(value: string): string {
  if (!value.includes('_x')) return value;
  return value.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

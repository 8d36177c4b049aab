/** The shared string table: rich-text runs concatenated, phonetic guides (`rPh`) left out. */
import { streamXml, unescapeOoxml } from './stream-xml.ts';

export function parseSharedStrings(source: string, part: string): string[] {
  const strings: string[] = [];
  let current: string | undefined;
  let inText = false;
  let phonetic = 0;
  streamXml(source, part, {
    open(name) {
      if (name === 'si') current = '';
      else if (name === 'rPh') phonetic++;
      else if (name === 't' && current !== undefined && !phonetic) inText = true;
    },
    close(name) {
      if (name === 'si') {
        strings.push(unescapeOoxml(current ?? ''));
        current = undefined;
      } else if (name === 'rPh') phonetic--;
      else if (name === 't') inText = false;
    },
    text(value) {
      if (inText && current !== undefined) current += value;
    },
  });
  return strings;
}

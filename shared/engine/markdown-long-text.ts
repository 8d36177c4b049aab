/**
 * Escaping of text nodes heavy in ASCII punctuation, in time linear in their length. mdast-util-to-markdown
 * escapes by collecting every position that one of its ~90 unsafe patterns matches into an object and sorting
 * them: about 3 to 10 µs a punctuation character, so a text file of 2 MB of `*` spent 7 s there (1 MB of `*`,
 * `_`, `[` or `` ` ``: 2 to 5 s; `\`: 2 s), past the conversion budget.
 *
 * Past `MANY_PUNCTUATION` such characters in one node, each of them is escaped here with a backslash, which
 * CommonMark allows before any ASCII punctuation character and which makes it literal wherever text can stand
 * (paragraphs, headings, link text, table cells): the Markdown reads back as the same text. The rest (spaces
 * and line endings next to line endings, which the serializer writes as character references) still goes
 * through the serializer, with each punctuation character masked by one private-use character the text does
 * not hold: no unsafe pattern matches or looks at that character, so the serializer's work is what remains.
 * Text escaped this way is never read as a GFM autolink literal (`https\:`, `www\.`), which the normal path
 * would write for a reader to see as a link; only such long runs lose that.
 */
import type { Text } from 'mdast';
import type { Handle, Info, State } from 'mdast-util-to-markdown';
import type { Parents } from 'mdast';

/** Punctuation characters in one text node past which it is escaped here (normal prose stays far below). */
export const MANY_PUNCTUATION = 4096;

/** Whether the UTF-16 code unit `code` is ASCII punctuation (`!`–`/`, `:`–`@`, `[`–`` ` ``, `{`–`~`). */
const isAsciiPunctuation = (code: number): boolean =>
  (code >= 0x21 && code <= 0x2f) ||
  (code >= 0x3a && code <= 0x40) ||
  (code >= 0x5b && code <= 0x60) ||
  (code >= 0x7b && code <= 0x7e);

/** Wraps the text handler `text` so that punctuation-heavy nodes are escaped in linear time. */
export function withLongTextEscaped(text: Handle): Handle {
  return ((node: Text, parent: Parents | undefined, state: State, info: Info): string => {
    const value = node.value;
    if (value.length < MANY_PUNCTUATION || countPunctuation(value) < MANY_PUNCTUATION) {
      return text(node, parent, state, info);
    }
    const mask = unusedPrivateUse(value);
    if (mask === undefined) return text(node, parent, state, info);
    // Built code unit by code unit: a string and a callback per character cost more in garbage than the
    // serializer did.
    const masked = new Uint16Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      masked[i] = isAsciiPunctuation(code) ? mask : code;
    }
    const escaped = text({ ...node, value: fromCodeUnits(masked) }, parent, state, info);
    const out = new Uint16Array(escaped.length * 2);
    let length = 0;
    let from = 0;
    for (let i = 0; i < escaped.length; i++) {
      const code = escaped.charCodeAt(i);
      if (code !== mask) {
        out[length++] = code;
        continue;
      }
      while (!isAsciiPunctuation(value.charCodeAt(from))) from++;
      out[length++] = 0x5c; // backslash
      out[length++] = value.charCodeAt(from++);
    }
    return fromCodeUnits(out.subarray(0, length));
  }) as Handle;
}

function countPunctuation(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i++) if (isAsciiPunctuation(value.charCodeAt(i))) count++;
  return count;
}

/** The string of `units`, exactly (a lone surrogate stays as it is). */
const fromCodeUnits = (units: Uint16Array): string =>
  Buffer.from(units.buffer, units.byteOffset, units.byteLength).toString('utf16le');

/** A character of the Private Use Area (U+E000–U+F8FF) that `value` does not hold, if any. */
function unusedPrivateUse(value: string): number | undefined {
  const used = new Set<number>();
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0xe000 && code <= 0xf8ff) used.add(code);
  }
  for (let code = 0xe000; code <= 0xf8ff; code++) if (!used.has(code)) return code;
  return undefined;
}

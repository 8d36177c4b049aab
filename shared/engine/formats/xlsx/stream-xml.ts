/**
 * A fast, non-validating pull scanner for the large parts of a workbook (worksheets, shared strings): no
 * element tree, so memory follows the values kept, not the markup, and a 10,000-row sheet reads in tens of
 * milliseconds (a validating SAX parser is several times slower here). Same safety rules as `parseXml`: any
 * DOCTYPE is refused and only the five XML entities and character references are decoded, never expanded.
 */
import { ConversionError, corrupt } from '../../errors.ts';
import { MAX_XML_DEPTH } from '../../xml.ts';

export interface SaxHandlers {
  open(name: string, attrs: Record<string, string>): void;
  close(name: string): void;
  text(value: string): void;
  /** Return true to stop reading the rest of the part (a limit was reached). */
  done?(): boolean;
}

/** How often (in tags) `done()` is asked. */
const CHECK_EVERY = 4096;
/**
 * Attributes are read as the pattern `/([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g` would find them, in three
 * anchored steps: skip separators, take a whole run of name characters, then its `= "value"` if any. The one
 * pattern retried a run that has no value after it from each of its characters (quadratic: 20,000 characters
 * in one tag took over a second, 200,000 minutes); a run that fails from its first character fails from all.
 */
const SEPARATORS = /[\s=/]*/y;
const NAME = /[^\s=/]+/y;
const VALUE = /\s*=\s*(?:"([^"]*)"|'([^']*)')/y;

export function streamXml(source: string, part: string, handlers: SaxHandlers): void {
  const n = source.length;
  let i = 0;
  let depth = 0;
  let tags = 0;
  const stack: string[] = [];
  while (i < n) {
    const lt = source.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) {
      if (depth > 0) handlers.text(decodeEntities(source.slice(i, textEnd), part));
      if (lt < 0) break;
    }
    i = lt;
    const next = source.charCodeAt(i + 1);
    if (next === 0x21 /* ! */) {
      if (source.startsWith('<!--', i)) {
        const end = source.indexOf('-->', i + 4);
        if (end < 0) throw corrupt(`malformed XML in ${part}: unclosed comment`);
        i = end + 3;
      } else if (source.startsWith('<![CDATA[', i)) {
        const end = source.indexOf(']]>', i + 9);
        if (end < 0) throw corrupt(`malformed XML in ${part}: unclosed CDATA section`);
        if (depth > 0) handlers.text(source.slice(i + 9, end));
        i = end + 3;
      } else {
        throw new ConversionError('corrupt', `DOCTYPE is not allowed in ${part}`);
      }
      continue;
    }
    if (next === 0x3f /* ? */) {
      const end = source.indexOf('?>', i + 2);
      if (end < 0) throw corrupt(`malformed XML in ${part}: unclosed processing instruction`);
      i = end + 2;
      continue;
    }
    const gt = findTagEnd(source, i + 1);
    if (gt < 0) throw corrupt(`malformed XML in ${part}: unclosed tag`);
    if (next === 0x2f /* / */) {
      const name = localName(source.slice(i + 2, gt).trim());
      const open = stack.pop();
      if (open !== name) throw corrupt(`malformed XML in ${part}: </${name}> closes <${open ?? ''}>`);
      depth--;
      handlers.close(name);
    } else {
      const selfClosing = source.charCodeAt(gt - 1) === 0x2f;
      const body = source.slice(i + 1, selfClosing ? gt - 1 : gt);
      let nameEnd = 0;
      while (nameEnd < body.length && !isSpace(body.charCodeAt(nameEnd))) nameEnd++;
      const name = localName(body.slice(0, nameEnd));
      if (!name) throw corrupt(`malformed XML in ${part}: empty tag name`);
      const attrs: Record<string, string> = {};
      if (nameEnd < body.length) {
        readAttributes(body, nameEnd, part, attrs);
      }
      handlers.open(name, attrs);
      if (selfClosing) {
        handlers.close(name);
      } else {
        stack.push(name);
        if (++depth > MAX_XML_DEPTH) throw corrupt(`XML nested deeper than ${MAX_XML_DEPTH} in ${part}`);
      }
    }
    i = gt + 1;
    if (++tags % CHECK_EVERY === 0 && handlers.done?.()) return;
  }
  if (stack.length) throw corrupt(`malformed XML in ${part}: <${stack[stack.length - 1]}> is never closed`);
}

/** Adds the attributes in `body` from `from` on to `attrs` (values entity-decoded). */
function readAttributes(body: string, from: number, part: string, attrs: Record<string, string>): void {
  let at = from;
  for (;;) {
    SEPARATORS.lastIndex = at;
    SEPARATORS.exec(body);
    const nameStart = SEPARATORS.lastIndex;
    NAME.lastIndex = nameStart;
    if (!NAME.exec(body)) return;
    const nameEnd = NAME.lastIndex;
    VALUE.lastIndex = nameEnd;
    const m = VALUE.exec(body);
    if (m) {
      const value = m[1] ?? m[2] ?? '';
      attrs[body.slice(nameStart, nameEnd)] = value.includes('&') ? decodeEntities(value, part) : value;
      at = VALUE.lastIndex;
    } else {
      at = nameEnd;
    }
  }
}

/** The `>` ending a tag that starts at `from`, skipping quoted attribute values. */
function findTagEnd(source: string, from: number): number {
  let quote = 0;
  for (let j = from; j < source.length; j++) {
    const c = source.charCodeAt(j);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) {
      quote = c;
    } else if (c === 0x3e) {
      return j;
    } else if (c === 0x3c) {
      return -1;
    }
  }
  return -1;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(value: string, part: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&([^;&\s]{1,10});/g, (_, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      if (!Number.isFinite(code) || code < 0 || code > 0x10ffff)
        throw corrupt(`malformed XML in ${part}: bad character reference &${name};`);
      return String.fromCodePoint(code);
    }
    const hit = NAMED[name];
    if (hit === undefined) throw corrupt(`malformed XML in ${part}: undefined entity &${name};`);
    return hit;
  });
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

/**
 * Format detection from content only: magic bytes, the ZIP container's `[Content_Types].xml` or EPUB
 * `mimetype`, then text sniffing. A file name may only break ties between text formats (CSV vs plain text).
 */
import type { DetectedInput } from './types.ts';
import { ConversionError, unsupported } from './errors.ts';
import { ZipArchive } from './zip.ts';
import { decodeText, looksBinary } from './text-decode.ts';
import { sniffDelimiter } from './formats/csv/sniff.ts';
import { listCfbStreams } from './cfb.ts';

const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((v, i) => b[at + i] === v);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

export function detectFormat(bytes: Uint8Array, fileName?: string): DetectedInput {
  if (bytes.length === 0) throw new ConversionError('empty', 'the document is empty (0 bytes)');
  const head = bytes.subarray(0, 1024);
  if (indexOf(head, ascii('%PDF-')) >= 0) return { format: 'pdf', mediaType: 'application/pdf' };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]))
    return detectZip(bytes);
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return detectCfb(bytes);
  const image = detectImage(bytes);
  if (image) return { format: 'image', mediaType: image };
  if (looksBinary(bytes)) throw unsupported('unrecognized binary format');
  return detectText(bytes, fileName);
}

function detectImage(b: Uint8Array): string | undefined {
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(b, ascii('GIF87a')) || startsWith(b, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  if (startsWith(b, ascii('BM')) && b.length > 26 && b[14] >= 12 && b[15] === 0 && b[16] === 0) return 'image/bmp';
  return undefined;
}

function detectZip(bytes: Uint8Array): DetectedInput {
  let zip: ZipArchive;
  try {
    zip = new ZipArchive(bytes, { maxEntryBytes: 8 * 1024 * 1024, maxInflatedBytes: 16 * 1024 * 1024 });
  } catch (error) {
    if (error instanceof ConversionError) throw error;
    throw new ConversionError('corrupt', `damaged ZIP container: ${(error as Error).message}`);
  }
  const mimetype = zip.has('mimetype') ? zip.text('mimetype')?.trim() : undefined;
  if (mimetype === 'application/epub+zip') return { format: 'epub', mediaType: 'application/epub+zip' };
  const types = zip.has('[Content_Types].xml') ? (zip.text('[Content_Types].xml') ?? '') : '';
  if (
    /wordprocessingml\.document\.main|ms-word\.document\.macroEnabled\.main|wordprocessingml\.template\.main/i.test(
      types,
    )
  ) {
    return { format: 'docx', mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' };
  }
  if (
    /presentationml\.(presentation|slideshow|template)\.main|ms-powerpoint\.(presentation|slideshow)\.macroEnabled\.main/i.test(
      types,
    )
  ) {
    return { format: 'pptx', mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' };
  }
  if (/spreadsheetml\.(sheet|template)\.main|ms-excel\.sheet\.(macroEnabled|binary\.macroEnabled)\.main/i.test(types)) {
    if (/binary\.macroEnabled/i.test(types)) throw unsupported('XLSB (binary workbook) is not supported; save as XLSX');
    return { format: 'xlsx', mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
  }
  if (zip.has('META-INF/container.xml')) return { format: 'epub', mediaType: 'application/epub+zip' };
  throw unsupported('ZIP archive that is not a DOCX, PPTX, XLSX or EPUB document');
}

function detectCfb(bytes: Uint8Array): DetectedInput {
  let names: string[];
  try {
    names = listCfbStreams(bytes).map((n) => n.toLowerCase());
  } catch {
    throw new ConversionError('corrupt', 'damaged OLE compound file');
  }
  if (names.includes('encryptioninfo') || names.includes('encryptedpackage')) {
    throw new ConversionError('encrypted', 'the document is password-protected (encrypted Office file)');
  }
  if (names.includes('workbook') || names.includes('book'))
    return { format: 'xls', mediaType: 'application/vnd.ms-excel' };
  if (names.includes('worddocument')) throw unsupported('legacy Word 97-2003 (.doc) is not supported; save as DOCX');
  if (names.includes('powerpoint document'))
    throw unsupported('legacy PowerPoint 97-2003 (.ppt) is not supported; save as PPTX');
  throw unsupported('unrecognized OLE compound file');
}

function detectText(bytes: Uint8Array, fileName?: string): DetectedInput {
  const { text } = decodeText(sampleOf(bytes, 64 * 1024));
  const sample = text.replace(/^\ufeff/, '').trimStart();
  const lower = sample.slice(0, 4096).toLowerCase();
  const ext = (fileName ?? '').toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  const root = lower.slice(afterProlog(lower));
  if (root.startsWith('<!doctype html') || /^<html[\s>]/.test(root)) return { format: 'html', mediaType: 'text/html' };
  const markdownName = ext === 'md' || ext === 'markdown';
  // A fragment that starts with markup and is made of HTML elements (a saved snippet, an e-mail body).
  if (
    !markdownName &&
    ext !== 'xml' &&
    /^<[a-z!]/.test(lower) &&
    (/<(head|body)[\s>]/.test(lower) || countHtmlTags(lower) >= 3)
  ) {
    return { format: 'html', mediaType: 'text/html' };
  }
  if (/^[[{]/.test(sample) && !markdownName && ext !== 'csv' && ext !== 'tsv' && isJson(bytes)) {
    return { format: 'json', mediaType: 'application/json' };
  }
  if (markdownName) return { format: 'markdown', mediaType: 'text/markdown' };
  const delimiter = sniffDelimiter(sample, ext);
  if (delimiter)
    return { format: 'csv', mediaType: delimiter === '\t' ? 'text/tab-separated-values' : 'text/csv', delimiter };
  // `.txt` breaks the Markdown-or-text tie: the author said plain text, so `#` and `*` stay literal.
  if (ext !== 'txt' && ext !== 'text' && looksLikeMarkdown(sample))
    return { format: 'markdown', mediaType: 'text/markdown' };
  return { format: 'text', mediaType: 'text/plain' };
}

/**
 * Where the document element starts: after an XML declaration and any comments and whitespace. A scan, not a
 * regular expression: a run of `<!---->` made the old pattern backtrack exponentially (225 bytes took 27 s).
 * Linear in the sample's length.
 */
function afterProlog(s: string): number {
  let at = 0;
  if (s.startsWith('<?xml')) {
    const end = s.indexOf('>', at);
    if (end < 0) return s.length;
    at = end + 1;
  }
  for (;;) {
    while (at < s.length && /\s/.test(s[at])) at++;
    if (!s.startsWith('<!--', at)) return at;
    const end = s.indexOf('-->', at + 4);
    if (end < 0) return s.length;
    at = end + 3;
  }
}

/** A prefix for sniffing that does not end inside a UTF-8 sequence (which would make valid UTF-8 look invalid). */
function sampleOf(bytes: Uint8Array, max: number): Uint8Array {
  if (bytes.length <= max) return bytes;
  const utf16 =
    (bytes[0] === 0xff && bytes[1] === 0xfe) ||
    (bytes[0] === 0xfe && bytes[1] === 0xff) ||
    bytes.subarray(0, 512).includes(0);
  // UTF-16: keep whole code units. UTF-8: step back over continuation bytes to the start of the cut character.
  if (utf16) return bytes.subarray(0, max - (max % 2));
  let end = max;
  for (let back = 0; back < 4 && end > 0 && (bytes[end] & 0xc0) === 0x80; back++) end--;
  return bytes.subarray(0, end);
}

function countHtmlTags(s: string): number {
  return (
    s.match(/<\/?(div|p|span|a|table|tr|td|ul|ol|li|h[1-6]|br|img|section|article|meta|title|script|style)\b/g) ?? []
  ).length;
}

/** A JSON document, or JSON Lines (one JSON value per line, as logs and data exports write them). */
function isJson(bytes: Uint8Array): boolean {
  if (bytes.length > 50 * 1024 * 1024) return false;
  const text = decodeText(bytes).text.replace(/^\ufeff/, '');
  // Brackets that do not balance cannot be one JSON document: skip the parse, which costs about a second a
  // megabyte on deeply opened brackets (2 MB of `[` in a text file).
  if (bracketsBalance(text)) {
    try {
      JSON.parse(text);
      return true;
    } catch {
      // not one document; maybe JSON Lines
    }
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 2) return false;
  try {
    for (const line of lines) {
      if (!/^\s*[[{]/.test(line)) return false;
      JSON.parse(line);
    }
    return true;
  } catch {
    return false;
  }
}

/** Whether `[`/`{` and `]`/`}` outside JSON strings pair up in count, as in any JSON text. */
function bracketsBalance(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) depth++;
    else if ((c === 0x5d || c === 0x7d) && --depth < 0) return false;
  }
  return depth === 0;
}

function looksLikeMarkdown(s: string): boolean {
  const head = s.slice(0, 8192);
  let signals = 0;
  if (/^#{1,6} \S/m.test(head)) signals += 2;
  if (/^```/m.test(head)) signals += 2;
  // The three patterns below give the results of /\[[^\]\n]+\]\(…/, /^\s*[-*+] \S/m and /^\|?\s*:?-{3,}/m, in
  // linear time: link text runs from the last `[` before it (or one `[` earlier when it ends in `[`), and
  // leading space never crosses a line end (a match that did also matches from the next line's start). The
  // originals retried from every `[` or line start of a long run: 8 KB of `[` or line ends cost 0.15 s.
  if (/\[(?:[^[\]\n]+\[?|\[)\]\([^)\s]+\)/.test(head)) signals++;
  if (/^[^\S\n\r\u2028\u2029]*[-*+] \S/m.test(head)) signals++;
  if (/^\|.*\|\s*$/m.test(head) && /^\|?[^\S\n\r\u2028\u2029]*:?-{3,}/m.test(head)) signals += 2;
  if (/\*\*[^*\n]+\*\*/.test(head)) signals++;
  return signals >= 2;
}

function indexOf(hay: Uint8Array, needle: number[]): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

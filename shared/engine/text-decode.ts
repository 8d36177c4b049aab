/**
 * Bytes → string for text formats (CSV/TSV, plain text, Markdown, JSON, HTML). Order of authority:
 *
 * 1. A byte-order mark (UTF-8, UTF-16LE, UTF-16BE) wins over everything, the `charset` option included: the
 *    WHATWG Encoding Standard's "decode" and the HTML encoding-sniffing algorithm both put it first.
 * 2. `charset` (ConvertOptions.charset, a WHATWG or iconv-lite label) — the person converting knows better.
 *    An unknown label falls through to detection and is reported (`unknownCharset`).
 * 3. The whole buffer is valid UTF-8 (pure ASCII included): UTF-8, nothing guessed.
 * 4. UTF-16 without a BOM (NUL in every other byte of ASCII text): guessed.
 * 5. Otherwise the charset is guessed from a bounded sample — `SAMPLE_BYTES` from just before the first byte
 *    ≥ 0x80, so that an ASCII preamble does not hide the evidence: mostly-valid UTF-8 (at least five valid
 *    non-ASCII characters per invalid sequence) is read as UTF-8 with the bad bytes replaced; anything else
 *    goes to `guessCharset` (chardet plus the rules documented there).
 *
 * The whole buffer is then decoded in one linear pass (WHATWG `TextDecoder`, or iconv-lite for labels the
 * Encoding Standard lacks, such as `cp437` or `macintosh`). The text never starts with U+FEFF.
 */
import { createRequire } from 'node:module';
import { guessCharset } from './charset-guess.ts';
import type { ConversionWarning } from './types.ts';

export interface DecodedText {
  text: string;
  /** Charset used: `utf-8`, `utf-16le`, `utf-16be`, or the detected / requested name (`Shift_JIS`, `cp437`…). */
  encoding: string;
  /** True when the encoding was guessed from the content (no BOM, no option, not valid UTF-8). */
  guessed: boolean;
  /** chardet's confidence (0–100) when `guessed` came from charset detection. */
  confidence?: number;
  /** The `charset` option, when it named no charset this engine can decode. */
  unknownCharset?: string;
}

export interface DecodeOptions {
  /** Charset label that overrides detection (not a BOM). */
  charset?: string;
}

/** Bytes of the sample charset detection looks at; the decode itself covers the whole buffer. */
export const SAMPLE_BYTES = 64 * 1024;

export function decodeText(bytes: Uint8Array, options: DecodeOptions = {}): DecodedText {
  const bom = bomOf(bytes);
  if (bom) return { text: new TextDecoder(bom).decode(bytes), encoding: bom, guessed: false };
  let unknownCharset: string | undefined;
  if (options.charset) {
    const text = decodeWith(bytes, options.charset);
    if (text !== undefined) return { text: stripBom(text), encoding: options.charset, guessed: false };
    unknownCharset = options.charset;
  }
  const unknown = unknownCharset ? { unknownCharset } : {};
  try {
    return {
      text: new TextDecoder('utf-8', { fatal: true }).decode(bytes),
      encoding: 'utf-8',
      guessed: false,
      ...unknown,
    };
  } catch {
    // not UTF-8
  }
  const utf16 = guessUtf16(bytes);
  if (utf16) return { text: new TextDecoder(utf16).decode(bytes), encoding: utf16, guessed: true, ...unknown };
  const sample = detectionSample(bytes);
  if (mostlyUtf8(sample))
    return { text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8', guessed: true, ...unknown };
  const { charset, confidence } = guessCharset(sample);
  const text = decodeWith(bytes, charset) ?? new TextDecoder('windows-1252').decode(bytes);
  return { text: stripBom(text), encoding: charset, guessed: true, confidence, ...unknown };
}

/**
 * Bytes in the named charset → string, or undefined when the label is unknown. WHATWG labels go to
 * `TextDecoder` (the decoders browsers use, undecodable bytes become U+FFFD); other labels to iconv-lite.
 */
export function decodeWith(bytes: Uint8Array, label: string): string | undefined {
  try {
    return new TextDecoder(label.trim()).decode(bytes);
  } catch {
    // Not a WHATWG label (or one the Encoding Standard maps to "replacement"): try iconv-lite's catalogue.
  }
  const iconv = iconvLite();
  if (!iconv.encodingExists(label)) return undefined;
  return iconv.decode(bytes, label);
}

let iconvModule: typeof import('iconv-lite') | undefined;

/**
 * iconv-lite, loaded on the first label `TextDecoder` does not know: its catalogue is half a megabyte of code
 * that every conversion worker used to parse at start-up (measured: 50–100 ms of a one-page DOCX's run), though
 * only legacy-charset text ever needs it.
 */
function iconvLite(): typeof import('iconv-lite') {
  iconvModule ??= createRequire(import.meta.url)('iconv-lite') as typeof import('iconv-lite');
  return iconvModule;
}

/**
 * The warnings a decode deserves, worded for `what` ("delimited text", "text", "HTML"): `encoding_guessed`
 * naming the charset and chardet's confidence when the charset was guessed, and one when the `charset`
 * option named nothing decodable. Valid UTF-8 and BOM-marked text get none.
 */
export function decodingWarnings(decoded: DecodedText, what: string): ConversionWarning[] {
  const out: ConversionWarning[] = [];
  if (decoded.unknownCharset !== undefined) {
    out.push({
      code: 'encoding_guessed',
      message: `the charset option "${decoded.unknownCharset}" names no known charset; ${what} decoded as ${decoded.encoding}`,
    });
  }
  if (decoded.guessed) {
    const confidence = decoded.confidence !== undefined ? `, confidence ${decoded.confidence}%` : '';
    out.push({
      code: 'encoding_guessed',
      message: `${what} decoded as ${decoded.encoding} (guessed from the content${confidence})`,
    });
  }
  return out;
}

function bomOf(bytes: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

const stripBom = (s: string) => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s);

/**
 * `SAMPLE_BYTES` of the input, starting (at most 1 KB) before the first byte ≥ 0x80: that byte and the ones
 * before it are ASCII, so the window starts on a character boundary in every ASCII-compatible charset.
 */
function detectionSample(bytes: Uint8Array): Uint8Array {
  let first = 0;
  while (first < bytes.length && bytes[first] < 0x80) first++;
  const start = Math.max(0, first - 1024);
  return bytes.subarray(start, start + SAMPLE_BYTES);
}

/**
 * At least five well-formed non-ASCII UTF-8 characters for each invalid sequence (U+FFFD in the decode).
 * Legacy single- and double-byte text almost never forms valid multi-byte UTF-8 sequences, so even this
 * ratio is far beyond what a windows-1252 or Shift_JIS file reaches.
 */
function mostlyUtf8(sample: Uint8Array): boolean {
  const text = new TextDecoder('utf-8').decode(sample, { stream: true });
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd) invalid++;
    else if (c >= 0x80 && !(c >= 0xdc00 && c <= 0xdfff)) valid++;
  }
  return valid >= 5 * invalid && valid > 0;
}

/** UTF-16 without BOM shows up as NUL in every other byte of ASCII text. */
function guessUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(bytes.length - (bytes.length % 2), 4096);
  if (n < 4) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return 'utf-16le';
  if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return 'utf-16be';
  return undefined;
}

/** True when the bytes look like binary data rather than text in some encoding. */
export function looksBinary(bytes: Uint8Array): boolean {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return false;
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return false;
  const n = Math.min(bytes.length, 8192);
  if (guessUtf16(bytes)) return false;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return true;
    if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++;
  }
  return control > n * 0.02;
}

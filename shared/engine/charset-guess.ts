/**
 * Which legacy charset a byte sample (not UTF-8, no BOM) is written in. chardet (ICU's detectors) ranks the
 * candidates; the rules below make its answer usable on the short inputs it is weak at. In order:
 *
 * 1. A candidate must decode the sample without error (WHATWG `TextDecoder`, `fatal`): chardet scores
 *    statistics and does not reject byte sequences a charset cannot hold.
 * 2. A candidate must read like text. A multi-byte (CJK) decoding whose ideographs, kana or hangul sit glued
 *    to ASCII letters (`Gr鲞e` for the Latin-1 bytes of `Größe`) is implausible, since CJK characters are not
 *    written inside Latin words; a Latin decoding whose accented letters come in runs (`Ìîñêâà`, Cyrillic
 *    read as windows-1252) is implausible, since accents in Latin-script words stand alone between ASCII.
 * 3. A non-Latin candidate (CJK, Cyrillic, Greek, Hebrew, Arabic, Thai) that chardet rates at least
 *    `STRONG` wins.
 * 4. Otherwise a multi-byte candidate that passed 1 and 2 wins over any single-byte one: random Latin text is
 *    almost never valid Shift_JIS / GB18030 / Big5 / EUC-KR without gluing characters to letters, so a clean
 *    decoding is strong evidence even where chardet, lacking frequency statistics, rates it low. Ties go to
 *    chardet's order.
 * 5. Otherwise a weak non-Latin single-byte candidate wins only when the high bytes come in runs (whole
 *    words of non-ASCII letters, as Cyrillic and Greek are written).
 * 6. Otherwise the text is Latin-script: windows-1252 (the WHATWG reading of ISO-8859-1 too), unless another
 *    Latin charset (windows-1250, ISO-8859-2, windows-1254, …) is rated at least `LATIN_OTHER` and beats
 *    windows-1252 by `LATIN_MARGIN`: on a line or two chardet's Latin scores are near noise (it may rank
 *    windows-1257 first for `José,Köln`), and windows-1252 is by far the most common legacy Latin charset.
 *
 * chardet's multi-byte recognisers ignore their frequency tables below 11 double-byte characters and answer
 * a flat 10; a sample shorter than `MIN_SAMPLE` bytes is therefore repeated up to that size before chardet
 * sees it (repetition keeps every proportion the statistics use). Cost: one chardet pass over at most
 * `max(sample, MIN_SAMPLE)` bytes plus one strict decode of the sample per candidate (about 30 at most).
 */
import { createRequire } from 'node:module';

type Chardet = typeof import('chardet');
let chardetModule: Chardet | undefined;

/** chardet, loaded on the first guess (only text without a BOM that is not UTF-8 needs it), not at start-up. */
function chardet(): Chardet {
  chardetModule ??= createRequire(import.meta.url)('chardet') as Chardet;
  return chardetModule;
}

export interface CharsetGuess {
  /** WHATWG / IANA name as chardet spells it (`Shift_JIS`, `windows-1251`, `GB18030`…). */
  charset: string;
  /** chardet's confidence, 0–100 (0 when the charset is the fallback). */
  confidence: number;
}

/** Confidence from which chardet's non-Latin answer is taken as it is. */
export const STRONG = 50;
/** Confidence another Latin charset needs to displace windows-1252, and its lead over windows-1252. */
export const LATIN_OTHER = 40;
export const LATIN_MARGIN = 10;
const MIN_SAMPLE = 4096;

const MULTI_BYTE = new Set(['Shift_JIS', 'Big5', 'EUC-JP', 'EUC-KR', 'GB18030']);
const LATIN = new Set([
  'ISO-8859-1',
  'windows-1252',
  'ISO-8859-2',
  'windows-1250',
  'ISO-8859-9',
  'windows-1254',
  'windows-1257',
  'windows-1258',
]);
/** chardet names that are not legacy byte charsets this module chooses between. */
const NOT_LEGACY = /^(UTF-|ASCII$|ISO_2022|ISO-2022)/;

/** The charset of `sample`, which must not be valid UTF-8 (the caller checks that first). */
export function guessCharset(sample: Uint8Array): CharsetGuess {
  const ranked = chardet()
    .analyse(padded(sample))
    .filter((m) => !NOT_LEGACY.test(m.name))
    .map((m) => ({ charset: m.name === 'ISO-8859-1' ? 'windows-1252' : m.name, confidence: m.confidence }))
    .filter((m, i, all) => all.findIndex((o) => o.charset === m.charset) === i)
    .filter((m) => plausible(sample, m.charset));

  const nonLatin = ranked.filter((m) => !LATIN.has(m.charset));
  if (nonLatin[0] && nonLatin[0].confidence >= STRONG && nonLatin[0] === ranked[0]) return nonLatin[0];
  const multi = ranked.find((m) => MULTI_BYTE.has(m.charset));
  if (multi) return multi;
  const singleNonLatin = nonLatin[0];
  if (singleNonLatin && !latinLike(sample)) return singleNonLatin;
  const base = ranked.find((m) => m.charset === 'windows-1252') ?? { charset: 'windows-1252', confidence: 0 };
  const other = ranked.find((m) => LATIN.has(m.charset) && m.charset !== 'windows-1252');
  if (other && other.confidence >= LATIN_OTHER && other.confidence - base.confidence >= LATIN_MARGIN) return other;
  return base;
}

function padded(sample: Uint8Array): Uint8Array {
  if (sample.length === 0 || sample.length >= MIN_SAMPLE) return sample;
  const copies = Math.ceil(MIN_SAMPLE / (sample.length + 1));
  const out = new Uint8Array(copies * (sample.length + 1));
  for (let i = 0; i < copies; i++) {
    out.set(sample, i * (sample.length + 1));
    out[i * (sample.length + 1) + sample.length] = 0x0a;
  }
  return out;
}

/** Rules 1 and 2 for one candidate. */
function plausible(sample: Uint8Array, charset: string): boolean {
  let text: string;
  try {
    // `stream: true` so that a character cut at the end of the sample is not counted as an error.
    text = new TextDecoder(charset, { fatal: true }).decode(sample, { stream: true });
  } catch {
    return false;
  }
  if (MULTI_BYTE.has(charset)) return !cjkGluedToLatin(text);
  if (LATIN.has(charset)) return latinLike(sample);
  return true;
}

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff]/;
const ASCII_LETTER = /[A-Za-z]/;

/** More than a fifth of the CJK characters touch an ASCII letter. */
function cjkGluedToLatin(text: string): boolean {
  let cjk = 0;
  let glued = 0;
  for (let i = 0; i < text.length; i++) {
    if (!CJK.test(text[i])) continue;
    cjk++;
    if (ASCII_LETTER.test(text[i - 1] ?? '') || ASCII_LETTER.test(text[i + 1] ?? '')) glued++;
  }
  return cjk > 0 && glued * 5 > cjk;
}

/**
 * Latin-script shape: the bytes ≥ 0x80 mostly stand alone (an accented letter between ASCII letters) rather
 * than in runs, i.e. runs average under 1.6 bytes (`Größe` has one run of 2; a Cyrillic word is one run of
 * its length).
 */
function latinLike(sample: Uint8Array): boolean {
  let high = 0;
  let runs = 0;
  let previousHigh = false;
  for (const b of sample) {
    const isHigh = b >= 0x80;
    if (isHigh) {
      high++;
      if (!previousHigh) runs++;
    }
    previousHigh = isHigh;
  }
  return runs === 0 || high / runs < 1.6;
}

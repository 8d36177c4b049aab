/**
 * Which writing systems (scripts) each OCR language reads, so a page whose script none of the languages in use
 * reads gets an `uncovered_script` warning instead of silent garbage (an English model "reads" Cyrillic or Han
 * as strings of look-alike Latin letters and symbols).
 *
 * Script names are tesseract's orientation and script detection (OSD) names: the scripts of its `osd`
 * traineddata's unicharset (Arabic, Bengali, Cyrillic, Devanagari, Greek, Han, Hangul, Hebrew, Hiragana, Kannada,
 * Katakana, Latin, Malayalam, Tamil, Telugu, Thai) plus the three its detector adds (Japanese: Han with kana;
 * Korean: Han with Hangul; Fraktur: blackletter Latin). Language codes are tesseract's (ISO 639-2/B, with its
 * `_vert`, `_latn`, `_cyrl` variants). Fraktur counts as read by every Latin-script language: it is the same
 * alphabet, which the Latin models read, if less well, and OSD also gives it to heavy Latin type.
 *
 * Languages not in the table (a `@tesseract.js-data/<code>` package the project does not know) make the answer
 * unknown, and no warning is given: a wrong warning is noise too.
 */

/** Script → the tesseract languages whose data reads it (the first few are named in the warning's advice). */
const READERS: Record<string, readonly string[]> = {
  Latin: [
    ...['eng', 'deu', 'fra', 'spa', 'ita', 'por', 'nld', 'pol', 'ces', 'slk', 'slv', 'hrv', 'bos', 'srp_latn'],
    ...['hun', 'ron', 'tur', 'vie', 'ind', 'msa', 'cat', 'eus', 'glg', 'lit', 'lav', 'est', 'isl', 'gle', 'afr'],
    ...['sqi', 'aze', 'uzb', 'tgl', 'fil', 'swa', 'mlt', 'cym', 'epo', 'lat', 'dan', 'swe', 'nor', 'fin', 'fao'],
    ...['fry', 'gla', 'ltz', 'oci', 'bre', 'cos', 'ceb', 'jav', 'mri', 'que', 'ton', 'yor', 'hat', 'kmr', 'frk'],
    ...['enm', 'frm', 'ita_old', 'spa_old'],
  ],
  Fraktur: ['frk'],
  Cyrillic: ['rus', 'ukr', 'bel', 'bul', 'mkd', 'srp', 'kaz', 'kir', 'tgk', 'mon', 'tat', 'aze_cyrl', 'uzb_cyrl'],
  Greek: ['ell', 'grc'],
  Arabic: ['ara', 'fas', 'urd', 'pus', 'uig', 'snd', 'kur'],
  Hebrew: ['heb', 'yid'],
  Han: ['chi_sim', 'chi_tra', 'jpn', 'kor', 'chi_sim_vert', 'chi_tra_vert', 'jpn_vert', 'kor_vert'],
  Japanese: ['jpn', 'jpn_vert'],
  Hiragana: ['jpn', 'jpn_vert'],
  Katakana: ['jpn', 'jpn_vert'],
  Korean: ['kor', 'kor_vert'],
  Hangul: ['kor', 'kor_vert'],
  Devanagari: ['hin', 'mar', 'nep', 'san'],
  Bengali: ['ben', 'asm'],
  Tamil: ['tam'],
  Telugu: ['tel'],
  Kannada: ['kan'],
  Malayalam: ['mal'],
  Thai: ['tha'],
};

const LATIN = new Set(READERS.Latin);
const KNOWN = new Set(Object.values(READERS).flat());

/**
 * Whether OCR in `languages` (tesseract codes) reads text in `script` (an OSD script name): true when one of
 * them does, false when none does and every one is known here, undefined when the script or a language is not
 * in the table (no claim either way).
 */
export function readsScript(languages: readonly string[], script: string): boolean | undefined {
  const readers = READERS[script];
  if (!readers || !languages.length) return undefined;
  if (languages.some((l) => readers.includes(l) || (script === 'Fraktur' && LATIN.has(l)))) return true;
  return languages.every((l) => KNOWN.has(l)) ? false : undefined;
}

/** A few tesseract languages that read `script` (empty for a script not in the table), for advice. */
export function languagesReading(script: string, count = 3): string[] {
  return (READERS[script] ?? []).slice(0, count);
}

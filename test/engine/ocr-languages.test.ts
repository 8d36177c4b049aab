/**
 * OCR languages (issue 11): the installed set (English, German, French, Spanish, Italian, Portuguese) is what the
 * code documents and the API accepts; a caller naming a language reads its letters (German umlauts and ß, French
 * accents and cedilla) with real tesseract; an unknown code is a typed error naming the installed codes.
 * Pages are rendered here with @napi-rs/canvas, as in image-ocr.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanvas } from '@napi-rs/canvas';
import { convert } from '../../shared/engine/engine.ts';
import { createTesseractOcr, installedLanguages } from '../../shared/adapters/local/tesseract-ocr.ts';
import { OcrLanguageUnavailable } from '../../shared/engine/ocr.ts';
import { DEFAULT_OCR_LANGUAGES, INSTALLED_OCR_LANGUAGES } from '../../shared/engine/ocr-languages.ts';
import { JobOptionsSchema } from '../../shared/service/http/schemas/common.ts';
import { OCR_LANG_HELP } from '../../shared/cli/args.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A white page with `text`, one line each, 48 px (about 12 pt at 300 dpi) in `family`. */
async function lines(text: string[], family = 'sans-serif'): Promise<Uint8Array> {
  const canvas = createCanvas(1400, 160 + text.length * 90);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000000';
  ctx.font = `48px ${family}`;
  text.forEach((t, i) => ctx.fillText(t, 60, 120 + i * 90));
  return new Uint8Array(await canvas.encode('png'));
}

/** The words of some Markdown, punctuation stripped. */
const wordsOf = (markdown: string) => new Set(markdown.split(/[^\p{L}\p{N}]+/u).filter(Boolean));

describe('the installed OCR languages', () => {
  test('are the documented set: package.json, node_modules and INSTALLED_OCR_LANGUAGES agree', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    // `@tesseract.js-data/osd` is the orientation and script detection model, not a language.
    const declared = Object.keys(manifest.dependencies)
      .filter((name) => name.startsWith('@tesseract.js-data/') && name !== '@tesseract.js-data/osd')
      .map((name) => name.slice('@tesseract.js-data/'.length));
    const documented = [...INSTALLED_OCR_LANGUAGES].sort();
    expect(declared.sort()).toEqual(documented);
    expect(installedLanguages()).toEqual(documented);
    expect(DEFAULT_OCR_LANGUAGES).toEqual(['eng']);
  });

  test('the CLI help of --ocr-lang names the same default and installed codes', () => {
    expect(OCR_LANG_HELP).toContain(`default: ${DEFAULT_OCR_LANGUAGES.join(',')};`);
    expect(OCR_LANG_HELP).toContain(`installed: ${INSTALLED_OCR_LANGUAGES.join(',')};`);
  });

  test('the job option accepts installed codes and refuses others, naming the installed ones', () => {
    expect(JobOptionsSchema.parse({ ocrLanguages: ['deu', 'eng'] })).toEqual({ ocrLanguages: ['deu', 'eng'] });
    const unknown = JobOptionsSchema.safeParse({ ocrLanguages: ['deu', 'zzz'] });
    expect(unknown.success).toBe(false);
    const message = unknown.error!.issues.map((i) => i.message).join('; ');
    for (const code of INSTALLED_OCR_LANGUAGES) expect(message).toContain(code);
    expect(JobOptionsSchema.safeParse({ ocrLanguages: ['eng', 'eng'] }).success).toBe(false);
    expect(JobOptionsSchema.safeParse({ ocrLanguages: [] }).success).toBe(false);
  });
});

describe('with the real tesseract adapter', () => {
  const ocr = createTesseractOcr({ workers: 1 });
  afterAll(async () => {
    await ocr.close?.();
  });

  /**
   * Reads `text` with the default (English) and with `language`; returns how many of its words with a diacritic
   * each read exactly, and the letters the `language` reading holds. OCR misreads a letter now and then, so the
   * claim is a share of words and every letter in some word, not every word.
   */
  async function readBoth(text: string[], language: string, family?: string) {
    const image = await lines(text, family);
    const marked = [...wordsOf(text.join(' '))].filter((w) => /[^\x20-\x7e]/.test(w));
    const asEnglish = wordsOf((await convert(image, {}, { ocr })).markdown);
    const chosen = await convert(image, { ocrLanguages: [language] }, { ocr });
    const asChosen = wordsOf(chosen.markdown);
    return {
      marked,
      english: marked.filter((w) => asEnglish.has(w)),
      chosen: marked.filter((w) => asChosen.has(w)),
      letters: new Set([...asChosen].join('')),
      ocrPages: chosen.ocrPages,
    };
  }

  test('--ocr-lang deu reads umlauts and ß, which English alone does not', async () => {
    const read = await readBoth(
      [
        'Die Größe der Straße überrascht jeden Gärtner.',
        'Schöne Grüße vom Bäcker aus Köln und München.',
        'Der Fuß des Bären ist größer als ein Apfel.',
      ],
      'deu',
      // Book print: in this sans-serif tesseract reads a few umlaut words too unsure to pass the confidence floor.
      'serif',
    );
    expect(read.chosen.length).toBeGreaterThanOrEqual(Math.ceil(0.8 * read.marked.length));
    expect(read.chosen.length).toBeGreaterThan(read.english.length);
    for (const letter of ['ä', 'ö', 'ü', 'ß']) expect(read.letters).toContain(letter);
    expect(read.ocrPages).toEqual([1]);
  }, 240_000);

  test('--ocr-lang fra reads accents and the cedilla, which English alone does not', async () => {
    const read = await readBoth(
      [
        'Le garçon très célèbre a déjà mangé à midi.',
        'La fenêtre de l’élève français donne sur la forêt.',
        'Ça commence près du théâtre où il reçoit ses amis.',
      ],
      'fra',
    );
    expect(read.chosen.length).toBeGreaterThanOrEqual(Math.ceil(0.8 * read.marked.length));
    expect(read.chosen.length).toBeGreaterThan(read.english.length);
    for (const letter of ['é', 'è', 'ç', 'à', 'ê']) expect(read.letters).toContain(letter);
  }, 240_000);

  test('an unknown code is OcrLanguageUnavailable naming every installed code, and an ocr_failed warning', async () => {
    const image = await lines(['Hallo Welt']);
    const error = await ocr.recognize(image, { languages: ['deu', 'xyz'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OcrLanguageUnavailable);
    expect((error as OcrLanguageUnavailable).languages).toEqual(['xyz']);
    expect((error as OcrLanguageUnavailable).installed).toEqual([...INSTALLED_OCR_LANGUAGES].sort());
    const result = await convert(image, { ocrLanguages: ['deu', 'xyz'] }, { ocr });
    const failed = result.warnings.find((w) => w.code === 'ocr_failed');
    expect(failed?.message).toContain('"xyz"');
    for (const code of INSTALLED_OCR_LANGUAGES) expect(failed?.message).toContain(code);
    expect(result.ocrPages).toBeUndefined();
  }, 60_000);
});

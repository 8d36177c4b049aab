/**
 * The OCR languages the project installs, and the one it recognises by default.
 *
 * Installed: tesseract's data for English, German, French, Spanish, Italian and Portuguese, one
 * `@tesseract.js-data/<code>` npm package each (package.json). The codes are tesseract's (ISO 639-2/B). These
 * are the codes the API accepts in a job's `ocrLanguages` (`shared/service/http/schemas/common.ts`); the CLI's
 * `--ocr-lang` also takes any other code whose package was added, and the adapter names the installed codes when
 * one is missing (`OcrLanguageUnavailable`).
 *
 * Default: English alone. Measured on this project's 2-core machine (tesseract.js, one worker, a 2400 px wide
 * page of English prose): on a clean page all six languages read it as well as English alone (no character
 * wrong either way) for about the same CPU time (1.2–1.4 s a page), but on a degraded scan (small print, JPEG
 * artefacts, specks) the six-language set took 4–5 times the CPU per page (7–8 s against 1.5–1.9 s) and read
 * worse (more characters wrong); it also loads six models per worker (RSS about 130 MB more). A caller who
 * expects another language names it (`--ocr-lang deu`, or `deu,eng` for mixed pages), in order of weight: the
 * first is tesseract's primary language, the first is tesseract's primary language.
 */

/** Codes of the installed tesseract language data (`@tesseract.js-data/<code>`), English first. */
export const INSTALLED_OCR_LANGUAGES = ['eng', 'deu', 'fra', 'spa', 'ita', 'por'] as const;

export type InstalledOcrLanguage = (typeof INSTALLED_OCR_LANGUAGES)[number];

/** What OCR recognises when the caller names no language. */
export const DEFAULT_OCR_LANGUAGES: readonly InstalledOcrLanguage[] = ['eng'];

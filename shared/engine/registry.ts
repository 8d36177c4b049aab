/**
 * Every converter, in one list (the markitdown shape): the entry for the detected format converts. Each
 * converter is imported only when a document of its format arrives, so a DOCX never loads pdf.js, the HTML
 * parser or the spreadsheet readers (start-up of a one-file CLI run and of a sandbox worker stays small).
 * Adding a format = one folder under `formats/` and one line here.
 */
import type { Converter, Format } from './types.ts';

export interface ConverterEntry {
  /** The detected formats this converter takes (its `accepts()` still has the last word). */
  formats: readonly Format[];
  load(): Promise<Converter>;
}

export const converters: readonly ConverterEntry[] = [
  {
    formats: ['pdf'],
    load: async () => {
      // pdf.js's parser thread starts first (a small module), so its start-up (~0.3 s: a Node environment and
      // pdf.js's worker code) runs on the other core while the converter and pdf.js's API load here.
      (await import('./formats/pdf/parser-thread.ts')).startParserThread();
      return (await import('./formats/pdf/index.ts')).pdfConverter;
    },
  },
  { formats: ['docx'], load: async () => (await import('./formats/docx/index.ts')).docxConverter },
  { formats: ['pptx'], load: async () => (await import('./formats/pptx/index.ts')).pptxConverter },
  { formats: ['xlsx'], load: async () => (await import('./formats/xlsx/index.ts')).xlsxConverter },
  { formats: ['xls'], load: async () => (await import('./formats/xls/index.ts')).xlsConverter },
  { formats: ['html'], load: async () => (await import('./formats/html/index.ts')).htmlConverter },
  { formats: ['epub'], load: async () => (await import('./formats/epub/index.ts')).epubConverter },
  { formats: ['csv'], load: async () => (await import('./formats/csv/index.ts')).csvConverter },
  { formats: ['image'], load: async () => (await import('./formats/image/index.ts')).imageConverter },
  {
    formats: ['text', 'markdown', 'json'],
    load: async () => (await import('./formats/text/index.ts')).textConverter,
  },
];

/** The converter for `format`, loaded on first use; undefined when no entry takes it. */
export async function converterFor(format: Format): Promise<Converter | undefined> {
  return converters.find((entry) => entry.formats.includes(format))?.load();
}

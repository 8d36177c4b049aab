/**
 * Every converter, in one list (the markitdown shape): the first whose `accepts` says yes converts.
 * Adding a format = one folder under `formats/` and one line here.
 */
import type { Converter } from './types.ts';
import { pdfConverter } from './formats/pdf/index.ts';
import { docxConverter } from './formats/docx/index.ts';
import { pptxConverter } from './formats/pptx/index.ts';
import { xlsxConverter } from './formats/xlsx/index.ts';
import { xlsConverter } from './formats/xls/index.ts';
import { htmlConverter } from './formats/html/index.ts';
import { epubConverter } from './formats/epub/index.ts';
import { csvConverter } from './formats/csv/index.ts';
import { imageConverter } from './formats/image/index.ts';
import { textConverter } from './formats/text/index.ts';

export const converters: readonly Converter[] = [
  pdfConverter,
  docxConverter,
  pptxConverter,
  xlsxConverter,
  xlsConverter,
  htmlConverter,
  epubConverter,
  csvConverter,
  imageConverter,
  textConverter,
];

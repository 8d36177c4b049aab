/**
 * A PDF's metadata title becomes the document's title only when it is one: producers fill `/Title` with the
 * source file's name, a path or a placeholder, and the document then has no title, as without the field.
 */
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { convert } from '../../shared/engine/engine.ts';
import { usableTitle } from '../../shared/engine/metadata-title.ts';

/** One page of text with `title` as its info dictionary's `/Title`. */
async function pdfTitled(title: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([612, 792]).drawText('The committee met on the fourth of March to review the budget.', {
    x: 72,
    y: 700,
    size: 11,
    font,
  });
  doc.setTitle(title);
  return doc.save();
}

describe('pdf metadata title', () => {
  test('a real title is kept', async () => {
    expect((await convert(await pdfTitled('Annual Report of the Library Committee'))).title).toBe(
      'Annual Report of the Library Committee',
    );
  });

  test.each([
    '10811.exe',
    'minutes_final_v3.docx',
    'Microsoft Word - minutes.doc',
    'Microsoft Word - Board Minutes',
    'brochure_2019.indd',
    'layout.qxd',
    'report.pdf',
    '~WRL0003.tmp',
    'C:\\Users\\jsmith\\Documents\\report',
    '/home/jsmith/reports/q3',
    'Untitled',
    'untitled document',
    'Untitled-1',
    'Document1',
  ])('%j is no title: the document has none', async (title) => {
    expect((await convert(await pdfTitled(title))).title).toBeUndefined();
  });
});

describe('usableTitle', () => {
  test.each([
    ['Input/Output Systems', 'Input/Output Systems'],
    ['Document Management Guide', 'Document Management Guide'],
    ['  Budget   2026  ', 'Budget 2026'],
    ['Version 2.0 release notes', 'Version 2.0 release notes'],
  ])('%j is a title', (title, expected) => {
    expect(usableTitle(title)).toBe(expected);
  });

  test.each([[undefined], [42], [''], ['  '], ['1234'], ['scan0001.jpg'], ['data.xlsx'], ['\\\\server\\share\\x']])(
    '%j is not',
    (title) => {
      expect(usableTitle(title)).toBeUndefined();
    },
  );
});

import { detectFormat } from '../../shared/engine/detect.ts';
import { ConversionError } from '../../shared/engine/errors.ts';
import { buildZip } from '../fixtures/zip-writer.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const bytes = (...parts: (number[] | string)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...enc(p)] : p)));

function contentTypes(mainType: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    `<Override PartName="/main.xml" ContentType="${mainType}"/></Types>`
  );
}

/** A minimal compound file: header, one FAT sector, one directory sector with a root and the given streams. */
function buildCfb(streams: string[]): Uint8Array {
  const out = new Uint8Array(512 * 3);
  const view = new DataView(out.buffer);
  out.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 0);
  view.setUint16(24, 0x3e, true);
  view.setUint16(26, 3, true);
  view.setUint16(28, 0xfffe, true);
  view.setUint16(30, 9, true);
  view.setUint16(32, 6, true);
  view.setUint32(44, 1, true);
  view.setUint32(48, 1, true);
  view.setUint32(56, 4096, true);
  view.setUint32(60, 0xfffffffe, true);
  view.setUint32(68, 0xfffffffe, true);
  view.setUint32(72, 0, true);
  for (let i = 0; i < 109; i++) view.setUint32(76 + i * 4, i === 0 ? 0 : 0xffffffff, true);
  for (let i = 0; i < 128; i++)
    view.setUint32(512 + i * 4, i === 0 ? 0xfffffffd : i === 1 ? 0xfffffffe : 0xffffffff, true);
  const entry = (slot: number, name: string, type: number) => {
    const off = 1024 + slot * 128;
    for (let i = 0; i < name.length; i++) view.setUint16(off + i * 2, name.charCodeAt(i), true);
    view.setUint16(off + 64, (name.length + 1) * 2, true);
    out[off + 66] = type;
    view.setUint32(off + 116, 0xfffffffe, true);
  };
  entry(0, 'Root Entry', 5);
  streams.forEach((name, i) => entry(i + 1, name, 2));
  return out;
}

function errorOf(fn: () => unknown): ConversionError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConversionError) return error;
    throw error;
  }
  throw new Error('expected a ConversionError');
}

describe('detectFormat: binary formats by magic', () => {
  it('finds PDF, also after leading junk and whatever the name says', () => {
    expect(detectFormat(bytes('%PDF-1.7\n%\xe2\xe3\n1 0 obj'))).toMatchObject({
      format: 'pdf',
      mediaType: 'application/pdf',
    });
    expect(detectFormat(bytes('\n\n  %PDF-1.4\n'), 'report.docx').format).toBe('pdf');
  });

  it('tells DOCX, PPTX and XLSX apart by [Content_Types].xml, not by name', () => {
    const ooxml = (type: string) =>
      buildZip([
        { name: '[Content_Types].xml', data: contentTypes(type) },
        { name: 'main.xml', data: '<x/>' },
      ]);
    const docx = ooxml('application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml');
    const pptx = ooxml('application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml');
    const xlsx = ooxml('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml');
    expect(detectFormat(docx, 'a.xlsx').format).toBe('docx');
    expect(detectFormat(pptx, 'a.docx').format).toBe('pptx');
    expect(detectFormat(xlsx, 'a.pptx').format).toBe('xlsx');
  });

  it('finds EPUB by its mimetype entry', () => {
    const epub = buildZip([
      { name: 'mimetype', data: 'application/epub+zip', store: true },
      { name: 'META-INF/container.xml', data: '<container/>' },
    ]);
    expect(detectFormat(epub, 'book.zip')).toMatchObject({ format: 'epub', mediaType: 'application/epub+zip' });
  });

  it('refuses a ZIP that is none of ours, even named .docx', () => {
    const zip = buildZip([{ name: 'photos/cat.txt', data: 'meow' }]);
    expect(errorOf(() => detectFormat(zip, 'letter.docx')).code).toBe('unsupported_format');
  });

  it('reads compound-file stream names: XLS, encrypted Office, legacy Word', () => {
    expect(detectFormat(buildCfb(['Workbook', 'SummaryInformation'])).format).toBe('xls');
    expect(errorOf(() => detectFormat(buildCfb(['EncryptionInfo', 'EncryptedPackage']), 'x.docx')).code).toBe(
      'encrypted',
    );
    expect(errorOf(() => detectFormat(buildCfb(['WordDocument', '1Table']))).code).toBe('unsupported_format');
    expect(errorOf(() => detectFormat(buildCfb(['PowerPoint Document']))).code).toBe('unsupported_format');
  });

  it('knows the image signatures', () => {
    const cases: [Uint8Array, string][] = [
      [bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'image/png'],
      [bytes([0xff, 0xd8, 0xff, 0xe0, 0, 16]), 'image/jpeg'],
      [bytes('GIF89a', [1, 0, 1, 0]), 'image/gif'],
      [bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 '), 'image/webp'],
      [bytes([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]), 'image/tiff'],
      [bytes([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]), 'image/tiff'],
      [bytes('BM', [0x46, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 40, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0]), 'image/bmp'],
    ];
    for (const [input, mediaType] of cases)
      expect(detectFormat(input, 'x.txt')).toEqual({ format: 'image', mediaType });
  });

  it('says empty for no bytes and unsupported_format for random binary', () => {
    expect(errorOf(() => detectFormat(new Uint8Array(0))).code).toBe('empty');
    let seed = 42;
    const random = new Uint8Array(4096).map(() => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 24;
    });
    random[0] = 0x13; // not a known signature
    expect(errorOf(() => detectFormat(random, 'notes.txt')).code).toBe('unsupported_format');
  });
});

describe('detectFormat: text formats', () => {
  it('keeps prose with commas as text', () => {
    const prose =
      'Dear Anna, thank you for the letter, which arrived on Tuesday.\n' +
      'The weather here is cold, wet and grey, but the garden, somehow, still has roses.\n' +
      'We will visit in May, if the trains run, and bring the books, the maps and the tea.\n';
    expect(detectFormat(enc(prose))).toEqual({ format: 'text', mediaType: 'text/plain' });
    expect(detectFormat(enc('Hello, world.'))).toMatchObject({ format: 'text' });
  });

  it('finds Markdown by content and by name', () => {
    const md = '# Title\n\nSome text with a [link](https://example.com).\n\n- one, two\n- three, four\n';
    expect(detectFormat(enc(md)).format).toBe('markdown');
    expect(detectFormat(enc('| a | b |\n| --- | --- |\n| 1 | 2 |\n| 3 | 4 |\n')).format).toBe('markdown');
    expect(detectFormat(enc('just words, nothing marked'), 'README.md').format).toBe('markdown');
    expect(detectFormat(enc('Use <body> and <head> tags.\n'), 'notes.md').format).toBe('markdown');
  });

  it('finds JSON and JSON Lines', () => {
    expect(detectFormat(enc('  {"a": [1, 2, 3], "b": "x,y"}\n'))).toEqual({
      format: 'json',
      mediaType: 'application/json',
    });
    expect(detectFormat(enc('[1,2,3]')).format).toBe('json');
    expect(detectFormat(enc('{"a":1,"b":2}\n{"a":3,"b":4}\n{"a":5,"b":6}\n')).format).toBe('json');
    expect(detectFormat(enc('{not json, really}\n')).format).not.toBe('json');
  });

  it('finds HTML documents and fragments', () => {
    expect(detectFormat(enc('<!DOCTYPE html><html><body><p>x</p></body></html>')).format).toBe('html');
    expect(detectFormat(enc('<!-- saved --><html lang="en"><p>x</p></html>')).format).toBe('html');
    expect(detectFormat(enc('<div><p>One</p><p>Two</p></div>')).format).toBe('html');
  });

  it('finds CSV and TSV, and a one-column CSV only with a .csv name', () => {
    expect(detectFormat(enc('a,b,c\n1,2,3\n4,5,6\n'))).toEqual({
      format: 'csv',
      mediaType: 'text/csv',
      delimiter: ',',
    });
    expect(detectFormat(enc('a;b;c\n1;2;3\n'))).toMatchObject({ format: 'csv', delimiter: ';' });
    expect(detectFormat(enc('a\tb\n1\t2\n3\t4\n'))).toMatchObject({
      format: 'csv',
      mediaType: 'text/tab-separated-values',
      delimiter: '\t',
    });
    expect(detectFormat(enc('name\nalice\nbob\n'), 'people.csv')).toMatchObject({ format: 'csv', delimiter: ',' });
    expect(detectFormat(enc('name\nalice\nbob\n')).format).toBe('text');
  });

  it('reads UTF-16 text with and without a BOM', () => {
    const le = Buffer.from('Hello, this is UTF-16 text.\nSecond line.', 'utf16le');
    expect(detectFormat(new Uint8Array([0xff, 0xfe, ...le])).format).toBe('text');
    expect(detectFormat(new Uint8Array(le)).format).toBe('text');
    const csv = Buffer.from('a,b\n1,2\n3,4\n', 'utf16le');
    expect(detectFormat(new Uint8Array([0xff, 0xfe, ...csv]))).toMatchObject({ format: 'csv', delimiter: ',' });
  });

  it('reads windows-1252 text as text, not binary', () => {
    const latin = bytes(
      'Caf',
      [0xe9],
      ' cr',
      [0xe8],
      'me br',
      [0xfb],
      'l',
      [0xe9],
      'e ',
      [0x96],
      ' ',
      [0x93],
      'quoted',
      [0x94],
      '\n',
    );
    expect(detectFormat(latin)).toEqual({ format: 'text', mediaType: 'text/plain' });
  });

  it('does not break on a sample cut in the middle of a UTF-8 character', () => {
    const big = enc('é'.repeat(40000) + '\n');
    expect(detectFormat(big).format).toBe('text');
  });
});

describe('detectFormat: name hints break ties between text formats only', () => {
  it('treats Markdown-looking .txt as plain text, but still sees CSV in it', () => {
    const md = '# Title\n\n- one\n- two\n';
    expect(detectFormat(enc(md)).format).toBe('markdown');
    expect(detectFormat(enc(md), 'notes.txt').format).toBe('text');
    expect(detectFormat(enc('a\tb\n1\t2\n3\t4\n'), 'export.txt').format).toBe('csv');
  });
});

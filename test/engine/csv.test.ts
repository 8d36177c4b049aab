import { convert } from '../../shared/engine/engine.ts';
import { parseDelimited } from '../../shared/engine/formats/csv/parse.ts';
import { sniffDelimiter } from '../../shared/engine/formats/csv/sniff.ts';
import { ConversionError } from '../../shared/engine/errors.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('parseDelimited (RFC 4180)', () => {
  it('reads quoted fields holding delimiters, doubled quotes and line breaks', () => {
    const { rows } = parseDelimited('a,"b,c","say ""hi""","line1\nline2"\r\nx,y,z,w', ',');
    expect(rows).toEqual([
      ['a', 'b,c', 'say "hi"', 'line1\nline2'],
      ['x', 'y', 'z', 'w'],
    ]);
  });

  it('ends records at CRLF, LF and a lone CR, without an empty record at the end', () => {
    expect(parseDelimited('a,b\r\nc,d\re,f\ng,h\n', ',').rows).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
      ['g', 'h'],
    ]);
  });

  it('keeps a trailing empty field and literal quotes inside unquoted fields', () => {
    expect(parseDelimited('a,\n5\'1",x', ',').rows).toEqual([
      ['a', ''],
      ['5\'1"', 'x'],
    ]);
  });

  it('takes the rest of the input as the field when a quote is never closed', () => {
    expect(parseDelimited('a,"open\nstill open', ',').rows).toEqual([['a', 'open\nstill open']]);
  });

  it('stops at the cell cap and says so', () => {
    const { rows, truncated } = parseDelimited('1,2\n3,4\n5,6\n', ',', 3);
    expect(truncated).toBe(true);
    expect(rows.flat().length).toBe(3);
  });
});

describe('sniffDelimiter', () => {
  it('finds comma, semicolon, tab and pipe', () => {
    expect(sniffDelimiter('a,b,c\n1,2,3\n4,5,6')).toBe(',');
    expect(sniffDelimiter('a;b;c\n1,5;2,5;3\n4;5;6')).toBe(';');
    expect(sniffDelimiter('a\tb\n1\t2\n3\t4')).toBe('\t');
    expect(sniffDelimiter('a|b|c\n1|2|3\n4|5|6')).toBe('|');
  });

  it('is not fooled by quoted delimiters', () => {
    expect(sniffDelimiter('name;note\n"Smith, J";"a, b, c"\n"Doe, J";"d, e"')).toBe(';');
  });

  it('leaves prose with commas, and Markdown tables, alone', () => {
    const prose =
      'When the rain stopped, we walked down to the harbour, where the boats were waiting.\n' +
      'The fishermen, tired after a long night at sea, were mending their nets, slowly and quietly.\n' +
      'Nobody spoke, and the gulls, as always, circled above the grey water, hoping for scraps.';
    expect(sniffDelimiter(prose)).toBeUndefined();
    expect(sniffDelimiter('| a | b |\n| --- | --- |\n| 1 | 2 |')).toBeUndefined();
    expect(sniffDelimiter('- apples, pears\n- plums, figs\n- nuts, dates')).toBeUndefined();
  });

  it('accepts a one-column file when the name says CSV', () => {
    expect(sniffDelimiter('name\nalice\nbob', 'csv')).toBe(',');
    expect(sniffDelimiter('name\nalice\nbob')).toBeUndefined();
  });
});

describe('csv converter', () => {
  it('renders one GFM table with the first row as header, padding short rows and widening the header', async () => {
    const result = await convert(enc('1,2,3\r\na,b,c,d\r\na,b\r\n\r\n\r\n'), { fileName: 'x.csv' });
    expect(result.format).toBe('csv');
    expect(result.markdown).toBe('| 1 | 2 | 3 | |\n| --- | --- | --- | --- |\n| a | b | c | d |\n| a | b | | |\n');
  });

  it('strips a BOM, escapes pipes and keeps in-cell line breaks as <br>', async () => {
    const result = await convert(enc('\ufeffh1,h2\n"a|b","x\ny"\n'), { fileName: 'x.csv' });
    expect(result.markdown).toBe('| h1 | h2 |\n| --- | --- |\n| a\\|b | x<br>y |\n');
  });

  it('reads TSV by name and by content', async () => {
    const tsv = await convert(enc('a\tb\n1\t2\n'), { fileName: 'data.tsv' });
    expect(tsv.mediaType).toBe('text/tab-separated-values');
    expect(tsv.markdown).toBe('| a | b |\n| --- | --- |\n| 1 | 2 |\n');
  });

  it('decodes windows-1252 and warns that the encoding was guessed', async () => {
    const bytes = new Uint8Array([...enc('name,city\nJos'), 0xe9, ...enc(',K'), 0xf6, ...enc('ln\n')]);
    const result = await convert(bytes, { fileName: 'x.csv' });
    expect(result.markdown).toContain('| José | Köln |');
    expect(result.warnings.map((w) => w.code)).toContain('encoding_guessed');
  });

  it('decodes UTF-16 with a BOM', async () => {
    const body = Buffer.from('a;b\n1;2\n3;4\n', 'utf16le');
    const bytes = new Uint8Array([0xff, 0xfe, ...body]);
    const result = await convert(bytes, { fileName: 'x.csv' });
    expect(result.markdown).toBe('| a | b |\n| --- | --- |\n| 1 | 2 |\n| 3 | 4 |\n');
  });

  it('cuts very large files at maxCells with a truncated warning', async () => {
    const lines = ['a,b'];
    for (let i = 0; i < 1000; i++) lines.push(`${i},${i * 2}`);
    const result = await convert(enc(lines.join('\n')), { fileName: 'big.csv' }, { limits: { maxCells: 100 } });
    expect(result.warnings.map((w) => w.code)).toContain('truncated');
    expect(result.markdown.trim().split('\n').length).toBe(51);
  });

  it('refuses a file with no values as empty', async () => {
    await expect(convert(enc(',,\n,,\n'), { fileName: 'x.csv' })).rejects.toMatchObject({ code: 'empty' });
    await expect(convert(enc(',,\n,,\n'), { fileName: 'x.csv' })).rejects.toBeInstanceOf(ConversionError);
  });
});

describe("Excel's sep= line", () => {
  it('takes the delimiter from sep= and drops the line', async () => {
    const result = await convert(enc('sep=;\r\nname;price\r\nTea, green;1,50\r\nCoffee;2,00\r\n'), {
      fileName: 'x.csv',
    });
    expect(result.markdown).toBe('| name | price |\n| --- | --- |\n| Tea, green | 1,50 |\n| Coffee | 2,00 |\n');
  });

  it('honours sep= without a file name, quoted, after a BOM, and with a pipe', async () => {
    const quoted = await convert(enc('\ufeff"sep=|"\na|b\n1|2\n'));
    expect(quoted.format).toBe('csv');
    expect(quoted.markdown).toBe('| a | b |\n| --- | --- |\n| 1 | 2 |\n');
  });

  it('overrides what the content would suggest', async () => {
    // Without the line, commas would win (three columns); the line says tab.
    const result = await convert(enc('sep=\t\na,b\tc,d\n1,2\t3,4\n'), { fileName: 'x.csv' });
    expect(result.markdown).toBe('| a,b | c,d |\n| --- | --- |\n| 1,2 | 3,4 |\n');
  });

  it('leaves a first cell that merely starts with sep= alone', async () => {
    const result = await convert(enc('sep=a,b\n1,2\n'), { fileName: 'x.csv' });
    expect(result.markdown).toBe('| sep=a | b |\n| --- | --- |\n| 1 | 2 |\n');
  });

  it('detects sep= in a legacy charset too', async () => {
    const bytes = new Uint8Array([...enc('sep=;\nname;city\nJos'), 0xe9, ...enc(';K'), 0xf6, ...enc('ln\n')]);
    const result = await convert(bytes, { fileName: 'x.csv' });
    expect(result.markdown).toBe('| name | city |\n| --- | --- |\n| José | Köln |\n');
  });
});

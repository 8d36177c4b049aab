/**
 * Legacy charsets: every fixture is a known text encoded in code with iconv-lite, converted, and the known
 * text asserted in the output; BOM / declaration / `charset` option precedence; bounded detection.
 */
import iconv from 'iconv-lite';
import { convert } from '../../shared/engine/engine.ts';
import { decodeText } from '../../shared/engine/text-decode.ts';
import { guessCharset } from '../../shared/engine/charset-guess.ts';

/** One table per charset: header and rows in the language that charset is used for. */
const TABLES: Record<string, string[][]> = {
  Shift_JIS: [
    ['名前', '都市', '説明'],
    ['山田太郎', '東京', '日本の首都です'],
    ['鈴木花子', '大阪', '関西の中心地です'],
    ['佐藤健', '京都', '古い寺がたくさんあります'],
  ],
  GB18030: [
    ['姓名', '城市', '说明'],
    ['张伟', '北京', '中国的首都'],
    ['李娜', '上海', '最大的城市'],
    ['王芳', '广州', '南方的重要城市'],
  ],
  Big5: [
    ['姓名', '城市', '說明'],
    ['張偉', '臺北', '臺灣的首都'],
    ['李娜', '高雄', '南部的港口城市'],
    ['王芳', '臺中', '中部的大城市'],
  ],
  'EUC-KR': [
    ['이름', '도시', '설명'],
    ['김철수', '서울', '대한민국의 수도입니다'],
    ['이영희', '부산', '큰 항구 도시입니다'],
    ['박민수', '대구', '내륙의 도시입니다'],
  ],
  'windows-1251': [
    ['Имя', 'Город', 'Описание'],
    ['Иван', 'Москва', 'Столица России'],
    ['Мария', 'Казань', 'Город на Волге'],
    ['Пётр', 'Новосибирск', 'Крупнейший город Сибири'],
  ],
  'windows-1252': [
    ['Name', 'Stadt', 'Beschreibung'],
    ['Jürgen', 'Köln', 'Größte Stadt am Rhein – schön'],
    ['José', 'München', 'Hauptstadt Bayerns'],
    ['Françoise', 'Besançon', 'Ville française près de la Suisse'],
  ],
  'ISO-8859-2': [
    ['Imię', 'Miasto', 'Opis'],
    ['Łukasz', 'Łódź', 'Miasto włókniarzy'],
    ['Zofia', 'Kraków', 'Dawna stolica Polski'],
    ['Paweł', 'Gdańsk', 'Miasto portowe nad Bałtykiem'],
  ],
};

const csvOf = (rows: string[][], delimiter = ',') => rows.map((r) => r.join(delimiter)).join('\r\n') + '\r\n';
const markdownRow = (r: string[]) => `| ${r.join(' | ')} |`;
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('CSV in legacy charsets', () => {
  it.each(Object.keys(TABLES))('reads a %s CSV cell for cell and names the charset it guessed', async (charset) => {
    const rows = TABLES[charset];
    const bytes = iconv.encode(csvOf(rows), charset);
    const result = await convert(bytes, { fileName: 'data.csv' });
    expect(result.format).toBe('csv');
    for (const r of rows) expect(result.markdown).toContain(markdownRow(r));
    const warning = result.warnings.find((w) => w.code === 'encoding_guessed');
    expect(warning?.message).toMatch(new RegExp(`decoded as ${charset}\\b.*confidence \\d+%`, 'i'));
  });

  it('reads a Shift_JIS TSV', async () => {
    const rows = TABLES.Shift_JIS;
    const result = await convert(iconv.encode(csvOf(rows, '\t'), 'Shift_JIS'), { fileName: 'data.tsv' });
    for (const r of rows) expect(result.markdown).toContain(markdownRow(r));
  });

  it('gives pure ASCII and valid UTF-8 no warning', async () => {
    const ascii = await convert(utf8('a,b\n1,2\n'), { fileName: 'x.csv' });
    const unicode = await convert(utf8('名前,都市\n山田,東京\n'), { fileName: 'x.csv' });
    expect(ascii.warnings).toEqual([]);
    expect(unicode.warnings).toEqual([]);
    expect(unicode.markdown).toContain('| 山田 | 東京 |');
  });

  it('finds the charset when the first non-ASCII byte is past the detection sample', async () => {
    const filler = Array.from({ length: 3000 }, (_, i) => `${i},row number ${i},plain`).join('\n');
    const text = `id,name,note\n${filler}\n9999,山田太郎,東京の会社\n10000,鈴木花子,大阪の大学\n`;
    const bytes = iconv.encode(text, 'Shift_JIS');
    expect(bytes.length).toBeGreaterThan(64 * 1024);
    const result = await convert(bytes, { fileName: 'x.csv' });
    expect(result.markdown).toContain('| 9999 | 山田太郎 | 東京の会社 |');
  });

  it('lets the charset option override detection', async () => {
    // KOI8-R bytes that detection alone would be free to read otherwise; the option settles it.
    const rows = TABLES['windows-1251'];
    const bytes = iconv.encode(csvOf(rows), 'koi8-r');
    const result = await convert(bytes, { fileName: 'x.csv', charset: 'koi8-r' });
    for (const r of rows) expect(result.markdown).toContain(markdownRow(r));
    expect(result.warnings).toEqual([]);
  });

  it('accepts iconv-lite labels the WHATWG standard lacks (cp437)', async () => {
    const bytes = iconv.encode('name,box\nA,╔═╗\nB,ñ½\n', 'cp437');
    const result = await convert(bytes, { fileName: 'x.csv', charset: 'cp437' });
    expect(result.markdown).toContain('| A | ╔═╗ |');
    expect(result.markdown).toContain('| B | ñ½ |');
  });

  it('warns when the charset option names no charset, and detects instead', async () => {
    const rows = TABLES.Shift_JIS;
    const result = await convert(iconv.encode(csvOf(rows), 'Shift_JIS'), { fileName: 'x.csv', charset: 'klingon-8' });
    for (const r of rows) expect(result.markdown).toContain(markdownRow(r));
    expect(result.warnings.some((w) => w.message.includes('"klingon-8" names no known charset'))).toBe(true);
  });

  it.each([
    ['UTF-8', [0xef, 0xbb, 0xbf], 'utf8'],
    ['UTF-16LE', [0xff, 0xfe], 'utf16le'],
    ['UTF-16BE', [0xfe, 0xff], 'utf16-be'],
  ] as const)('lets a %s BOM win over a wrong charset option', async (_name, bom, encoding) => {
    const body = iconv.encode('名前,都市\n山田,東京\n', encoding);
    const bytes = new Uint8Array([...bom, ...body]);
    const result = await convert(bytes, { fileName: 'x.csv', charset: 'windows-1251' });
    expect(result.markdown).toBe('| 名前 | 都市 |\n| --- | --- |\n| 山田 | 東京 |\n');
    expect(result.warnings).toEqual([]);
  });
});

describe('short inputs', () => {
  // chardet alone is unreliable on a line or two; these are the rules of charset-guess.ts at work.
  it.each([
    ['Shift_JIS', 'a,b\n東京,大阪\n'],
    ['Shift_JIS', 'id,name,email\n1,山田,yamada@example.com\n2,John,john@example.com\n'],
    ['GB18030', '城市\n北京\n'],
    ['EUC-KR', '도시\n서울\n'],
    ['Big5', '城市,人口\n臺北,260萬\n'],
    ['windows-1252', 'name,city\nJosé,Köln\n'],
    ['windows-1252', 'Größe,Preis\n12,3€\n'],
    ['windows-1252', 'nom,ville\nFrançois,Besançon\nÉlodie,Orléans\n'],
  ])('reads short %s text: %j', (charset, text) => {
    const decoded = decodeText(iconv.encode(text, charset));
    expect(decoded.text).toBe(text);
    expect(decoded.guessed).toBe(true);
  });

  it('prefers windows-1252 over a Latin charset chardet rates only weakly', () => {
    expect(guessCharset(iconv.encode('name,city\nJosé,Köln\n', 'windows-1252')).charset).toBe('windows-1252');
  });

  it('reads mostly-UTF-8 text with one stray byte as UTF-8, replacing that byte', () => {
    const good = utf8('Grüße aus Köln, schöne Größe, Brücke über die Straße\n');
    const bytes = new Uint8Array([...good, 0xe9, ...utf8('\n')]);
    const decoded = decodeText(bytes);
    expect(decoded.encoding).toBe('utf-8');
    expect(decoded.guessed).toBe(true);
    expect(decoded.text).toContain('Grüße aus Köln');
  });
});

describe('plain text and HTML in legacy charsets', () => {
  const story =
    '吾輩は猫である。名前はまだ無い。\n\nどこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめした所でニャーニャー泣いていた事だけは記憶している。\n';

  it('reads Shift_JIS plain text', async () => {
    const result = await convert(iconv.encode(story, 'Shift_JIS'), { fileName: 'neko.txt' });
    expect(result.format).toBe('text');
    expect(result.markdown).toContain('吾輩は猫である。名前はまだ無い。');
    expect(result.markdown).toContain('ニャーニャー泣いていた');
    expect(result.warnings.map((w) => w.message).join()).toMatch(/decoded as Shift_JIS/);
  });

  it('reads windows-1251 plain text', async () => {
    const text = 'Все счастливые семьи похожи друг на друга, каждая несчастливая семья несчастлива по-своему.\n';
    const result = await convert(iconv.encode(text, 'windows-1251'), { fileName: 'anna.txt' });
    expect(result.markdown).toContain('Все счастливые семьи похожи друг на друга');
  });

  it('reads a charset-less GB18030 page by detection', async () => {
    const html =
      '<html><head><title>北京</title></head><body><h1>北京的历史</h1><p>北京是中华人民共和国的首都，有三千多年的历史。</p></body></html>';
    const result = await convert(iconv.encode(html, 'GB18030'), { fileName: 'page.html' });
    expect(result.format).toBe('html');
    expect(result.markdown).toContain('# 北京的历史');
    expect(result.markdown).toContain('北京是中华人民共和国的首都，有三千多年的历史。');
    expect(result.warnings.map((w) => w.message).join()).toMatch(/decoded as GB18030/);
  });

  it('lets a <meta charset> win over detection and over the charset option', async () => {
    // EUC-KR bytes declared as such: detection might say otherwise, and the option says windows-1251.
    const html =
      '<html><head><meta charset="euc-kr"><title>서울</title></head><body><p>서울은 대한민국의 수도입니다.</p></body></html>';
    const result = await convert(iconv.encode(html, 'EUC-KR'), { fileName: 'page.html', charset: 'windows-1251' });
    expect(result.markdown).toContain('서울은 대한민국의 수도입니다.');
    expect(result.warnings).toEqual([]);
  });

  it('applies the charset option to a page without a declaration', async () => {
    const html = '<html><body><p>Привет, мир</p></body></html>';
    const result = await convert(iconv.encode(html, 'koi8-r'), { fileName: 'page.html', charset: 'koi8-r' });
    expect(result.markdown).toContain('Привет, мир');
    expect(result.warnings).toEqual([]);
  });
});

describe('bounded detection', () => {
  it('decodes a multi-megabyte legacy file in linear time', () => {
    const row = '山田太郎,東京,日本の首都です\n';
    const bytes = iconv.encode(row.repeat(200_000), 'Shift_JIS');
    const started = performance.now();
    const decoded = decodeText(bytes);
    const elapsed = performance.now() - started;
    expect(decoded.encoding).toBe('Shift_JIS');
    expect(decoded.text.length).toBe(row.length * 200_000);
    expect(elapsed).toBeLessThan(5000);
  });
});

import { downloadName } from '../../../shared/service/jobs/download-name.ts';

test('only the last path component, the extension replaced', () => {
  expect(downloadName('report.docx', 'md')).toBe('report.md');
  expect(downloadName('../../etc/passwd.docx', 'md')).toBe('passwd.md');
  expect(downloadName('C:\\Users\\me\\Q3 plan.pdf', 'json')).toBe('Q3 plan.json');
  expect(downloadName('archive.tar.gz', 'md')).toBe('archive.tar.md');
});

test('bidi controls and other control characters are removed (a name cannot display as another)', () => {
  // "invoice‮fdp.exe" displays as "invoiceexe.pdf" in a bidi-aware UI.
  expect(downloadName('invoice\u202Efdp.exe.docx', 'md')).toBe('invoicefdp.exe.md');
  expect(downloadName('a\u2066b\u2069c\u200F\u061C.docx', 'md')).toBe('abc.md');
  expect(downloadName('line\r\nbreak\u0000.txt', 'md')).toBe('linebreak.md');
  expect(downloadName('Café — résumé.docx', 'md')).toBe('Café — résumé.md');
});

test('never empty, never a dot name', () => {
  expect(downloadName('', 'md')).toBe('result.md');
  expect(downloadName('..', 'md')).toBe('result.md');
  expect(downloadName('dir/', 'md')).toBe('result.md');
  expect(downloadName('\u202E.docx', 'md')).toBe('result.md');
  expect(downloadName(`${'x'.repeat(500)}.docx`, 'md')).toBe(`${'x'.repeat(200)}.md`);
});

test('always encodable: the cut keeps whole emoji, a lone surrogate becomes U+FFFD', () => {
  const long = downloadName(`a${'\u{1F600}'.repeat(127)}.txt`, 'md');
  expect(long).toBe(`a${'\u{1F600}'.repeat(127)}.md`);
  const cut = downloadName(`${'\u{1F600}'.repeat(300)}.txt`, 'md');
  expect(cut).toBe(`${'\u{1F600}'.repeat(200)}.md`);
  expect(downloadName('a\ud800b\udc00.txt', 'md')).toBe('a\ufffdb\ufffd.md');
  for (const name of [long, cut, downloadName('a\ud800.txt', 'md')])
    expect(() => encodeURIComponent(name)).not.toThrow();
});

/**
 * Detection runs on every upload before any sandbox: it must be linear in its input. These inputs made the
 * old prolog pattern backtrack exponentially (225 bytes of `<!---->` took 27 s; each 7 more bytes doubled it),
 * so with the old code this file never finishes.
 */
import fc from 'fast-check';
import { detectFormat } from '../../shared/engine/detect.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('detection on adversarial markup', () => {
  test.each([
    ['empty comments, no root', '<!---->'.repeat(2000) + 'x'],
    ['empty comments then a root', '<!---->'.repeat(2000) + '<html><body>x</body></html>'],
    ['nested-looking comments', '<!--<!--'.repeat(2000) + '-->'],
    ['unterminated comment', '<?xml version="1.0"?><!--' + '-'.repeat(20000)],
    ['dashes and closers', '<!--' + '--->'.repeat(5000)],
  ])('%s ends with a format', (_name, text) => {
    expect(detectFormat(enc(text)).format).toMatch(/^(html|text|markdown)$/);
  });

  test.each([
    ['brackets', '['.repeat(8192) + '\n# Title\n'],
    ['line ends', '\n'.repeat(8192)],
    ['line separators', '\u2028'.repeat(8192)],
    ['brackets then a link', '['.repeat(8000) + '](u)'],
  ])('Markdown signals over 8 KB of %s are read in linear time', (_name, text) => {
    expect(detectFormat(enc(text)).format).toMatch(/^(text|markdown)$/);
  });

  test('Markdown signals are found as before', () => {
    const signals = (s: string) => detectFormat(enc(s)).format;
    expect(signals('x [a link](http://e.com) and\n- an item\n')).toBe('markdown');
    expect(signals('x [a [nested](http://e.com)\n  \n  * an item\n')).toBe('markdown');
    expect(signals('[x[](u) here\n\n\t- item\n')).toBe('markdown');
    expect(signals('| a | b |\n|  :---|---|\n')).toBe('markdown');
    expect(signals('| a | b |\n\n   ---|---|\n')).toBe('markdown');
    expect(signals('a [link](u)\n\n\n   not a list\n')).toBe('text');
    expect(signals('[](u)\n- item\n')).toBe('text');
  });

  test('comments before the root are skipped as before', () => {
    expect(detectFormat(enc('<?xml version="1.0"?>\n<!-- a -->\n<!-- b --> <!DOCTYPE html><p>x</p>')).format).toBe(
      'html',
    );
    expect(detectFormat(enc('<!---->'.repeat(50) + '<html lang="en"><p>x</p></html>')).format).toBe('html');
  });

  test('any mix of comment fragments is detected without blowing up', () => {
    const token = fc.constantFrom(
      '<!--',
      '-->',
      '-',
      '<',
      '>',
      ' ',
      '\n',
      '<html>',
      '<!doctype html>',
      'a',
      '<?xml ?>',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 600 }), (parts) => {
        const result = detectFormat(enc(parts.join('') || 'x'));
        expect(typeof result.format).toBe('string');
      }),
      { numRuns: 300 },
    );
  });
});

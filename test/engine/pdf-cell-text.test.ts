import {
  withoutLeadingLeader,
  withoutTrailingCurrency,
  withoutTrailingLeader,
} from '../../shared/engine/formats/pdf/cell-text.ts';

describe('pdf table cell text trimming', () => {
  it('drops a dot leader at either end of a cell, with the space before it', () => {
    expect(withoutTrailingLeader('Any Injury ........')).toBe('Any Injury');
    expect(withoutTrailingLeader('Total . . . . . ')).toBe('Total');
    expect(withoutTrailingLeader('Notes ·····')).toBe('Notes');
    expect(withoutTrailingLeader('Chapter …………')).toBe('Chapter');
    expect(withoutTrailingLeader('...... ')).toBe('');
    expect(withoutLeadingLeader('....... 12.5')).toBe('12.5');
  });

  it('keeps text whose dots are too few or not at the end', () => {
    expect(withoutTrailingLeader('etc...')).toBe('etc...');
    expect(withoutTrailingLeader('1.2.3.')).toBe('1.2.3.');
    expect(withoutTrailingLeader('wait .... then')).toBe('wait .... then');
    expect(withoutTrailingLeader('gap .  ....')).toBe('gap .');
    expect(withoutTrailingLeader('')).toBe('');
  });

  it('drops a currency sign at the end of a cell and trims it', () => {
    expect(withoutTrailingCurrency(' 1,200 $')).toBe('1,200');
    expect(withoutTrailingCurrency('Amount €')).toBe('Amount');
    expect(withoutTrailingCurrency('$ 12 ')).toBe('$ 12');
    expect(withoutTrailingCurrency('£')).toBe('');
  });

  // A hostile PDF can put one run of 200,000 spaces or dots in a cell; the former patterns retried from each of
  // them (a minute per cell).
  it('reads cells of 200,000 spaces or dots in linear time', () => {
    const spaces = ' '.repeat(200_000);
    const dots = '.'.repeat(200_000);
    expect(withoutTrailingCurrency(`a${spaces}x`)).toBe(`a${spaces}x`);
    expect(withoutTrailingCurrency(`a${spaces}$`)).toBe('a');
    expect(withoutTrailingLeader(`a${dots}x`)).toBe(`a${dots}x`);
    expect(withoutTrailingLeader(`a${spaces}x`)).toBe(`a${spaces}x`);
    expect(withoutTrailingLeader(`a ${'. '.repeat(100_000)}`)).toBe('a');
    expect(withoutLeadingLeader(`${dots}x`)).toBe('x');
  });
});

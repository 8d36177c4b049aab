/** xlsx: placeholder until its converter lands; refuses with a typed error rather than returning nothing. */
import type { Converter } from '../../types.ts';
import { unsupported } from '../../errors.ts';

export const xlsxConverter: Converter = {
  name: 'xlsx',
  accepts: (input) => input.format === 'xlsx',
  async convert() {
    throw unsupported('xlsx conversion is not implemented yet');
  },
};

/** xls: placeholder until its converter lands; refuses with a typed error rather than returning nothing. */
import type { Converter } from '../../types.ts';
import { unsupported } from '../../errors.ts';

export const xlsConverter: Converter = {
  name: 'xls',
  accepts: (input) => input.format === 'xls',
  async convert() {
    throw unsupported('xls conversion is not implemented yet');
  },
};

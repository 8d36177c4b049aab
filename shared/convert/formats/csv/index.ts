/** csv: placeholder until its converter lands; refuses with a typed error rather than returning nothing. */
import type { Converter } from '../../types.ts';
import { unsupported } from '../../errors.ts';

export const csvConverter: Converter = {
  name: 'csv',
  accepts: (input) => input.format === 'csv',
  async convert() {
    throw unsupported('csv conversion is not implemented yet');
  },
};

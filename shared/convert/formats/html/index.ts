/** html: placeholder until its converter lands; refuses with a typed error rather than returning nothing. */
import type { Converter } from '../../types.ts';
import { unsupported } from '../../errors.ts';

export const htmlConverter: Converter = {
  name: 'html',
  accepts: (input) => input.format === 'html',
  async convert() {
    throw unsupported('html conversion is not implemented yet');
  },
};

/** pdf: placeholder until its converter lands; refuses with a typed error rather than returning nothing. */
import type { Converter } from '../../types.ts';
import { unsupported } from '../../errors.ts';

export const pdfConverter: Converter = {
  name: 'pdf',
  accepts: (input) => input.format === 'pdf',
  async convert() {
    throw unsupported('pdf conversion is not implemented yet');
  },
};

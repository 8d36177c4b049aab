/** pptx: placeholder until its converter lands; refuses with a typed error rather than returning nothing. */
import type { Converter } from '../../types.ts';
import { unsupported } from '../../errors.ts';

export const pptxConverter: Converter = {
  name: 'pptx',
  accepts: (input) => input.format === 'pptx',
  async convert() {
    throw unsupported('pptx conversion is not implemented yet');
  },
};

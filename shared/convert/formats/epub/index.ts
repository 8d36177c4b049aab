/** epub: placeholder until its converter lands; refuses with a typed error rather than returning nothing. */
import type { Converter } from '../../types.ts';
import { unsupported } from '../../errors.ts';

export const epubConverter: Converter = {
  name: 'epub',
  accepts: (input) => input.format === 'epub',
  async convert() {
    throw unsupported('epub conversion is not implemented yet');
  },
};

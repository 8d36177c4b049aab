/** image: placeholder until its converter lands; refuses with a typed error rather than returning nothing. */
import type { Converter } from '../../types.ts';
import { unsupported } from '../../errors.ts';

export const imageConverter: Converter = {
  name: 'image',
  accepts: (input) => input.format === 'image',
  async convert() {
    throw unsupported('image conversion is not implemented yet');
  },
};

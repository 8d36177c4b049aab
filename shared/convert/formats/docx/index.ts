/** docx: placeholder until its converter lands; refuses with a typed error rather than returning nothing. */
import type { Converter } from '../../types.ts';
import { unsupported } from '../../errors.ts';

export const docxConverter: Converter = {
  name: 'docx',
  accepts: (input) => input.format === 'docx',
  async convert() {
    throw unsupported('docx conversion is not implemented yet');
  },
};

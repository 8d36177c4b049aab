/**
 * The per-page operator-list cache: one fetch per page while the page is read, none kept once it is released.
 * pdf.js keeps every page object until the document is destroyed, so a list cached by page and never released
 * stayed alive for the whole document (hundreds of MB on a long PDF with ruled pages).
 */
import { operatorListOf, releaseOperatorList } from '../../shared/engine/formats/pdf/operator-list.ts';
import type { PdfPage } from '../../shared/engine/formats/pdf/load.ts';

function fakePage() {
  let fetches = 0;
  const page = {
    getOperatorList: () => {
      fetches++;
      return Promise.resolve({ fnArray: [fetches], argsArray: [] });
    },
  };
  return { page: page as unknown as PdfPage, fetches: () => fetches };
}

describe('operator-list cache', () => {
  it('fetches a page once while cached and again after release', async () => {
    const { page, fetches } = fakePage();
    const first = await operatorListOf(page);
    expect(await operatorListOf(page)).toBe(first);
    expect(fetches()).toBe(1);
    releaseOperatorList(page);
    const again = await operatorListOf(page);
    expect(again).not.toBe(first);
    expect(fetches()).toBe(2);
  });

  it('keeps pages apart', async () => {
    const a = fakePage();
    const b = fakePage();
    await operatorListOf(a.page);
    releaseOperatorList(b.page); // releasing another page leaves this one cached
    await operatorListOf(a.page);
    expect(a.fetches()).toBe(1);
    expect(b.fetches()).toBe(0);
  });
});

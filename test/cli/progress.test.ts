/**
 * Warnings on the terminal: the page is named once. Engine messages name their page themselves (the JSON and the
 * API show the message alone); the CLI adds "page N:" only to a message that does not.
 */
import { Progress, warningText } from '../../shared/cli/progress.ts';

describe('warning lines', () => {
  test('a message that names its page is printed as is', () => {
    const w = { code: 'content_dropped' as const, message: 'page 1: 43 of 392 characters were lost', page: 1 };
    expect(warningText(w)).toBe('page 1: 43 of 392 characters were lost');
    expect(warningText({ code: 'page_failed', message: 'slide 3 could not be read: bad XML', page: 3 })).toBe(
      'slide 3 could not be read: bad XML',
    );
    expect(warningText({ code: 'ocr_failed', message: 'OCR of page 12 failed: timeout', page: 12 })).toBe(
      'OCR of page 12 failed: timeout',
    );
  });

  test('a message that does not name its page gets it once; one without a page is unchanged', () => {
    expect(warningText({ code: 'ocr_failed', message: 'OCR failed: timeout', page: 2 })).toBe(
      'page 2: OCR failed: timeout',
    );
    // "page 1" inside "page 12" is not page 1.
    expect(warningText({ code: 'ocr_failed', message: 'as on page 12', page: 1 })).toBe('page 1: as on page 12');
    expect(warningText({ code: 'needs_ocr', message: 'no text layer' })).toBe('no text layer');
  });

  test('the stderr line of a single document carries the page prefix once', () => {
    let written = '';
    const progress = new Progress({ total: 1, batch: false, quiet: false, stream: { write: (t) => (written += t) } });
    progress.succeeded('a.pdf', 10, [
      { code: 'content_dropped', message: 'page 1: 43 of 392 characters did not reach the Markdown', page: 1 },
    ]);
    expect(written).toBe(
      '  warning: a.pdf: [content_dropped] page 1: 43 of 392 characters did not reach the Markdown\n',
    );
  });
});

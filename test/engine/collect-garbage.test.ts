/**
 * A full collection on request (shared/engine/collect-garbage.ts): garbage a long conversion dropped is freed
 * at once instead of when V8 next decides to; the parser thread is asked the same after a long PDF.
 */
import v8 from 'node:v8';
import { COLLECT_AFTER_PAGES, collectGarbage } from '../../shared/engine/collect-garbage.ts';
import { convert } from '../../shared/engine/engine.ts';
import { buildPdf } from '../fixtures/hostile.ts';

const usedMb = () => v8.getHeapStatistics().used_heap_size / 2 ** 20;

describe('collectGarbage', () => {
  it('frees dropped objects now: 60 MB of dropped arrays leave the heap', () => {
    // Built in a function of its own, so nothing on this frame keeps the arrays once it returns.
    const before = (() => {
      const held = Array.from({ length: 60 }, () => Array.from({ length: 131_072 }, (_, i) => i + 0.5));
      return held.length === 60 ? usedMb() : 0;
    })();
    collectGarbage();
    expect(usedMb()).toBeLessThan(before - 40);
  });

  it('is a no-op the second time round, not an error', () => {
    expect(() => {
      collectGarbage();
      collectGarbage();
    }).not.toThrow();
  });

  it('a long PDF asks the parser thread to collect, and the thread serves the next document', async () => {
    const pages = Array.from({ length: COLLECT_AFTER_PAGES + 5 }, (_, i) => [`Page ${i + 1} says hello.`]);
    const first = await convert(buildPdf(pages), {}, {});
    expect(first.pageCount).toBe(COLLECT_AFTER_PAGES + 5);
    expect(first.markdown).toContain(`Page ${COLLECT_AFTER_PAGES + 5} says hello.`);
    // The same parser thread, after the collection message: a crash there would fail this one.
    const second = await convert(buildPdf([['After the collection.']]), {}, {});
    expect(second.markdown).toContain('After the collection.');
  });
});

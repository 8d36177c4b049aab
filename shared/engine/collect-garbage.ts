/**
 * A full garbage collection of the calling thread's heap, at a point where a long conversion has just dropped
 * most of what it held. Why: V8 grows a heap by a factor of its live size (about 2–3× with a 1 GB ceiling) and
 * collects lazily, so a thread that built 720 pages of layout holds them as garbage next to what comes next:
 * measured on a 720-page text PDF, the converter's heap was 89 MB (37 MB live) when serialization began and
 * grew to 136 MB; the parser thread kept ~90 MB after its document was destroyed. Collecting at those two
 * points cut the process's peak resident set by ~15–25 MB at no measurable cost in time (one full collection,
 * tens of ms, against seconds of conversion).
 *
 * Node exposes no collection API without `--expose-gc` at start-up; setting the flag at run time makes V8
 * install `gc` in contexts created afterwards, so one new context supplies it. The flag is process-wide and
 * only adds that function to new contexts.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | undefined;

/** Runs a full collection now (blocking, tens of ms for a heap of ~100 MB); a no-op where V8 refuses. */
export function collectGarbage(): void {
  try {
    if (!gc) {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    }
    gc();
  } catch {
    gc = () => {};
  }
}

/** Documents with at least this many pages are worth a collection at their end (smaller ones hold little). */
export const COLLECT_AFTER_PAGES = 100;

/** The message an engine thread posts to a helper thread (pdf.js's parser) to have it collect. */
export const COLLECT_MESSAGE = 'mdraft:collect';

/**
 * Two changes to pdf.js's worker code (`pdfjs-dist/legacy/build/pdf.worker.mjs`), applied to its source as
 * Node loads it (`module.registerHooks`), in the thread that runs it. Both leave every result pdf.js gives
 * as it was; they only remove work. Found with --cpu-prof on a 360-page text PDF (the corpus's docling text
 * PDFs concatenated, issue 13's benchmark document); each patch's `why` gives its measured share.
 *
 * Each patch names an exact text that must occur once in the worker's source. A pdf.js release that changes
 * the text leaves that patch out (reported by `applyPdfjsWorkerPatches`, and `test/engine/pdfjs-patches.test.ts`
 * fails on the installed version), and the engine still works as it did before the patch: names come from the
 * operator list (`fonts.ts`, `needsFontNames`), states are cloned pdf.js's way.
 *
 * Not in jest's module loader: tests that import the worker in-process get pdf.js as shipped (the parser
 * thread, a real Node thread, is patched there too).
 */
import nodeModule from 'node:module';

export interface PdfjsPatch {
  name: string;
  why: string;
  find: string;
  replace: string;
}

export const PDFJS_WORKER_PATCHES: readonly PdfjsPatch[] = [
  {
    name: 'text-content-sends-fonts',
    why:
      'pdf.js hands a font (its real name, bold and italic flags) to the API side only from an operator list, ' +
      'so the engine fetched one for every page that brought a new font (fonts.ts). Building it re-reads the ' +
      "page's content and copies the whole list across threads: 0.5 s of 6.4 and 65 MB of peak RSS on the " +
      '360-page benchmark. Text extraction loads the same font object; sending it from there (once per font ' +
      'and document, as the operator list does) gives the API side the same font without the list.',
    find: `      const translated = await self.loadFont(fontName, fontRef, resources, task, null, null, seenRefs);
      textState.loadedName = translated.loadedName;`,
    replace: `      const translated = await self.loadFont(fontName, fontRef, resources, task, null, null, seenRefs);
      translated.send(self.handler);
      textState.loadedName = translated.loadedName;`,
  },
  {
    name: 'text-state-clone',
    why:
      'TextState.clone (every `q` in a content stream) made each clone inherit from the state it copies ' +
      '(Object.create(this)): every saved state became a prototype, which V8 re-shapes, and text states got ' +
      'a new hidden class each, so every access to them went megamorphic. 320 ms of self time in the parser ' +
      'thread on the 360-page benchmark. All of a state’s fields are its own (class fields, copied on ' +
      'each clone) and a saved state is never written, so inheriting from the class prototype reads the same.',
    find: `  clone() {
    const clone = Object.assign(Object.create(this), this);
    clone.textMatrix = this.textMatrix.slice();`,
    replace: `  clone() {
    const clone = Object.assign(Object.create(Object.getPrototypeOf(this)), this);
    clone.textMatrix = this.textMatrix.slice();`,
  },
];

/**
 * `source` with every patch applied whose `find` text occurs exactly once (pdf.js's worker source, UTF-8 text).
 * @returns the patched source and the names of the patches applied and skipped.
 */
export function applyPdfjsWorkerPatches(
  source: string,
  patches: readonly PdfjsPatch[] = PDFJS_WORKER_PATCHES,
): { source: string; applied: string[]; skipped: string[] } {
  const applied: string[] = [];
  const skipped: string[] = [];
  for (const patch of patches) {
    const at = source.indexOf(patch.find);
    if (at < 0 || source.indexOf(patch.find, at + 1) >= 0) {
      skipped.push(patch.name);
      continue;
    }
    source = source.slice(0, at) + patch.replace + source.slice(at + patch.find.length);
    applied.push(patch.name);
  }
  return { source, applied, skipped };
}

let registered = false;

/**
 * Patches pdf.js's worker module when this thread next loads it (call before the first import of
 * `pdfjs-dist/legacy/build/pdf.worker.mjs`; later calls do nothing). Without `module.registerHooks` (Node
 * before 22.15) the worker loads unpatched.
 */
export function patchPdfjsWorkerOnLoad(): void {
  if (registered) return;
  registered = true;
  const register = (nodeModule as { registerHooks?: typeof nodeModule.registerHooks }).registerHooks;
  if (!register) return;
  // jest's module shim throws here: there the worker loads as shipped.
  try {
    register({
      load(url, context, nextLoad) {
        const result = nextLoad(url, context);
        if (!url.endsWith('/pdfjs-dist/legacy/build/pdf.worker.mjs') || result.source == null) return result;
        const text =
          typeof result.source === 'string' ? result.source : Buffer.from(result.source as Uint8Array).toString('utf8');
        return { ...result, source: applyPdfjsWorkerPatches(text).source };
      },
    });
  } catch {
    return;
  }
}

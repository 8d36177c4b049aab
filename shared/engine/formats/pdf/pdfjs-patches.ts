/**
 * Changes to pdf.js's worker code (`pdfjs-dist/legacy/build/pdf.worker.mjs`), applied to its source as
 * Node loads it (`module.registerHooks`), in the thread that runs it. Each leaves every result pdf.js gives
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
  {
    name: 'text-transform-scalar',
    why:
      'getCurrentTextTransform runs twice per glyph of text extraction (the position check, then the item’s ' +
      'last transform) and built three arrays each time (the text-space matrix, an intermediate product and ' +
      'the result): 240 ms of self time and much of the parser thread’s garbage collection on the 360-page ' +
      'benchmark. The same products, term by term in the same order (multiplications by zero kept, so signs ' +
      'of zero and NaNs come out the same), with only the result allocated.',
    find: `      if (font.isType3Font && (textState.fontSize <= 1 || font.isCharBBox) && !isArrayEqual(textState.fontMatrix, FONT_IDENTITY_MATRIX)) {
        const glyphHeight = font.bbox[3] - font.bbox[1];
        if (glyphHeight > 0) {
          tsm[3] *= glyphHeight * textState.fontMatrix[3];
        }
      }
      return Util.transform(textState.ctm, Util.transform(textState.textMatrix, tsm));`,
    replace: `      if (font.isType3Font && (textState.fontSize <= 1 || font.isCharBBox) && !isArrayEqual(textState.fontMatrix, FONT_IDENTITY_MATRIX)) {
        const glyphHeight = font.bbox[3] - font.bbox[1];
        if (glyphHeight > 0) {
          tsm[3] *= glyphHeight * textState.fontMatrix[3];
        }
      }
      const t = textState.textMatrix, c = textState.ctm;
      const s0 = tsm[0], s1 = tsm[1], s2 = tsm[2], s3 = tsm[3], s4 = tsm[4], s5 = tsm[5];
      const i0 = t[0] * s0 + t[2] * s1, i1 = t[1] * s0 + t[3] * s1, i2 = t[0] * s2 + t[2] * s3;
      const i3 = t[1] * s2 + t[3] * s3, i4 = t[0] * s4 + t[2] * s5 + t[4], i5 = t[1] * s4 + t[3] * s5 + t[5];
      return [c[0] * i0 + c[2] * i1, c[1] * i0 + c[3] * i1, c[0] * i2 + c[2] * i3, c[1] * i2 + c[3] * i3, c[0] * i4 + c[2] * i5 + c[4], c[1] * i4 + c[3] * i5 + c[5]];`,
  },
  {
    name: 'inflate-sync',
    why:
      'pdf.js inflates every Flate stream of 1 KB or more through a DecompressionStream: in Node a web stream ' +
      'over an asynchronous zlib handle, with a thread-pool round trip, stream machinery and an event-loop ' +
      'turn per content stream. On the 360-page benchmark that was ~0.35 s of the parser thread, the busier of ' +
      'the two. zlib.inflateSync is the same zlib on the same bytes; when it throws (damaged or truncated ' +
      'data) the result is the same `decompressed: null` that sends pdf.js to its own JavaScript decoder. An ' +
      "output under 32 KB is a view into Node's shared Buffer pool, which cannot be transferred: pdf.js " +
      "transfers an image's bytes as decoded (a 1-bit mask, 8-bit RGB), and rendering such a page for OCR " +
      'hung or lost the image, so an output that does not own its whole ArrayBuffer is copied.',
    find: `    try {
      const {
        readable,
        writable
      } = new DecompressionStream(name);`,
    replace: `    try {
      const zlib = name === "deflate" ? globalThis.process?.getBuiltinModule?.("node:zlib") : undefined;
      if (zlib) {
        const out = zlib.inflateSync(bytes);
        return {
          decompressed: out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? new Uint8Array(out.buffer) : new Uint8Array(out),
          compressed: bytes
        };
      }
      const {
        readable,
        writable
      } = new DecompressionStream(name);`,
  },
];

/**
 * `source` with every patch applied whose `find` text occurs exactly once in it (pdf.js's worker source, UTF-8
 * text); of two patches whose texts overlap, the one found later is skipped.
 * @returns the patched source and the names of the patches applied and skipped, each in the order of `patches`.
 */
export function applyPdfjsWorkerPatches(
  source: string,
  patches: readonly PdfjsPatch[] = PDFJS_WORKER_PATCHES,
): { source: string; applied: string[]; skipped: string[] } {
  const applied: string[] = [];
  const skipped: string[] = [];
  // Every search runs on the one original string and the result is joined once: patching the 2.4 MB source in
  // place re-flattened it after each patch (67 ms of the parser thread's start-up with four patches).
  const edits: { at: number; patch: PdfjsPatch }[] = [];
  for (const patch of patches) {
    const at = source.indexOf(patch.find);
    if (at < 0 || source.indexOf(patch.find, at + 1) >= 0) skipped.push(patch.name);
    else edits.push({ at, patch });
  }
  edits.sort((a, b) => a.at - b.at);
  const parts: string[] = [];
  let from = 0;
  for (const { at, patch } of edits) {
    // Two finds that overlap cannot both be applied: the later one is skipped.
    if (at < from) {
      skipped.push(patch.name);
      continue;
    }
    parts.push(source.slice(from, at), patch.replace);
    from = at + patch.find.length;
    applied.push(patch.name);
  }
  parts.push(source.slice(from));
  const order = (names: string[]) => patches.map((p) => p.name).filter((n) => names.includes(n));
  return { source: parts.join(''), applied: order(applied), skipped: order(skipped) };
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

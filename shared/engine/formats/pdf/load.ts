/**
 * Loading a PDF with pdf.js in Node: hardened options, the worker run in-process, and pdf.js failures mapped to
 * our typed errors. Nothing here touches the network; the only files read are pdf.js's own font/CMap data.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { corrupt, encrypted } from '../../errors.ts';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
export type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;
export type PdfPage = Awaited<ReturnType<PdfDocument['getPage']>>;
export type PdfWorker = InstanceType<PdfJs['PDFWorker']>;

let pdfjsPromise: Promise<PdfJs> | undefined;
let inProcessWorker: Promise<void> | undefined;

/** pdf.js's API, loaded once, lazily (it is large). */
export function loadPdfJs(): Promise<PdfJs> {
  pdfjsPromise ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjsPromise;
}

/**
 * pdf.js's worker code in this thread (its "fake worker"), for documents opened without a parser thread: it is
 * imported here and handed over through `globalThis.pdfjsWorker`, so pdf.js does not resolve a worker path.
 */
function loadInProcessWorker(): Promise<void> {
  inProcessWorker ??= (async () => {
    // The worker module ships without type declarations; only its WorkerMessageHandler export is used.
    const workerModule: string = 'pdfjs-dist/legacy/build/pdf.worker.mjs';
    // Imported here, not at the top: this module also reaches the CLI's main thread, which loads nothing of
    // pdf.js's (test/cli/cli.test.ts checks it); only a thread that runs the worker code needs the patches.
    (await import('./pdfjs-patches.ts')).patchPdfjsWorkerOnLoad();
    const worker: unknown = await import(workerModule);
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
  })();
  return inProcessWorker;
}

/** Folders of our own pdfjs-dist install (file paths with a trailing slash, as pdf.js requires). */
function packageFolders() {
  const require = createRequire(import.meta.url);
  const root = path.dirname(require.resolve('pdfjs-dist/package.json'));
  const folder = (name: string) => path.join(root, name) + path.sep;
  return { standardFontDataUrl: folder('standard_fonts'), cMapUrl: folder('cmaps'), wasmUrl: folder('wasm') };
}
let folders: ReturnType<typeof packageFolders> | undefined;

/**
 * `forRendering: false` (text extraction) skips decoding images altogether: they are neither needed for text
 * nor cheap. Rendering for OCR opens the document again with images, each up to `maxImagePixels` (width ×
 * height from its dictionary: pdf.js leaves larger ones out of the render instead of decoding them).
 * `worker`: a pdf.js worker running in another thread (`parser-thread.ts`); without one, pdf.js's worker code
 * runs in this thread.
 */
export async function openPdf(
  bytes: Uint8Array,
  password?: string,
  {
    forRendering = false,
    maxImagePixels = -1,
    worker,
  }: { forRendering?: boolean; maxImagePixels?: number; worker?: PdfWorker } = {},
): Promise<PdfDocument> {
  const pdfjs = await loadPdfJs();
  if (!worker) await loadInProcessWorker();
  folders ??= packageFolders();
  // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
  // pdf.js 6 has no eval code path left (CVE-2024-4367 class); `isEvalSupported: false` is still passed so an
  // older build picked up by accident stays hardened.
  const hardening = { isEvalSupported: false } as object;
  const task = pdfjs.getDocument({
    ...hardening,
    data: new Uint8Array(bytes),
    password,
    disableFontFace: true,
    useSystemFonts: false,
    fontExtraProperties: true,
    stopAtErrors: false,
    disableRange: true,
    disableStream: true,
    disableAutoFetch: true,
    verbosity: 0,
    maxImageSize: forRendering ? maxImagePixels : 1,
    cMapPacked: true,
    ...folders,
    ...(worker ? { worker } : {}),
  });
  try {
    return await task.promise;
  } catch (error) {
    await task.destroy().catch(() => undefined);
    throw mapLoadError(error);
  }
}

function mapLoadError(error: unknown): Error {
  const name = (error as { name?: string })?.name;
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'PasswordException') {
    // code 1: a password is needed; code 2: the one given is wrong.
    const code = (error as { code?: number }).code;
    return encrypted(
      code === 2 ? 'the PDF password is incorrect' : 'the PDF is password-protected; a password is required',
    );
  }
  return corrupt(`the PDF could not be opened: ${message}`, error);
}

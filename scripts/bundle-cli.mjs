#!/usr/bin/env node
/**
 * Bundles the `mdraft` command for start-up speed (run by `npm run build` after tsc): `dist/cli/mdraft.js` (the
 * CLI's main thread), `dist/cli/sandbox-worker.js` (the conversion worker with the engine), `dist/cli/pdfjs-thread.js`
 * (pdf.js's parser thread) and the OCR adapters
 * the workers load by URL (`dist/cli/local/tesseract-ocr.js`, `dist/cli/gcp/document-ai-ocr.js`), plus shared
 * chunks, all ES modules. `bin/mdraft.js` runs the bundle when it exists, else `dist/shared/cli/main.js`.
 *
 * Why: a one-page DOCX loads about 200 modules across the main thread and the worker; resolving each one
 * (package.json lookups, stat calls, URL handling) cost more CPU than converting the document (measured with
 * --cpu-prof: node:internal/modules/esm/* dominated both threads). One file per entry plus a few chunks
 * removes that. Code splitting keeps lazy imports lazy: each format's converter, each command's module and
 * the Markdown parser stay in their own chunks, loaded only when used.
 *
 * Kept external (loaded from node_modules at run time, as from dist/shared): pdf.js (its worker and font
 * data are found by package path), tesseract.js and its WebAssembly, @napi-rs/canvas (native), the Google
 * Cloud clients, and everything the service side uses. The relative URLs the code builds from
 * `import.meta.url` (`./sandbox-worker.js`, `./local/tesseract-ocr.js`) hold because every entry and chunk
 * sits in `dist/cli/` at the same depth as in the source tree's folders they name.
 *
 * Usage: node scripts/bundle-cli.mjs [--outdir DIR]  (default dist/cli; DIR must lie inside the project, so
 * the external packages resolve from its node_modules)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--outdir');
const outdir = at > 0 ? path.resolve(process.argv[at + 1]) : path.join(root, 'dist', 'cli');

fs.rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: {
    mdraft: 'shared/cli/main.ts',
    'sandbox-worker': 'shared/engine/sandbox-worker.ts',
    // pdf.js's parser thread (formats/pdf/parser-thread.ts starts it by URL, `./pdfjs-thread.js`).
    'pdfjs-thread': 'shared/engine/formats/pdf/pdfjs-thread.ts',
    'local/tesseract-ocr': 'shared/adapters/local/tesseract-ocr.ts',
    'gcp/document-ai-ocr': 'shared/adapters/gcp/document-ai-ocr.ts',
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  // Chunks beside the entries: `import.meta.url`-relative URLs resolve the same from every file.
  chunkNames: '[name]-[hash]',
  external: [
    'pdfjs-dist',
    'pdfjs-dist/*',
    'tesseract.js',
    '@napi-rs/canvas',
    '@google-cloud/*',
    '@tesseract.js-data/*',
    'firebase-admin',
    'firebase-admin/*',
    'stripe',
    '@sentry/*',
  ],
  // CommonJS dependencies bundled into ES modules (iconv-lite, saxes) call `require` for Node built-ins.
  banner: {
    js: "import { createRequire as __mdraftRequire } from 'node:module'; const require = __mdraftRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
});
fs.writeFileSync(path.join(outdir, 'package.json'), '{ "type": "module" }\n');

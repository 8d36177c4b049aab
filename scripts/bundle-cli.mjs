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
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--outdir');
const outdir = at > 0 ? path.resolve(process.argv[at + 1]) : path.join(root, 'dist', 'cli');

/**
 * Node's built-in modules as `process.getBuiltinModule(...)` calls instead of ES `import`s. Why: an ES import of
 * a built-in goes through Node's ESM facade of it, which reads every export once, running the lazy getters
 * behind them: `import fs from 'node:fs'` loads fs/promises and the streams, `import … from 'node:process'` the
 * diagnostic report, `node:util` its diff and argument-parser modules. Measured with callgrind (instructions, the
 * same 13 built-ins): 136 M imported as ES modules, 118 M required. Each import is bundled as a two-line module
 * (one per importing file, so that no chunk is made of them) that takes the module from process.getBuiltinModule
 * and exports what the file imports, when the chunk that imports it is evaluated.
 *
 * `LAZY_BUILTINS` are loaded only when first used: commander imports child_process (with net, dgram and the
 * stream classes behind it) for external subcommands mdraft never has, and the sandbox forks a process only when
 * asked to; commander and a few converters import util for one function, and `node:util` loads ~40 internal
 * modules (the stream classes among them). Their stand-in exports the module's functions as forwarding
 * functions, what is also a global (util.TextDecoder) as that global, and the module itself as a forwarding
 * proxy; importing any other name (a class) fails the build, as it could not be forwarded.
 */
const LAZY_BUILTINS = new Set(['child_process', 'util', 'zlib']);
const builtins = new Set(builtinModules.filter((name) => !name.startsWith('_')));
const builtinAsRequire = {
  name: 'node-builtins-without-esm-facade',
  setup(b) {
    b.onResolve({ filter: /^[a-z_:/]+$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      if (!builtins.has(name) && !args.path.startsWith('node:')) return undefined;
      // One stand-in per importing file: shared, each would become a chunk of its own (one more module to load).
      return { path: `${name}?${args.importer}`, namespace: 'node-builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'node-builtin' }, async (args) => {
      const name = args.path.slice(0, args.path.indexOf('?'));
      const id = JSON.stringify(`node:${name}`);
      const real = (await import(`node:${name}`)).default;
      const names = Object.keys(real).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k));
      if (!LAZY_BUILTINS.has(name)) {
        // Each export read by a call marked pure, so the bundler drops those the importing file does not use and
        // an accessor (fs.promises) runs only when imported by name.
        return {
          contents: [
            `const $$builtin = process.getBuiltinModule(${id});`,
            'const $$read = (key) => $$builtin[key];',
            'export default $$builtin;',
            ...names.map((k) => `export const ${k} = /* @__PURE__ */ $$read(${JSON.stringify(k)});`),
          ].join('\n'),
          loader: 'js',
        };
      }
      // The same object as a global (util.TextDecoder): taken from there, nothing to load.
      const globals = names.filter((k) => globalThis[k] === real[k]);
      const functions = names.filter(
        (k) =>
          /^[a-z]/.test(k) &&
          'value' in Object.getOwnPropertyDescriptor(real, k) &&
          typeof real[k] === 'function' &&
          !globals.includes(k),
      );
      return {
        contents: [
          `let $$loaded; const $$load = () => ($$loaded ??= process.getBuiltinModule(${id}));`,
          ...globals.map((k) => `export const ${k} = globalThis.${k};`),
          ...functions.map((k) => `export function ${k}(...args) { return $$load().${k}(...args); }`),
          'export default new Proxy({}, { get: (_, key) => $$load()[key], has: (_, key) => key in $$load() });',
        ].join('\n'),
        loader: 'js',
      };
    });
  },
};

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
  plugins: [builtinAsRequire],
  legalComments: 'none',
  logLevel: 'warning',
});
fs.writeFileSync(path.join(outdir, 'package.json'), '{ "type": "module" }\n');

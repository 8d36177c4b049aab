#!/usr/bin/env node
/**
 * Builds the web app (`shared/web/`) into `dist/web/` with esbuild: the page's script as ES modules with code
 * splitting (the Firebase Auth SDK is a separate chunk, loaded only when the deployment offers Firebase
 * sign-in), its stylesheet, the API reference page's init script, and `index.html` / `docs.html` naming the
 * hashed files. Hashed names are served `immutable` by `functions/routes/web.ts`; the two HTML files are not
 * cached. Nothing is fetched at run time: every byte the browser loads comes from this build or, for the
 * API reference, from `swagger-ui-dist` in node_modules (served by the same router).
 *
 * Usage: node scripts/build-web.mjs [--out dist/web]   (run by `npm run build`)
 * Also exported as `buildWeb({ outDir })` for the browser tests.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'shared/web');

/**
 * @param {{ outDir?: string, minify?: boolean }} [options] outDir defaults to `<repo>/dist/web`.
 * @returns {Promise<{ outDir: string, files: string[] }>} the files written, relative to outDir.
 */
export async function buildWeb(options = {}) {
  const outDir = path.resolve(root, options.outDir ?? 'dist/web');
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: {
      app: path.join(src, 'main.tsx'),
      docs: path.join(src, 'docs.ts'),
      style: path.join(src, 'style.css'),
    },
    outdir: path.join(outDir, 'assets'),
    entryNames: '[name]-[hash]',
    chunkNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: options.minify ?? true,
    sourcemap: false,
    legalComments: 'linked',
    metafile: true,
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const outputs = Object.entries(result.metafile.outputs);
  const entry = (name) => {
    const found = outputs.find(([, o]) => o.entryPoint && path.basename(o.entryPoint).startsWith(name));
    if (!found) throw new Error(`build-web: no output for ${name}`);
    return '/' + path.relative(outDir, path.resolve(root, found[0])).split(path.sep).join('/');
  };
  const app = entry('main.tsx');
  const docs = entry('docs.ts');
  const css = outputs.find(([file, o]) => file.endsWith('.css') && o.entryPoint?.endsWith('style.css'));
  if (!css) throw new Error('build-web: no stylesheet');
  const style = '/' + path.relative(outDir, path.resolve(root, css[0])).split(path.sep).join('/');
  for (const [name, page] of [
    ['index.html', 'index.html'],
    ['docs.html', 'docs.html'],
  ]) {
    const html = fs
      .readFileSync(path.join(src, page), 'utf8')
      .replaceAll('%APP_JS%', app)
      .replaceAll('%DOCS_JS%', docs)
      .replaceAll('%STYLE_CSS%', style);
    fs.writeFileSync(path.join(outDir, name), html);
  }
  const files = listFiles(outDir).map((f) => path.relative(outDir, f));
  return { outDir, files };
}

function listFiles(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? listFiles(path.join(dir, d.name)) : [path.join(dir, d.name)]));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const outArg = process.argv.indexOf('--out');
  buildWeb(outArg > 0 ? { outDir: process.argv[outArg + 1] } : {}).then(
    ({ outDir, files }) => process.stdout.write(`${path.relative(root, outDir)}: ${files.length} files\n`),
    (error) => {
      process.stderr.write(`build-web: ${error.message}\n`);
      process.exit(1);
    },
  );
}

#!/usr/bin/env node
/**
 * Packages the deployed functions as one zip for Cloud Functions (gen2): `dist/` (compiled by
 * `npm run build`), `package.json` and `package-lock.json`. Cloud Build runs this after the build; Terraform
 * uploads the zip it names and every function is built from it (`npm ci --omit=dev` in Google's builder).
 *
 * The package.json inside the zip differs from the repository's in its scripts only:
 * - no `prepare`: npm runs it on `npm ci`, and `tsc` (a dev dependency) is not installed there;
 * - `gcp-build: ""`: the Node.js buildpack would otherwise run the `build` script;
 * - no other scripts, since nothing but functions-framework runs in the function.
 * The dependencies stay exactly as locked, so the lock file still matches.
 *
 * The archive is deterministic (sorted entries, fixed timestamps): the same build gives the same bytes, so
 * the object name (its MD5) and the deployed functions change only when the code does.
 *
 * Usage: node scripts/package-functions.mjs [--out dist/functions.zip]  (dist/ is git-ignored; zips in it are
 * never packaged)
 */
import fs from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const out = path.resolve(root, outArg > 0 ? process.argv[outArg + 1] : 'dist/functions.zip');

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const entry = pkg.main;
if (!entry || !fs.existsSync(path.join(root, entry))) {
  fail(`package.json "main" (${entry ?? 'unset'}) does not exist: run \`npm run build\` first`);
}

const deployPkg = { ...pkg, scripts: { 'gcp-build': '' } };
delete deployPkg.bin; // the CLI is not part of the functions package

const entries = [
  { name: 'package.json', bytes: Buffer.from(`${JSON.stringify(deployPkg, null, 2)}\n`) },
  { name: 'package-lock.json', bytes: fs.readFileSync(path.join(root, 'package-lock.json')) },
  ...listFiles(path.join(root, 'dist')).map((file) => ({
    name: path.relative(root, file).split(path.sep).join('/'),
    bytes: fs.readFileSync(file),
  })),
].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, zip(entries));
process.stdout.write(`${path.relative(root, out)}: ${entries.length} files, main ${entry}\n`);

function listFiles(dir) {
  if (!fs.existsSync(dir)) fail(`${dir} is missing: run \`npm run build\` first`);
  const files = [];
  for (const dirent of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, dirent.name);
    // dist/cli is the bundled `mdraft` command (scripts/bundle-cli.mjs), which no function runs.
    if (dirent.isDirectory() && full === path.join(root, 'dist', 'cli')) continue;
    if (dirent.isDirectory()) files.push(...listFiles(full));
    else if (dirent.isFile() && !dirent.name.endsWith('.zip')) files.push(full);
  }
  return files;
}

/**
 * A deflated zip with every timestamp at 1980-01-01 00:00 local (the DOS epoch) and regular-file modes, so the
 * same inputs give the same bytes. fflate writes zip64 records when needed.
 */
function zip(files) {
  const epoch = new Date(1980, 0, 1, 0, 0, 0);
  const tree = {};
  for (const file of files)
    tree[file.name] = [new Uint8Array(file.bytes), { level: 9, mtime: epoch, os: 3, attrs: (0o100644 << 16) >>> 0 }];
  return Buffer.from(zipSync(tree));
}

function fail(message) {
  process.stderr.write(`package-functions: ${message}\n`);
  process.exit(1);
}

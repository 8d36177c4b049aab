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
import zlib from 'node:zlib';
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
    if (dirent.isDirectory()) files.push(...listFiles(full));
    else if (dirent.isFile() && !dirent.name.endsWith('.zip')) files.push(full);
  }
  return files;
}

/** A plain zip (deflate, no extra fields) with every timestamp at 1980-01-01 00:00. */
function zip(files) {
  const DOS_TIME = 0;
  const DOS_DATE = (0 << 9) | (1 << 5) | 1;
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name, 'utf8');
    const data = zlib.deflateRawSync(file.bytes, { level: 9 });
    const crc = zlib.crc32(file.bytes);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(file.bytes.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(file.bytes.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // regular file, rw-r--r--
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  if (files.length > 0xffff || offset > 0xffffffff) fail('the package is too large for a zip without zip64');
  return Buffer.concat([...locals, directory, end]);
}

function fail(message) {
  process.stderr.write(`package-functions: ${message}\n`);
  process.exit(1);
}

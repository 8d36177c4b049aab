/** How the benchmarks convert one file: the engine in process, sources run directly by Node 24. */
import fs from 'node:fs';
import path from 'node:path';
import { convert } from '../../shared/convert/engine.ts';

export async function convertFile(file) {
  const bytes = new Uint8Array(fs.readFileSync(file));
  return convert(bytes, { fileName: path.basename(file) });
}

export async function close() {}

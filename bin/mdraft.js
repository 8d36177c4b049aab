#!/usr/bin/env node
// The `mdraft` command. Runs the compiled CLI; `npm install` builds it (the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/shared/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  console.error('mdraft: the CLI is not built yet; run `npm install` (or `npm run build`) in the project first.');
  process.exit(2);
}
await import(main.href);

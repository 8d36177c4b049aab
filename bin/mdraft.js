#!/usr/bin/env node
// The `mdraft` command. Checks the Node.js version first (node-version.cjs: one line and exit 2 on an old
// runtime), then runs the compiled CLI; `npm install` builds it (the `prepare` script). Static imports are
// evaluated in order, so the check runs before anything else is loaded; no top-level await, so even a Node
// too old for it reaches the check.
import './node-version.cjs';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/shared/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  console.error('mdraft: the CLI is not built yet; run `npm install` (or `npm run build`) in the project first.');
  process.exit(2);
}
import(main.href).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

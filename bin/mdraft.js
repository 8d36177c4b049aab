#!/usr/bin/env node
// The `mdraft` command. Checks the Node.js version first (node-version.cjs: one line and exit 2 on an old
// runtime), then runs the compiled CLI; `npm install` builds it (the `prepare` script). Static imports are
// evaluated in order, so the check runs before anything else is loaded; no top-level await, so even a Node
// too old for it reaches the check.
import './node-version.cjs';

// Built-ins through process.getBuiltinModule, not `import`: an ES import of a built-in reads all its exports
// through Node's facade, running lazy getters (`node:fs` alone loads fs/promises and the stream classes), which
// cost start-up time on every run (scripts/bundle-cli.mjs does the same for the bundle).
const { existsSync } = process.getBuiltinModule('node:fs');
const nodeModule = process.getBuiltinModule('node:module');

// The bundle (scripts/bundle-cli.mjs: a few files instead of ~200 modules to resolve) when the build made one,
// else tsc's output module by module.
const bundled = `${import.meta.dirname}/../dist/cli/mdraft.js`;
const main = existsSync(bundled) ? bundled : `${import.meta.dirname}/../dist/shared/cli/main.js`;
if (!existsSync(main)) {
  console.error('mdraft: the CLI is not built yet; run `npm install` (or `npm run build`) in the project first.');
  process.exit(2);
}
// V8's compile cache (Node >= 22.1; a no-op where missing): modules compiled by an earlier run are read back from
// disk instead of being parsed and compiled again, for this thread and the conversion workers it starts. Checked
// with the source's hash, so a rebuilt dist is recompiled. The default directory is under os.tmpdir().
nodeModule.enableCompileCache?.();
import(main).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

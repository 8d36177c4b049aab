/**
 * The functions' Node.js version gate, imported first by `index.ts` and `local.ts` so it runs before any other
 * module does: on an older runtime the process stops with one clear line and exit code 2, instead of failing
 * later in a way a job would report as a corrupt document (`../shared/bughunt` env-node20 case). The rule is the
 * CLI's (`bin/node-version.cjs`): Node.js 22.5, the first release with `node:sqlite`; Cloud Functions deploy
 * `nodejs24`.
 */
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 5)) {
  process.stderr.write(`mdraft functions: need Node.js 22.5 or newer; this is Node.js ${process.versions.node}.\n`);
  process.exit(2);
}

export {};

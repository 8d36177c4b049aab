/**
 * The deployed functions (and `npm start`) refuse an old Node.js at start with exit 2 and one line, before any
 * module that needs Node 22.5 (node:sqlite) is linked: an environment failure is never reported as a corrupt
 * document. Runs the built `dist/functions/index.js` (npm test builds first) with an older Node when the machine
 * has one, and says so when it does not.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const entry = path.join(root, 'dist/functions/index.js');

function oldNode(): { path: string; version: string } | undefined {
  for (const candidate of new Set(['/usr/local/bin/node', '/usr/bin/node'])) {
    if (!fs.existsSync(candidate)) continue;
    const run = spawnSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' });
    const version = run.stdout?.trim() ?? '';
    const [major, minor] = version.split('.').map(Number);
    if (run.status === 0 && (major < 22 || (major === 22 && minor < 5))) return { path: candidate, version };
  }
  return undefined;
}

test('dist/functions/index.js on Node older than 22.5 exits 2 with one line naming both versions', () => {
  const old = oldNode();
  if (!old || !fs.existsSync(entry)) {
    console.warn(
      `skipped: ${old ? 'dist/functions/index.js is not built (npm run build)' : 'no Node.js older than 22.5 here'}`,
    );
    return;
  }
  const run = spawnSync(old.path, ['--input-type=module', '-e', `await import(${JSON.stringify(entry)})`], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });
  expect(run.status).toBe(2);
  expect(run.stderr).toBe(`mdraft functions: need Node.js 22.5 or newer; this is Node.js ${old.version}.\n`);
});

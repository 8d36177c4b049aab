/**
 * `mdraft dev-key [--user NAME] [--data-dir DIR]`: an API key for a user of the embedded server (created
 * if new). Opens the server's database directly (WAL + busy timeout), so it works while the server runs.
 * The key alone is the last line of stdout.
 */
import { parseArgs } from 'node:util';
import { SqliteAccountStore } from '../adapters/local/sqlite-account-store.ts';
import { databasePath } from '../adapters/local/index.ts';
import { issueApiKey } from '../service/auth/api-keys.ts';

export const DEV_KEY_USAGE = `Usage: mdraft dev-key [--user NAME] [--data-dir DIR]

Prints a new API key for a local user of the embedded server (npm start), creating the user if new.
The key is the last line of the output.

Options:
      --user <NAME>        User name: letters, digits, _ and - (default: local)
      --data-dir <DIR>     The server's data directory (default: $MDRAFT_DATA_DIR or .mdraft)
  -h, --help               Show this help`;

export async function run(
  argv: string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process,
): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { user: { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
    }));
  } catch (error) {
    io.stderr.write(`mdraft dev-key: ${(error as Error).message}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(`${DEV_KEY_USAGE}\n`);
    return 0;
  }
  const user = values.user ?? 'local';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(user)) {
    io.stderr.write('mdraft dev-key: --user must be 1-64 letters, digits, _ or -\n');
    return 2;
  }
  const dataDir = values['data-dir'] ?? process.env.MDRAFT_DATA_DIR ?? '.mdraft';
  const store = new SqliteAccountStore(databasePath(dataDir));
  try {
    const now = Date.now();
    await store.ensureUser({ id: user, now });
    const { key } = await issueApiKey(store, { owner: user, name: 'dev-key', now });
    io.stdout.write(`API key for local user "${user}" (data: ${dataDir}):\n${key}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

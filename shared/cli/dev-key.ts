/**
 * `mdraft dev-key [--user NAME] [--data-dir DIR]`: an API key for a user of the embedded server (created
 * if new). Opens the server's database directly (WAL + busy timeout), so it works while the server runs.
 * The key alone is the last line of stdout. Options are parsed and validated by the command table.
 */
import { SqliteAccountStore } from '../adapters/local/sqlite-account-store.ts';
import { databasePath } from '../adapters/local/index.ts';
import { issueApiKey } from '../service/auth/api-keys.ts';
import type { DevKeyArgs } from './args.ts';

/** Issues the key and prints it; returns the exit code (0). Database failures propagate (internal error). */
export async function runDevKey(args: DevKeyArgs, io: { stdout: NodeJS.WritableStream }): Promise<number> {
  const store = new SqliteAccountStore(databasePath(args.dataDir));
  try {
    const now = Date.now();
    await store.ensureUser({ id: args.user, now });
    const { key } = await issueApiKey(store, { owner: args.user, name: 'dev-key', now });
    io.stdout.write(`API key for local user "${args.user}" (data: ${args.dataDir}):\n${key}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

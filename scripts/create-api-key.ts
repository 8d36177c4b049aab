#!/usr/bin/env node
/**
 * The first API key of a GCP deployment, written straight to Firestore by an operator (the api itself only
 * issues keys to a caller who already has a key or a Firebase ID token). Uses Application Default
 * Credentials (`gcloud auth application-default login`); the operator needs `roles/datastore.user`.
 *
 *   node scripts/create-api-key.ts --project your-project-id [--user ops] [--name first-key]
 *       [--database "(default)"] [--prefix ""]
 *
 * The key is printed once, alone on the last line of stdout; only its SHA-256 is stored.
 * (`mdraft dev-key` is the same for the embedded server's local database.)
 */
import { parseArgs } from 'node:util';
import { Firestore } from '@google-cloud/firestore';
import { FirestoreAccountStore } from '../shared/adapters/gcp/firestore-account-store.ts';
import { issueApiKey } from '../shared/service/auth/api-keys.ts';
import type { AccountStore } from '../shared/service/ports.ts';

export interface CreateKeyOptions {
  user: string;
  name: string;
}

/** Creates the user if new and issues a key for it. */
export async function createFirstKey(
  store: Pick<AccountStore, 'ensureUser' | 'createApiKey'>,
  options: CreateKeyOptions,
  now = Date.now(),
): Promise<string> {
  await store.ensureUser({ id: options.user, now });
  const { key } = await issueApiKey(store, { owner: options.user, name: options.name, now });
  return key;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      project: { type: 'string' },
      user: { type: 'string', default: 'ops' },
      name: { type: 'string', default: 'first-key' },
      database: { type: 'string', default: '(default)' },
      prefix: { type: 'string', default: '' },
    },
  });
  const project = values.project ?? process.env.MDRAFT_GCP_PROJECT;
  if (!project) {
    process.stderr.write('create-api-key: --project (or MDRAFT_GCP_PROJECT) is required\n');
    return 2;
  }
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(values.user)) {
    process.stderr.write('create-api-key: --user must be 1-64 letters, digits, _ or -\n');
    return 2;
  }
  const firestore = new Firestore({ projectId: project, databaseId: values.database });
  const store = new FirestoreAccountStore({ firestore, collectionPrefix: values.prefix });
  try {
    const key = await createFirstKey(store, { user: values.user, name: values.name });
    process.stdout.write(
      `API key for user "${values.user}" in ${project} (store it now, it is not shown again):\n${key}\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`create-api-key: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  });
}

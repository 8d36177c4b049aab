#!/usr/bin/env node
/**
 * The first administrator of a new deployment (the admin routes only accept callers who already are one).
 *
 *   Embedded default (the local data directory):
 *     node scripts/bootstrap-admin.ts --local [--data-dir .mdraft] [--user admin]
 *   → creates the user if new, sets its admin flag, prints a fresh API key for it (once, last line).
 *
 *   Google Cloud (Firebase Auth + Firestore; Application Default Credentials with roles/firebaseauth.admin
 *   and roles/datastore.user):
 *     node scripts/bootstrap-admin.ts --project P (--email someone@example.com | --uid UID)
 *         [--database "(default)"] [--prefix ""]
 *   → sets the `admin: true` custom claim on the Firebase user (merged with its other claims; the person
 *     signs in again or waits for the next token refresh, within the hour), creates their user record if new
 *     and sets the store's admin flag (so their API keys are admin too).
 *
 * Either way the grant is written to the audit log with actor `bootstrap`.
 */
import { parseArgs } from 'node:util';
import type { AccountStore, AuditLog, UserAdminStore } from '../shared/service/ports.ts';
import { issueApiKey } from '../shared/service/auth/api-keys.ts';
import { auditId } from '../shared/service/accounts/admin.ts';

export interface BootstrapStores {
  accounts: Pick<AccountStore, 'ensureUser' | 'createApiKey'>;
  userAdmin: Pick<UserAdminStore, 'setAdmin'>;
  audit: AuditLog;
}

/** Creates `user` when new, flags it admin and records the grant; with `issueKey`, returns a new API key. */
export async function grantFirstAdmin(
  stores: BootstrapStores,
  input: { user: string; email?: string; issueKey: boolean; now?: number },
): Promise<string | undefined> {
  const now = input.now ?? Date.now();
  await stores.accounts.ensureUser({ id: input.user, ...(input.email ? { email: input.email } : {}), now });
  await stores.userAdmin.setAdmin(input.user, true);
  await stores.audit.append({
    id: auditId(now),
    at: now,
    actor: 'bootstrap',
    action: 'user.admin.grant',
    target: input.user,
    requestId: 'bootstrap-admin',
  });
  if (!input.issueKey) return undefined;
  return (await issueApiKey(stores.accounts, { owner: input.user, name: 'bootstrap-admin', now })).key;
}

const RETENTION_MS = 400 * 86_400_000;

async function local(dataDir: string, user: string): Promise<number> {
  const { openDatabase } = await import('../shared/adapters/local/sqlite.ts');
  const { databasePath } = await import('../shared/adapters/local/index.ts');
  const { SqliteAccountStore } = await import('../shared/adapters/local/sqlite-account-store.ts');
  const { SqliteUserAdminStore } = await import('../shared/adapters/local/sqlite-user-admin.ts');
  const { SqliteAuditLog } = await import('../shared/adapters/local/sqlite-audit-log.ts');
  const db = openDatabase(databasePath(dataDir));
  try {
    const accounts = new SqliteAccountStore(db);
    const key = await grantFirstAdmin(
      {
        accounts,
        userAdmin: new SqliteUserAdminStore(db),
        audit: new SqliteAuditLog(db, { retentionMs: RETENTION_MS }),
      },
      { user, issueKey: true },
    );
    process.stdout.write(
      `Admin API key for user "${user}" in ${dataDir} (store it now, it is not shown again):\n${key}\n`,
    );
    return 0;
  } finally {
    db.close();
  }
}

async function gcp(values: { project: string; email?: string; uid?: string; database: string; prefix: string }) {
  const { initializeApp, deleteApp } = await import('firebase-admin/app');
  const { getAuth } = await import('firebase-admin/auth');
  const { Firestore } = await import('@google-cloud/firestore');
  const { FirestoreAccountStore } = await import('../shared/adapters/gcp/firestore-account-store.ts');
  const { FirestoreUserAdminStore } = await import('../shared/adapters/gcp/firestore-user-admin.ts');
  const { FirestoreAuditLog } = await import('../shared/adapters/gcp/firestore-audit-log.ts');
  const app = initializeApp({ projectId: values.project }, 'mdraft-bootstrap-admin');
  const firestore = new Firestore({ projectId: values.project, databaseId: values.database });
  try {
    const auth = getAuth(app);
    const user = values.email ? await auth.getUserByEmail(values.email) : await auth.getUser(values.uid!);
    await auth.setCustomUserClaims(user.uid, { ...(user.customClaims ?? {}), admin: true });
    const onStore = { firestore, collectionPrefix: values.prefix };
    await grantFirstAdmin(
      {
        accounts: new FirestoreAccountStore(onStore),
        userAdmin: new FirestoreUserAdminStore(onStore),
        audit: new FirestoreAuditLog({ ...onStore, retentionMs: RETENTION_MS }),
      },
      { user: user.uid, ...(user.email ? { email: user.email } : {}), issueKey: false },
    );
    process.stdout.write(`${user.email ?? user.uid} (uid ${user.uid}) is an administrator of ${values.project}\n`);
    return 0;
  } finally {
    await firestore.terminate();
    await deleteApp(app);
  }
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      local: { type: 'boolean', default: false },
      'data-dir': { type: 'string', default: process.env.MDRAFT_DATA_DIR ?? '.mdraft' },
      user: { type: 'string', default: 'admin' },
      project: { type: 'string' },
      email: { type: 'string' },
      uid: { type: 'string' },
      database: { type: 'string', default: '(default)' },
      prefix: { type: 'string', default: '' },
    },
  });
  if (values.local) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(values.user)) {
      process.stderr.write('bootstrap-admin: --user must be 1-64 letters, digits, _ or -\n');
      return 2;
    }
    return local(values['data-dir'], values.user);
  }
  const project = values.project ?? process.env.MDRAFT_GCP_PROJECT;
  if (!project || (!values.email && !values.uid) || (values.email && values.uid)) {
    process.stderr.write('bootstrap-admin: use --local, or --project P with exactly one of --email or --uid\n');
    return 2;
  }
  return gcp({
    project,
    database: values.database,
    prefix: values.prefix,
    ...(values.email ? { email: values.email } : {}),
    ...(values.uid ? { uid: values.uid } : {}),
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`bootstrap-admin: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  });
}

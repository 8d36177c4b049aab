/**
 * The local adapters wired together over one data directory:
 *   <dataDir>/mdraft.db      jobs, accounts (users, keys, usage, billing) and the task queue (node:sqlite, WAL)
 *   <dataDir>/blobs/<bucket> objects
 *   <dataDir>/signing.key    the HMAC key of the signed URLs (created once, mode 0600)
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import type { Config } from '../../service/config.ts';
import { openDatabase } from './sqlite.ts';
import { SqliteJobStore } from './sqlite-job-store.ts';
import { SqliteAccountStore } from './sqlite-account-store.ts';
import { SqliteTaskQueue } from './sqlite-task-queue.ts';
import { DiskBlobStore } from './disk-blob-store.ts';
import { UrlSigner } from './url-signer.ts';
import { LocalIdentity } from './local-identity.ts';
import { SqliteBillingLedger } from './sqlite-billing-ledger.ts';
import { StripeBilling, stripeClientFor } from '../stripe/stripe-billing.ts';
import type { Billing, Checkout, IdentityAdmin } from '../../service/ports.ts';
import { SqliteRateLimiter } from './sqlite-rate-limiter.ts';
import { SqliteUserAdminStore } from './sqlite-user-admin.ts';
import { SqliteAuditLog } from './sqlite-audit-log.ts';
import { LocalIdentityAdmin } from './local-identity-admin.ts';
import { UnconfiguredCheckout } from '../unconfigured-checkout.ts';
import { StripeCheckout } from '../stripe/stripe-checkout.ts';
import { NodeWebhookTransport } from '../webhook-transport.ts';

export interface LocalAdapters {
  db: DatabaseSync;
  jobs: SqliteJobStore;
  /** On the same database as `jobs`: a job's completion counts its usage in the job's transaction. */
  accounts: SqliteAccountStore;
  uploads: DiskBlobStore;
  results: DiskBlobStore;
  tasks: SqliteTaskQueue;
  /** Webhook delivery (DNS and HTTP, the address pinned). */
  webhooks: NodeWebhookTransport;
  /** Refuses ID tokens, or verifies the Firebase Auth emulator's when `config.authEmulator` is set. */
  identity: LocalIdentity;
  /** Stripe when STRIPE_SECRET_KEY is set, else a ledger table in the same database (nobody is charged). */
  billing: Billing;
  /** Request counters, user status/admin flags and the admin audit log, in the same database. */
  rateLimiter: SqliteRateLimiter;
  userAdmin: SqliteUserAdminStore;
  audit: SqliteAuditLog;
  /** Stripe Checkout when STRIPE_SECRET_KEY is set, else every call is `billing_not_configured`. */
  checkout: Checkout;
  /**
   * Without the Auth emulator: no sessions to revoke, the admin flag lives in the store. With it: `identity`,
   * which revokes the emulator's refresh tokens and sets its `admin` custom claim.
   */
  identityAdmin: IdentityAdmin;
  signer: UrlSigner;
  /** Sent by the local queue, event delivery and scheduler on internal routes; checked by the server. */
  internalToken: string;
  close(): Promise<void>;
}

export const INTERNAL_HEADER = 'x-mdraft-internal';

export function databasePath(dataDir: string): string {
  return join(dataDir, 'mdraft.db');
}

export function createLocalAdapters(config: Config): LocalAdapters {
  mkdirSync(config.dataDir, { recursive: true });
  const secret = config.signingSecret ?? loadOrCreateSecret(join(config.dataDir, 'signing.key'));
  const internalToken = createHmac('sha256', secret).update('mdraft-internal-routes').digest('base64url');
  const db = openDatabase(databasePath(config.dataDir));
  const jobs = new SqliteJobStore(db);
  const accounts = new SqliteAccountStore(db);
  const stripe = stripeClientFor(config.billing);
  const signer = new UrlSigner(secret);
  const blobRoot = join(config.dataDir, 'blobs');
  const uploads = new DiskBlobStore({
    root: blobRoot,
    bucket: config.buckets.uploads,
    signer,
    baseUrl: config.publicUrl,
  });
  const results = new DiskBlobStore({
    root: blobRoot,
    bucket: config.buckets.results,
    signer,
    baseUrl: config.publicUrl,
  });
  const tasks = new SqliteTaskQueue({
    db,
    maxAttempts: config.maxAttempts,
    minBackoffMs: config.queue.minBackoffMs,
    maxBackoffMs: config.queue.maxBackoffMs,
    dispatchDeadlineMs: config.queue.dispatchDeadlineMs,
    concurrency: config.queue.concurrency,
    headers: { [INTERNAL_HEADER]: internalToken },
  });
  const identity = new LocalIdentity(config.authEmulator ? { authEmulator: config.authEmulator } : {});
  return {
    db,
    jobs,
    accounts,
    uploads,
    results,
    tasks,
    webhooks: new NodeWebhookTransport(),
    identity,
    billing: stripe
      ? new StripeBilling({ stripe, users: accounts, meterEventName: config.billing.meterEventName })
      : new SqliteBillingLedger(db),
    rateLimiter: new SqliteRateLimiter(db),
    userAdmin: new SqliteUserAdminStore(db),
    audit: new SqliteAuditLog(db, { retentionMs: config.auditRetentionMs }),
    checkout: stripe ? new StripeCheckout({ stripe }) : new UnconfiguredCheckout(),
    identityAdmin: identity.acceptsIdTokens ? identity : new LocalIdentityAdmin(),
    signer,
    internalToken,
    async close() {
      await tasks.close();
      await identity.close();
      if (db.isOpen) db.close();
    },
  };
}

function loadOrCreateSecret(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    const secret = randomBytes(32).toString('base64url');
    try {
      writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
      return secret;
    } catch {
      // Another process created it first: use theirs.
      return readFileSync(path, 'utf8').trim();
    }
  }
}

/**
 * `AccountStore` on `node:sqlite`: users, API keys (only their SHA-256 is stored), the monthly usage
 * counters (written by `SqliteJobStore.complete`, in the job's transaction, on the same database) and the
 * billing state that Stripe webhooks set. Every multi-statement change runs in one `BEGIN IMMEDIATE`.
 */
import type { DatabaseSync } from 'node:sqlite';
import type {
  AccountStore,
  ApiKeyRecord,
  BillingEvent,
  BillingEventOutcome,
  QuotaState,
  UsageDay,
  UsageRecord,
  UserPatch,
  UserRecord,
  UserStatus,
} from '../../service/ports.ts';
import { inTransaction, openDatabase } from './sqlite.ts';
import { CHARGE_SCHEMA, readQuota, readUsage, readUsageDays, USAGE_SCHEMA } from './sqlite-usage.ts';
import { nextBillingState, type BillingState } from '../../service/accounts/billing-state.ts';

const SCHEMA = `
-- The user record: profile, status and admin flag (the one place they live; SqliteUserAdminStore writes here).
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY, email TEXT, display_name TEXT, status TEXT, suspended_at INTEGER, admin INTEGER,
  last_seen_at INTEGER, created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY, owner TEXT NOT NULL, name TEXT NOT NULL, prefix TEXT NOT NULL,
  created_at INTEGER NOT NULL, revoked_at INTEGER, webhook_url TEXT, webhook_secret TEXT
);
CREATE INDEX IF NOT EXISTS api_keys_owner ON api_keys (owner, created_at);
-- Billing state per user (set by Stripe webhooks) and the webhook events already applied (de-duplication).
CREATE TABLE IF NOT EXISTS user_billing (
  user_id TEXT PRIMARY KEY, stripe_customer_id TEXT UNIQUE, plan TEXT, active INTEGER, event_at INTEGER,
  grace_until INTEGER
);
CREATE TABLE IF NOT EXISTS billing_events (
  id TEXT PRIMARY KEY, type TEXT NOT NULL, outcome TEXT NOT NULL, received_at INTEGER NOT NULL
);
`;

interface BillingRow {
  user_id: string;
  stripe_customer_id: string | null;
  plan: string | null;
  active: number | null;
  event_at: number | null;
  grace_until: number | null;
}

export class SqliteAccountStore implements AccountStore {
  readonly db: DatabaseSync;
  private readonly ownsDb: boolean;

  /** A path opens (and owns) the database; a `DatabaseSync` is shared (normally with `SqliteJobStore`). */
  constructor(dbOrPath: DatabaseSync | string) {
    this.ownsDb = typeof dbOrPath === 'string';
    this.db = typeof dbOrPath === 'string' ? openDatabase(dbOrPath) : dbOrPath;
    this.db.exec(SCHEMA);
    this.db.exec(USAGE_SCHEMA);
    this.db.exec(CHARGE_SCHEMA);
    addMissingColumns(this.db);
    moveUserAccess(this.db);
  }

  async ensureUser(user: { id: string; email?: string; displayName?: string; now: number }): Promise<UserRecord> {
    return inTransaction(this.db, () => {
      this.db
        .prepare(
          'INSERT INTO users (id, email, display_name, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
        )
        .run(user.id, user.email ?? null, user.displayName ?? null, user.now);
      if (user.email)
        this.db
          .prepare('UPDATE users SET email = ? WHERE id = ? AND (email IS NULL OR email != ?)')
          .run(user.email, user.id, user.email);
      return this.readUser(user.id)!;
    });
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    return this.readUser(id);
  }

  async updateUser(id: string, patch: UserPatch): Promise<UserRecord | undefined> {
    return inTransaction(this.db, () => {
      if (!this.db.prepare('SELECT 1 FROM users WHERE id = ?').get(id)) return undefined;
      if (patch.displayName !== undefined)
        this.db.prepare('UPDATE users SET display_name = ? WHERE id = ?').run(patch.displayName, id);
      if (patch.status !== undefined)
        this.db
          .prepare('UPDATE users SET status = ?, suspended_at = ? WHERE id = ?')
          .run(patch.status, patch.status === 'suspended' ? (patch.suspendedAt ?? null) : null, id);
      if (patch.admin !== undefined)
        this.db.prepare('UPDATE users SET admin = ? WHERE id = ?').run(patch.admin ? 1 : 0, id);
      if (patch.lastSeenAt !== undefined)
        this.db.prepare('UPDATE users SET last_seen_at = ? WHERE id = ?').run(patch.lastSeenAt, id);
      if (patch.plan !== undefined)
        this.db
          .prepare(
            'INSERT INTO user_billing (user_id, plan) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET plan = excluded.plan',
          )
          .run(id, patch.plan);
      return this.readUser(id);
    });
  }

  async deleteUser(id: string): Promise<boolean> {
    return inTransaction(this.db, () => {
      this.db.prepare('DELETE FROM api_keys WHERE owner = ?').run(id);
      this.db.prepare('DELETE FROM user_billing WHERE user_id = ?').run(id);
      return this.db.prepare('DELETE FROM users WHERE id = ?').run(id).changes > 0;
    });
  }

  async getQuota(owner: string, month: string): Promise<QuotaState> {
    return readQuota(this.db, owner, month);
  }

  async listUsageDays(owner: string, range: { from: string; to: string }): Promise<UsageDay[]> {
    return readUsageDays(this.db, owner, range);
  }

  async createApiKey(key: ApiKeyRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO api_keys (id, owner, name, prefix, created_at, revoked_at, webhook_url, webhook_secret)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        key.id,
        key.owner,
        key.name,
        key.prefix,
        key.createdAt,
        key.revokedAt ?? null,
        key.webhookUrl ?? null,
        key.webhookSecret ?? null,
      );
  }

  async findApiKeyByHash(id: string): Promise<ApiKeyRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as KeyRow | undefined;
    return row ? keyFromRow(row) : undefined;
  }

  async listApiKeys(owner: string): Promise<ApiKeyRecord[]> {
    return (
      this.db
        .prepare('SELECT * FROM api_keys WHERE owner = ? ORDER BY created_at, id')
        .all(owner) as unknown as KeyRow[]
    ).map(keyFromRow);
  }

  async revokeApiKey(owner: string, id: string, now: number): Promise<boolean> {
    return (
      this.db
        .prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND owner = ? AND revoked_at IS NULL')
        .run(now, id, owner).changes > 0
    );
  }

  async getUsage(owner: string, month: string): Promise<UsageRecord> {
    return readUsage(this.db, owner, month);
  }

  async applyBillingEvent(event: BillingEvent): Promise<BillingEventOutcome> {
    return inTransaction(this.db, () => {
      if (this.db.prepare('SELECT 1 FROM billing_events WHERE id = ?').get(event.eventId)) return 'duplicate';
      const outcome = this.applyBilling(event);
      this.db
        .prepare('INSERT INTO billing_events (id, type, outcome, received_at) VALUES (?, ?, ?, ?)')
        .run(event.eventId, event.type, outcome, event.now);
      return outcome;
    });
  }

  /** Inside `applyBillingEvent`'s transaction. */
  private applyBilling(event: BillingEvent): BillingEventOutcome {
    const named =
      event.userId && this.db.prepare('SELECT 1 FROM users WHERE id = ?').get(event.userId) ? event.userId : undefined;
    const linked = this.db
      .prepare('SELECT user_id FROM user_billing WHERE stripe_customer_id = ?')
      .get(event.customerId) as { user_id: string } | undefined;
    const userId = named ?? linked?.user_id;
    if (!userId) return 'unmatched';
    const row = this.db.prepare('SELECT * FROM user_billing WHERE user_id = ?').get(userId) as BillingRow | undefined;
    const next = nextBillingState(stateOf(row), event);
    if (next === 'stale') return 'stale';
    // A customer belongs to one user: linking it here unlinks it elsewhere.
    this.db
      .prepare('UPDATE user_billing SET stripe_customer_id = NULL WHERE stripe_customer_id = ? AND user_id != ?')
      .run(event.customerId, userId);
    this.db
      .prepare(
        `INSERT INTO user_billing (user_id, stripe_customer_id, plan, active, event_at, grace_until)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET stripe_customer_id = excluded.stripe_customer_id, plan = excluded.plan,
         active = excluded.active, event_at = excluded.event_at, grace_until = excluded.grace_until`,
      )
      .run(
        userId,
        event.customerId,
        next.plan ?? null,
        next.active === undefined ? null : next.active ? 1 : 0,
        next.eventAt ?? null,
        next.graceUntil ?? null,
      );
    return 'applied';
  }

  async close(): Promise<void> {
    if (this.ownsDb && this.db.isOpen) this.db.close();
  }

  private readUser(id: string): UserRecord | undefined {
    const row = this.db.prepare(`${USER_SELECT} WHERE u.id = ?`).get(id) as UserRow | undefined;
    return row ? userFromRow(row) : undefined;
  }
}

/** The user record's columns, with its billing state (one join); `userFromRow` reads a row of it. */
export const USER_SELECT = `SELECT u.id, u.email, u.display_name, u.status, u.suspended_at, u.admin, u.last_seen_at,
  u.created_at, b.stripe_customer_id, b.plan, b.active, b.grace_until
  FROM users u LEFT JOIN user_billing b ON b.user_id = u.id`;

export interface UserRow {
  id: string;
  email: string | null;
  display_name: string | null;
  status: UserStatus | null;
  suspended_at: number | null;
  admin: number | null;
  last_seen_at: number | null;
  created_at: number;
  stripe_customer_id: string | null;
  plan: string | null;
  active: number | null;
  grace_until: number | null;
}

export function userFromRow(row: UserRow): UserRecord {
  return {
    id: row.id,
    ...(row.email ? { email: row.email } : {}),
    ...(row.display_name ? { displayName: row.display_name } : {}),
    createdAt: row.created_at,
    ...(row.last_seen_at !== null ? { lastSeenAt: row.last_seen_at } : {}),
    ...(row.status ? { status: row.status } : {}),
    ...(row.status === 'suspended' && row.suspended_at !== null ? { suspendedAt: row.suspended_at } : {}),
    ...(row.admin === 1 ? { admin: true } : {}),
    ...(row.stripe_customer_id ? { stripeCustomerId: row.stripe_customer_id } : {}),
    ...(row.plan ? { plan: row.plan } : {}),
    ...(row.active !== null ? { billingActive: row.active === 1 } : {}),
    ...(row.grace_until !== null ? { graceUntil: row.grace_until } : {}),
  };
}

/** Databases created before a column was added get it here (SQLite has no ADD COLUMN IF NOT EXISTS). */
function addMissingColumns(db: DatabaseSync): void {
  const added: Array<[table: string, column: string, type: string]> = [
    ['users', 'display_name', 'TEXT'],
    ['users', 'status', 'TEXT'],
    ['users', 'suspended_at', 'INTEGER'],
    ['users', 'admin', 'INTEGER'],
    ['users', 'last_seen_at', 'INTEGER'],
    ['user_billing', 'grace_until', 'INTEGER'],
    ['api_keys', 'webhook_url', 'TEXT'],
    ['api_keys', 'webhook_secret', 'TEXT'],
  ];
  for (const table of new Set(added.map(([t]) => t))) {
    const have = new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name));
    for (const [t, name, type] of added)
      if (t === table && !have.has(name)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${type}`);
  }
}

/**
 * A database written by the first administration release kept status and admin flag in a `user_access`
 * table beside `users`: they are moved into the user record (the one place they live now) and the table
 * dropped, in one transaction.
 */
function moveUserAccess(db: DatabaseSync): void {
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'user_access'").get()) return;
  inTransaction(db, () => {
    db.exec(`UPDATE users SET
      status = (SELECT a.status FROM user_access a WHERE a.user_id = users.id),
      admin = (SELECT a.admin FROM user_access a WHERE a.user_id = users.id),
      suspended_at = (SELECT a.suspended_at FROM user_access a WHERE a.user_id = users.id)
      WHERE id IN (SELECT user_id FROM user_access)`);
    db.exec('DROP TABLE user_access');
  });
}

function stateOf(row: BillingRow | undefined): BillingState {
  if (!row) return {};
  return {
    ...(row.plan !== null ? { plan: row.plan } : {}),
    ...(row.active !== null ? { active: row.active === 1 } : {}),
    ...(row.event_at !== null ? { eventAt: row.event_at } : {}),
    ...(row.grace_until !== null ? { graceUntil: row.grace_until } : {}),
  };
}

interface KeyRow {
  id: string;
  owner: string;
  name: string;
  prefix: string;
  created_at: number;
  revoked_at: number | null;
  webhook_url: string | null;
  webhook_secret: string | null;
}

function keyFromRow(r: KeyRow): ApiKeyRecord {
  return {
    id: r.id,
    owner: r.owner,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at,
    ...(r.revoked_at !== null ? { revokedAt: r.revoked_at } : {}),
    ...(r.webhook_url ? { webhookUrl: r.webhook_url } : {}),
    ...(r.webhook_secret ? { webhookSecret: r.webhook_secret } : {}),
  };
}

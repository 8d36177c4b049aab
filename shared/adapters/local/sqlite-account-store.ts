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
  UsageRecord,
  UserRecord,
} from '../../service/ports.ts';
import { inTransaction, openDatabase } from './sqlite.ts';
import { readUsage, USAGE_SCHEMA } from './sqlite-usage.ts';
import { nextBillingState, type BillingState } from '../../service/accounts/billing-state.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, email TEXT, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY, owner TEXT NOT NULL, name TEXT NOT NULL, prefix TEXT NOT NULL,
  created_at INTEGER NOT NULL, revoked_at INTEGER
);
CREATE INDEX IF NOT EXISTS api_keys_owner ON api_keys (owner, created_at);
-- Billing state per user (set by Stripe webhooks) and the webhook events already applied (de-duplication).
CREATE TABLE IF NOT EXISTS user_billing (
  user_id TEXT PRIMARY KEY, stripe_customer_id TEXT UNIQUE, plan TEXT, active INTEGER, event_at INTEGER
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
    // Added after the first release of the table: databases created before get the column here.
    const columns = this.db.prepare('PRAGMA table_info(user_billing)').all() as Array<{ name: string }>;
    if (!columns.some((c) => c.name === 'grace_until'))
      this.db.exec('ALTER TABLE user_billing ADD COLUMN grace_until INTEGER');
  }

  async ensureUser(user: { id: string; email?: string; now: number }): Promise<UserRecord> {
    return inTransaction(this.db, () => {
      this.db
        .prepare('INSERT INTO users (id, email, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING')
        .run(user.id, user.email ?? null, user.now);
      if (user.email)
        this.db
          .prepare('UPDATE users SET email = ? WHERE id = ? AND (email IS NULL OR email != ?)')
          .run(user.email, user.id, user.email);
      const row = this.db.prepare('SELECT id, email, created_at FROM users WHERE id = ?').get(user.id) as {
        id: string;
        email: string | null;
        created_at: number;
      };
      return { id: row.id, ...(row.email ? { email: row.email } : {}), createdAt: row.created_at };
    });
  }

  async createApiKey(key: ApiKeyRecord): Promise<void> {
    this.db
      .prepare('INSERT INTO api_keys (id, owner, name, prefix, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(key.id, key.owner, key.name, key.prefix, key.createdAt, key.revokedAt ?? null);
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

  async getUser(id: string): Promise<UserRecord | undefined> {
    const row = this.db
      .prepare(
        `SELECT u.id, u.email, u.created_at, b.stripe_customer_id, b.plan, b.active, b.grace_until
       FROM users u LEFT JOIN user_billing b ON b.user_id = u.id WHERE u.id = ?`,
      )
      .get(id) as ({ id: string; email: string | null; created_at: number } & Partial<BillingRow>) | undefined;
    if (!row) return undefined;
    return {
      id: row.id,
      ...(row.email ? { email: row.email } : {}),
      createdAt: row.created_at,
      ...(row.stripe_customer_id ? { stripeCustomerId: row.stripe_customer_id } : {}),
      ...(row.plan ? { plan: row.plan } : {}),
      ...(row.active !== null && row.active !== undefined ? { billingActive: row.active === 1 } : {}),
      ...(row.grace_until !== null && row.grace_until !== undefined ? { graceUntil: row.grace_until } : {}),
    };
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
}

function keyFromRow(r: KeyRow): ApiKeyRecord {
  return {
    id: r.id,
    owner: r.owner,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at,
    ...(r.revoked_at !== null ? { revokedAt: r.revoked_at } : {}),
  };
}

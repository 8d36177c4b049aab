/**
 * `UserAdminStore` on node:sqlite, beside `SqliteAccountStore` on the same database: a user's status and
 * admin flag live in `user_access` (absent row = active, not an admin); the plan in the account store's
 * `user_billing` (the row Stripe webhooks write too). Searches are ordered by id (id prefix, everyone) or by
 * (email, id) (email prefix) with the last row's sort key as the cursor.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { AdminUserPage, AdminUserView, UserAccess, UserAdminStore, UserStatus } from '../../service/ports.ts';
import { inTransaction } from './sqlite.ts';
import { decodeCursor, encodeCursor, prefixEnd } from '../admin-cursor.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS user_access (
  user_id TEXT PRIMARY KEY, status TEXT NOT NULL DEFAULT 'active', admin INTEGER NOT NULL DEFAULT 0,
  suspended_at INTEGER
);
CREATE INDEX IF NOT EXISTS users_email ON users (email, id);
`;

interface Row {
  id: string;
  email: string | null;
  created_at: number;
  stripe_customer_id: string | null;
  plan: string | null;
  active: number | null;
  grace_until: number | null;
  status: string | null;
  admin: number | null;
  suspended_at: number | null;
}

const SELECT = `SELECT u.id, u.email, u.created_at, b.stripe_customer_id, b.plan, b.active, b.grace_until, a.status, a.admin,
  a.suspended_at FROM users u LEFT JOIN user_billing b ON b.user_id = u.id LEFT JOIN user_access a ON a.user_id = u.id`;

export class SqliteUserAdminStore implements UserAdminStore {
  private readonly db: DatabaseSync;

  /** Needs the account store's tables (`users`, `user_billing`): construct `SqliteAccountStore` first. */
  constructor(db: DatabaseSync) {
    this.db = db;
    this.db.exec(SCHEMA);
  }

  async getAccess(userId: string): Promise<UserAccess | undefined> {
    const row = this.row(userId);
    if (!row) return undefined;
    return {
      status: statusOf(row),
      admin: row.admin === 1,
      ...(row.plan ? { plan: row.plan } : {}),
      ...(row.grace_until !== null ? { graceUntil: row.grace_until } : {}),
    };
  }

  async getUserView(userId: string): Promise<AdminUserView | undefined> {
    const row = this.row(userId);
    return row ? view(row) : undefined;
  }

  async searchUsers(input: {
    idPrefix?: string;
    emailPrefix?: string;
    limit: number;
    cursor?: string;
  }): Promise<AdminUserPage> {
    const after = input.cursor ? decodeCursor(input.cursor) : undefined;
    const byEmail = input.emailPrefix !== undefined;
    const where: string[] = [];
    const args: Array<string | number> = [];
    const prefix = byEmail ? input.emailPrefix! : (input.idPrefix ?? '');
    const column = byEmail ? 'u.email' : 'u.id';
    if (prefix) {
      // A range, not LIKE: no wildcard characters to escape, and the index serves it.
      where.push(`${column} >= ? AND ${column} < ?`);
      args.push(prefix, prefixEnd(prefix));
    } else if (byEmail) where.push('u.email IS NOT NULL');
    if (after) {
      if (byEmail) {
        where.push('(u.email > ? OR (u.email = ? AND u.id > ?))');
        args.push(after[0], after[0], after[1] ?? '');
      } else {
        where.push('u.id > ?');
        args.push(after[0]);
      }
    }
    const sql = `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${
      byEmail ? 'u.email, u.id' : 'u.id'
    } LIMIT ?`;
    const rows = this.db.prepare(sql).all(...args, input.limit + 1) as unknown as Row[];
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    return {
      users: page.map(view),
      ...(rows.length > input.limit && last
        ? { nextCursor: encodeCursor(byEmail ? [last.email ?? '', last.id] : [last.id]) }
        : {}),
    };
  }

  async setStatus(userId: string, status: UserStatus, now: number): Promise<boolean> {
    return inTransaction(this.db, () => {
      if (!this.exists(userId)) return false;
      this.db
        .prepare(
          `INSERT INTO user_access (user_id, status, suspended_at) VALUES (?, ?, ?)
           ON CONFLICT (user_id) DO UPDATE SET status = excluded.status, suspended_at = excluded.suspended_at`,
        )
        .run(userId, status, status === 'suspended' ? now : null);
      return true;
    });
  }

  async setAdmin(userId: string, admin: boolean): Promise<boolean> {
    return inTransaction(this.db, () => {
      if (!this.exists(userId)) return false;
      this.db
        .prepare(
          `INSERT INTO user_access (user_id, admin) VALUES (?, ?)
           ON CONFLICT (user_id) DO UPDATE SET admin = excluded.admin`,
        )
        .run(userId, admin ? 1 : 0);
      return true;
    });
  }

  async setPlan(userId: string, plan: string): Promise<boolean> {
    return inTransaction(this.db, () => {
      if (!this.exists(userId)) return false;
      this.db
        .prepare(
          `INSERT INTO user_billing (user_id, plan) VALUES (?, ?)
           ON CONFLICT (user_id) DO UPDATE SET plan = excluded.plan`,
        )
        .run(userId, plan);
      return true;
    });
  }

  private exists(userId: string): boolean {
    return this.db.prepare('SELECT 1 FROM users WHERE id = ?').get(userId) !== undefined;
  }

  private row(userId: string): Row | undefined {
    return this.db.prepare(`${SELECT} WHERE u.id = ?`).get(userId) as Row | undefined;
  }
}

function statusOf(row: Row): UserStatus {
  return row.status === 'suspended' ? 'suspended' : 'active';
}

function view(row: Row): AdminUserView {
  return {
    id: row.id,
    ...(row.email ? { email: row.email } : {}),
    createdAt: row.created_at,
    ...(row.stripe_customer_id ? { stripeCustomerId: row.stripe_customer_id } : {}),
    ...(row.plan ? { plan: row.plan } : {}),
    ...(row.active !== null ? { billingActive: row.active === 1 } : {}),
    ...(row.grace_until !== null ? { graceUntil: row.grace_until } : {}),
    status: statusOf(row),
    admin: row.admin === 1,
    ...(row.suspended_at !== null ? { suspendedAt: row.suspended_at } : {}),
  };
}

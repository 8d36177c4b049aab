/**
 * `UserAdminStore` on node:sqlite, beside `SqliteAccountStore` on the same database and on the same rows:
 * status, suspension time and admin flag are columns of the user record (`users`), the plan is the account
 * store's `user_billing` row (the one Stripe webhooks write too), so `SqliteAccountStore.getUser` (what
 * authentication reads) sees every change made here. Searches are ordered by id (id prefix, everyone) or by
 * (email, id) (email prefix) with the last row's sort key as the cursor.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { AdminUserPage, AdminUserView, UserAdminStore, UserRecord, UserStatus } from '../../service/ports.ts';
import { inTransaction } from './sqlite.ts';
import { decodeCursor, prefixEnd, userPage } from '../admin-cursor.ts';
import { USER_SELECT, userFromRow, type UserRow } from './sqlite-account-store.ts';

const SCHEMA = `CREATE INDEX IF NOT EXISTS users_email ON users (email, id);`;

export class SqliteUserAdminStore implements UserAdminStore {
  private readonly db: DatabaseSync;

  /** Needs the account store's tables (`users`, `user_billing`): construct `SqliteAccountStore` first. */
  constructor(db: DatabaseSync) {
    this.db = db;
    this.db.exec(SCHEMA);
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
    const sql = `${USER_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${
      byEmail ? 'u.email, u.id' : 'u.id'
    } LIMIT ?`;
    const rows = this.db.prepare(sql).all(...args, input.limit + 1) as unknown as UserRow[];
    return userPage(rows, input.limit, byEmail, view);
  }

  async setStatus(userId: string, status: UserStatus, now: number): Promise<boolean> {
    return (
      this.db
        .prepare('UPDATE users SET status = ?, suspended_at = ? WHERE id = ?')
        .run(status, status === 'suspended' ? now : null, userId).changes > 0
    );
  }

  async setAdmin(userId: string, admin: boolean): Promise<boolean> {
    return this.db.prepare('UPDATE users SET admin = ? WHERE id = ?').run(admin ? 1 : 0, userId).changes > 0;
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

  private row(userId: string): UserRow | undefined {
    return this.db.prepare(`${USER_SELECT} WHERE u.id = ?`).get(userId) as UserRow | undefined;
  }
}

function view(row: UserRow): AdminUserView {
  const user: UserRecord = userFromRow(row);
  return { ...user, status: user.status ?? 'active', admin: user.admin === true };
}

/** The administration stores' contract on node:sqlite (in memory and on a WAL file), and sqlite specifics. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { openDatabase } from '../../../shared/adapters/local/sqlite.ts';
import { SqliteAccountStore } from '../../../shared/adapters/local/sqlite-account-store.ts';
import { SqliteRateLimiter } from '../../../shared/adapters/local/sqlite-rate-limiter.ts';
import { SqliteUserAdminStore } from '../../../shared/adapters/local/sqlite-user-admin.ts';
import { SqliteAuditLog } from '../../../shared/adapters/local/sqlite-audit-log.ts';
import { describeAdminStoresContract, type AdminStoresHandle } from '../../contracts/account-admin.contract.ts';

const DAY = 86_400_000;

function on(db: DatabaseSync, cleanup: () => void = () => undefined): AdminStoresHandle {
  const accounts = new SqliteAccountStore(db);
  return {
    accounts,
    rateLimiter: new SqliteRateLimiter(db),
    exactRateLimit: true,
    userAdmin: new SqliteUserAdminStore(db),
    audit: new SqliteAuditLog(db, { retentionMs: 30 * DAY }),
    dispose: async () => {
      if (db.isOpen) db.close();
      cleanup();
    },
  };
}

describeAdminStoresContract('node:sqlite (in memory)', async () => on(openDatabase(':memory:')));
describeAdminStoresContract('node:sqlite (file, WAL)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mdraft-admin-'));
  return on(openDatabase(join(dir, 'db.sqlite')), () => rmSync(dir, { recursive: true, force: true }));
});

describe('sqlite administration specifics', () => {
  test('two connections to one file (two servers) share one counter: exactly the limit is allowed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mdraft-admin-'));
    const a = openDatabase(join(dir, 'db.sqlite'));
    const b = openDatabase(join(dir, 'db.sqlite'));
    try {
      const la = new SqliteRateLimiter(a);
      const lb = new SqliteRateLimiter(b);
      const p = { limit: 5, windowMs: 60_000, now: 1_000 };
      const decisions = [];
      for (let i = 0; i < 6; i++) decisions.push(await (i % 2 ? lb : la).hit('user:x', p));
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false]);
    } finally {
      a.close();
      b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('windows that ended are deleted when a new window starts; prune drops the rest', async () => {
    const db = openDatabase(':memory:');
    const limiter = new SqliteRateLimiter(db);
    const p = { limit: 5, windowMs: 60_000 };
    await limiter.hit('user:a', { ...p, now: 0 });
    await limiter.hit('user:b', { ...p, now: 10 });
    await limiter.hit('user:a', { ...p, now: 60_000 });
    const rows = () => (db.prepare('SELECT key, window_start FROM rate_limits ORDER BY key').all() as unknown[]).length;
    expect(rows()).toBe(1);
    expect(await limiter.prune(120_000)).toBe(1);
    expect(rows()).toBe(0);
    db.close();
  });

  test('a database of the first administration release: user_access moves into the user record, the table goes', async () => {
    const db = openDatabase(':memory:');
    // The earlier layout: users without status/admin columns, status and admin flag in user_access.
    db.exec(`CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT, created_at INTEGER NOT NULL);
      CREATE TABLE user_access (user_id TEXT PRIMARY KEY, status TEXT NOT NULL DEFAULT 'active',
        admin INTEGER NOT NULL DEFAULT 0, suspended_at INTEGER);
      INSERT INTO users VALUES ('root', NULL, 1), ('eve', NULL, 2), ('bob', NULL, 3);
      INSERT INTO user_access VALUES ('root', 'active', 1, NULL), ('eve', 'suspended', 0, 42);`);
    const accounts = new SqliteAccountStore(db);
    expect(await accounts.getUser('root')).toEqual({ id: 'root', createdAt: 1, status: 'active', admin: true });
    expect(await accounts.getUser('eve')).toEqual({ id: 'eve', createdAt: 2, status: 'suspended', suspendedAt: 42 });
    expect(await accounts.getUser('bob')).toEqual({ id: 'bob', createdAt: 3 });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'user_access'").get()).toBeUndefined();
    // Opening again finds nothing to move.
    new SqliteAccountStore(db);
    expect(await new SqliteUserAdminStore(db).getUserView('root')).toMatchObject({ admin: true, status: 'active' });
    db.close();
  });

  test('the audit log drops entries older than the retention when it appends', async () => {
    const db = openDatabase(':memory:');
    new SqliteAccountStore(db);
    const audit = new SqliteAuditLog(db, { retentionMs: 10 * DAY });
    const e = (at: number, n: string) => ({
      id: `${String(at).padStart(13, '0')}_${n}`,
      at,
      actor: 'root',
      action: 'user.suspend',
      target: 'a',
      requestId: n,
    });
    await audit.append(e(DAY, 'old'));
    await audit.append(e(12 * DAY, 'new'));
    expect((await audit.list({ limit: 10 })).entries.map((x) => x.requestId)).toEqual(['new']);
    db.close();
  });
});

/**
 * `RateLimiter` on node:sqlite: one row per (key, window start) holding the window's count. A hit is one
 * `INSERT … ON CONFLICT DO UPDATE … RETURNING`, which SQLite runs under the database write lock, so two
 * servers on the same file (WAL) count every request exactly once. The first hit of a new window deletes the
 * windows that ended before it (all keys), so the table holds about one window per active key.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { RateLimitDecision, RateLimiter } from '../../service/ports.ts';
import { decide, windowStart } from '../../service/accounts/rate-limit.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rate_limits (
  key TEXT NOT NULL, window_start INTEGER NOT NULL, window_end INTEGER NOT NULL, count INTEGER NOT NULL,
  PRIMARY KEY (key, window_start)
);
CREATE INDEX IF NOT EXISTS rate_limits_end ON rate_limits (window_end);
`;

export class SqliteRateLimiter implements RateLimiter {
  private readonly db: DatabaseSync;
  private readonly bump: StatementSync;
  private readonly drop: StatementSync;

  constructor(db: DatabaseSync) {
    this.db = db;
    this.db.exec(SCHEMA);
    this.bump = db.prepare(
      `INSERT INTO rate_limits (key, window_start, window_end, count) VALUES (?, ?, ?, 1)
       ON CONFLICT (key, window_start) DO UPDATE SET count = count + 1 RETURNING count`,
    );
    this.drop = db.prepare('DELETE FROM rate_limits WHERE window_end <= ?');
  }

  async hit(key: string, input: { limit: number; windowMs: number; now: number }): Promise<RateLimitDecision> {
    const start = windowStart(input.now, input.windowMs);
    const { count } = this.bump.get(key, start, start + input.windowMs) as { count: number };
    if (count === 1) this.drop.run(start);
    return decide(count, input);
  }

  async prune(before: number): Promise<number> {
    return Number(this.drop.run(before).changes);
  }
}

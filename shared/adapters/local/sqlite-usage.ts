/**
 * The monthly usage counter in the embedded database, shared by the two stores on it: `SqliteJobStore`
 * adds to it inside the transaction that marks a job `succeeded` (a succeeded job and its usage must never
 * disagree), `SqliteAccountStore` reads it. One row per owner and calendar month (UTC, `YYYY-MM`).
 */
import type { DatabaseSync } from 'node:sqlite';
import type { QuotaState, UsageDay, UsageRecord } from '../../service/ports.ts';
import type { ChargeEffects } from '../../service/jobs/charges.ts';

export const USAGE_SCHEMA = `
CREATE TABLE IF NOT EXISTS usage (
  owner TEXT NOT NULL, month TEXT NOT NULL, jobs INTEGER NOT NULL, pages INTEGER NOT NULL,
  PRIMARY KEY (owner, month)
);
`;

/** One more succeeded job with `pages` pages; the caller's transaction makes it atomic with the job's success. */
export function addUsage(db: DatabaseSync, owner: string, month: string, pages: number): void {
  db.prepare(
    `INSERT INTO usage (owner, month, jobs, pages) VALUES (?, ?, 1, ?)
     ON CONFLICT (owner, month) DO UPDATE SET jobs = jobs + 1, pages = pages + excluded.pages`,
  ).run(owner, month, pages);
}

export function readUsage(db: DatabaseSync, owner: string, month: string): UsageRecord {
  const row = db.prepare('SELECT jobs, pages FROM usage WHERE owner = ? AND month = ?').get(owner, month) as
    { jobs: number; pages: number } | undefined;
  return { owner, month, jobs: row?.jobs ?? 0, pages: row?.pages ?? 0 };
}

/**
 * The allowance counters (`quota`: units used and reserved per owner and month) and the per-day usage rows
 * (`usage_days`: per owner, day and format), changed by `SqliteJobStore` in each transition's transaction
 * (`chargeEffects`) and read by `SqliteAccountStore`.
 */
export const CHARGE_SCHEMA = `
CREATE TABLE IF NOT EXISTS quota (
  owner TEXT NOT NULL, month TEXT NOT NULL, used INTEGER NOT NULL, reserved INTEGER NOT NULL,
  PRIMARY KEY (owner, month)
);
CREATE TABLE IF NOT EXISTS usage_days (
  owner TEXT NOT NULL, day TEXT NOT NULL, format TEXT NOT NULL, jobs INTEGER NOT NULL,
  failures INTEGER NOT NULL, units INTEGER NOT NULL, pages INTEGER NOT NULL,
  PRIMARY KEY (owner, day, format)
);
`;

/** Applies one transition's counter changes; the caller's transaction makes them atomic with the job. */
export function applyChargeEffects(db: DatabaseSync, owner: string, effects: ChargeEffects): void {
  const q = effects.quota;
  if (q) {
    db.prepare(
      `INSERT INTO quota (owner, month, used, reserved) VALUES (?, ?, ?, ?)
       ON CONFLICT (owner, month) DO UPDATE SET used = used + excluded.used, reserved = reserved + excluded.reserved`,
    ).run(owner, q.month, q.used, q.reserved);
  }
  const u = effects.usage;
  if (u) {
    db.prepare(
      `INSERT INTO usage_days (owner, day, format, jobs, failures, units, pages) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (owner, day, format) DO UPDATE SET jobs = jobs + excluded.jobs,
         failures = failures + excluded.failures, units = units + excluded.units, pages = pages + excluded.pages`,
    ).run(owner, u.day, u.format, u.jobs, u.failures, u.units, u.pages);
  }
}

export function readQuota(db: DatabaseSync, owner: string, month: string): QuotaState {
  const row = db.prepare('SELECT used, reserved FROM quota WHERE owner = ? AND month = ?').get(owner, month) as
    { used: number; reserved: number } | undefined;
  return { owner, month, used: row?.used ?? 0, reserved: row?.reserved ?? 0 };
}

export function readUsageDays(db: DatabaseSync, owner: string, range: { from: string; to: string }): UsageDay[] {
  return (
    db
      .prepare(
        `SELECT day, format, jobs, failures, units, pages FROM usage_days
         WHERE owner = ? AND day >= ? AND day <= ? ORDER BY day, format`,
      )
      .all(owner, range.from, range.to) as unknown as Omit<UsageDay, 'owner'>[]
  ).map((r) => ({ owner, ...r }));
}

/**
 * The monthly usage counter in the embedded database, shared by the two stores on it: `SqliteJobStore`
 * adds to it inside the transaction that marks a job `succeeded` (a succeeded job and its usage must never
 * disagree), `SqliteAccountStore` reads it. One row per owner and calendar month (UTC, `YYYY-MM`).
 */
import type { DatabaseSync } from 'node:sqlite';
import type { UsageRecord } from '../../service/ports.ts';

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

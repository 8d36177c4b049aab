/**
 * The analyses' tables in the embedded database, used by `SqliteJobStore` (analyses live with their job):
 * `analyses` (one row per analysis: the record as JSON plus the columns queries filter on), `ai_quota` (AI
 * calls counted per owner and month) and `ai_usage_days` (succeeded analyses per owner, day and format).
 * The counters change only through `applyAiEffects`, inside the transaction that writes the analysis.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { AiQuotaState, AiUsageDay, Analysis } from '../../service/ports.ts';
import type { AiEffects } from '../../service/analyses/counters.ts';

export const ANALYSES_SCHEMA = `
CREATE TABLE IF NOT EXISTS analyses (
  id TEXT PRIMARY KEY,
  job_id TEXT NOT NULL,
  owner TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  lease_expires_at INTEGER,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS analyses_job_created ON analyses (job_id, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS analyses_status_lease ON analyses (status, lease_expires_at);
CREATE INDEX IF NOT EXISTS analyses_status_updated ON analyses (status, updated_at);
CREATE TABLE IF NOT EXISTS ai_quota (
  owner TEXT NOT NULL, month TEXT NOT NULL, calls INTEGER NOT NULL,
  PRIMARY KEY (owner, month)
);
CREATE TABLE IF NOT EXISTS ai_usage_days (
  owner TEXT NOT NULL, day TEXT NOT NULL, format TEXT NOT NULL, calls INTEGER NOT NULL,
  PRIMARY KEY (owner, day, format)
);
`;

export function insertAnalysis(db: DatabaseSync, a: Analysis): void {
  db.prepare(
    `INSERT INTO analyses (id, job_id, owner, status, created_at, updated_at, lease_expires_at, doc)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(a.id, a.jobId, a.owner, a.status, a.createdAt, a.updatedAt, a.leaseExpiresAt ?? null, JSON.stringify(a));
}

export function writeAnalysis(db: DatabaseSync, a: Analysis): void {
  db.prepare('UPDATE analyses SET status = ?, updated_at = ?, lease_expires_at = ?, doc = ? WHERE id = ?').run(
    a.status,
    a.updatedAt,
    a.leaseExpiresAt ?? null,
    JSON.stringify(a),
    a.id,
  );
}

export function readAnalysis(db: DatabaseSync, id: string): Analysis | undefined {
  const row = db.prepare('SELECT doc FROM analyses WHERE id = ?').get(id) as { doc: string } | undefined;
  return row ? (JSON.parse(row.doc) as Analysis) : undefined;
}

export function analysesOf(rows: unknown[]): Analysis[] {
  return (rows as { doc: string }[]).map((r) => JSON.parse(r.doc) as Analysis);
}

export function applyAiEffects(db: DatabaseSync, owner: string, effects: AiEffects): void {
  const q = effects.allowance;
  if (q) {
    db.prepare(
      `INSERT INTO ai_quota (owner, month, calls) VALUES (?, ?, ?)
       ON CONFLICT (owner, month) DO UPDATE SET calls = calls + excluded.calls`,
    ).run(owner, q.month, q.calls);
  }
  const u = effects.usage;
  if (u) {
    db.prepare(
      `INSERT INTO ai_usage_days (owner, day, format, calls) VALUES (?, ?, ?, ?)
       ON CONFLICT (owner, day, format) DO UPDATE SET calls = calls + excluded.calls`,
    ).run(owner, u.day, u.format, u.calls);
  }
}

export function readAiQuota(db: DatabaseSync, owner: string, month: string): AiQuotaState {
  const row = db.prepare('SELECT calls FROM ai_quota WHERE owner = ? AND month = ?').get(owner, month) as
    { calls: number } | undefined;
  return { owner, month, calls: row?.calls ?? 0 };
}

export function readAiUsageDays(db: DatabaseSync, owner: string, range: { from: string; to: string }): AiUsageDay[] {
  return (
    db
      .prepare(
        `SELECT day, format, calls FROM ai_usage_days WHERE owner = ? AND day >= ? AND day <= ? ORDER BY day, format`,
      )
      .all(owner, range.from, range.to) as unknown as Omit<AiUsageDay, 'owner'>[]
  ).map((r) => ({ owner, ...r }));
}

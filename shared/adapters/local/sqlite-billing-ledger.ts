/**
 * `Billing` for the embedded default without a Stripe key: usage is written to a ledger table in the local
 * database (one row per job, so reporting the same job again changes nothing) and nobody is charged. It
 * shows what would be billed, and keeps the worker's billing path exercised locally.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { Billing, UsageReport } from '../../service/ports.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS billing_ledger (
  job_id TEXT PRIMARY KEY, owner TEXT NOT NULL, pages INTEGER NOT NULL, at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS billing_ledger_owner ON billing_ledger (owner, at);
`;

export interface LedgerEntry {
  jobId: string;
  owner: string;
  pages: number;
  at: number;
}

export class SqliteBillingLedger implements Billing {
  readonly kind = 'ledger' as const;
  private readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
    this.db.exec(SCHEMA);
  }

  async recordUsage(usage: UsageReport): Promise<{ recorded: boolean; reason?: 'duplicate' }> {
    const inserted =
      this.db
        .prepare(
          'INSERT INTO billing_ledger (job_id, owner, pages, at) VALUES (?, ?, ?, ?) ON CONFLICT (job_id) DO NOTHING',
        )
        .run(usage.jobId, usage.owner, usage.pages, usage.at).changes > 0;
    return inserted ? { recorded: true } : { recorded: false, reason: 'duplicate' };
  }

  /** The owner's entries, oldest first. */
  entries(owner: string): LedgerEntry[] {
    return (
      this.db
        .prepare('SELECT job_id, owner, pages, at FROM billing_ledger WHERE owner = ? ORDER BY at, job_id')
        .all(owner) as unknown as { job_id: string; owner: string; pages: number; at: number }[]
    ).map((r) => ({ jobId: r.job_id, owner: r.owner, pages: r.pages, at: r.at }));
  }
}

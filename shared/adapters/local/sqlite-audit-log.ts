/**
 * `AuditLog` on node:sqlite: `audit_log` rows, newest first by id (ids start with the time). Retention: each
 * append deletes the entries older than `retentionMs` (indexed by time, so the delete is cheap); Firestore
 * uses a TTL policy for the same rule.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { AuditEntry, AuditLog, AuditPage } from '../../service/ports.ts';
import { decodeCursor, encodeCursor } from '../admin-cursor.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_log (
  id TEXT PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,
  request_id TEXT NOT NULL, details TEXT
);
CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log (at);
CREATE INDEX IF NOT EXISTS audit_log_target ON audit_log (target, id);
`;

interface Row {
  id: string;
  at: number;
  actor: string;
  action: string;
  target: string;
  request_id: string;
  details: string | null;
}

export class SqliteAuditLog implements AuditLog {
  private readonly db: DatabaseSync;
  private readonly retentionMs: number;

  constructor(db: DatabaseSync, options: { retentionMs: number }) {
    this.db = db;
    this.retentionMs = options.retentionMs;
    this.db.exec(SCHEMA);
  }

  async append(entry: AuditEntry): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO audit_log (id, at, actor, action, target, request_id, details) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        entry.id,
        entry.at,
        entry.actor,
        entry.action,
        entry.target,
        entry.requestId,
        entry.details ? JSON.stringify(entry.details) : null,
      );
    this.db.prepare('DELETE FROM audit_log WHERE at < ?').run(entry.at - this.retentionMs);
  }

  async list(input: { limit: number; cursor?: string; target?: string }): Promise<AuditPage> {
    const where: string[] = [];
    const args: string[] = [];
    if (input.target !== undefined) {
      where.push('target = ?');
      args.push(input.target);
    }
    if (input.cursor) {
      where.push('id < ?');
      args.push(decodeCursor(input.cursor)[0]);
    }
    const rows = this.db
      .prepare(`SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`)
      .all(...args, input.limit + 1) as unknown as Row[];
    const page = rows.slice(0, input.limit).map(fromRow);
    return {
      entries: page,
      ...(rows.length > input.limit ? { nextCursor: encodeCursor([page.at(-1)!.id]) } : {}),
    };
  }
}

function fromRow(r: Row): AuditEntry {
  return {
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    target: r.target,
    requestId: r.request_id,
    ...(r.details ? { details: JSON.parse(r.details) as AuditEntry['details'] } : {}),
  };
}

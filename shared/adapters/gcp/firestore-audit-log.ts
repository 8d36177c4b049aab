/**
 * `AuditLog` on Firestore: `auditLog/<entry id>` (ids start with the time, so ordering by id is by time).
 * Retention: each entry carries `expiresAt` = its time + the retention, the TTL field Terraform declares
 * (`firestore-indexes.json` → `google_firestore_field`); Firestore deletes expired entries within about a
 * day. Reading by target uses the composite index (target, id desc).
 */
import type { CollectionReference, DocumentData, Firestore, Query } from '@google-cloud/firestore';
import type { AuditEntry, AuditLog, AuditPage } from '../../service/ports.ts';
import { decodeCursor, encodeCursor } from '../admin-cursor.ts';
import { isPlainDocId, withoutUndefined } from './firestore-docs.ts';

export class FirestoreAuditLog implements AuditLog {
  private readonly entries: CollectionReference;
  private readonly retentionMs: number;

  constructor(options: { firestore: Firestore; collectionPrefix?: string; retentionMs: number }) {
    this.entries = options.firestore.collection(`${options.collectionPrefix ?? ''}auditLog`);
    this.retentionMs = options.retentionMs;
  }

  async append(entry: AuditEntry): Promise<void> {
    if (!isPlainDocId(entry.id)) throw new Error('an audit entry id is <time>_<random>');
    await this.entries
      .doc(entry.id)
      .create({ ...withoutUndefined(entry), expiresAt: new Date(entry.at + this.retentionMs) });
  }

  async list(input: { limit: number; cursor?: string; target?: string }): Promise<AuditPage> {
    let q: Query<DocumentData> = this.entries;
    if (input.target !== undefined) q = q.where('target', '==', input.target);
    q = q.orderBy('id', 'desc');
    if (input.cursor) q = q.startAfter(decodeCursor(input.cursor)[0]);
    const snap = await q.limit(input.limit + 1).get();
    const all = snap.docs.map((d) => {
      const { expiresAt: _ttl, ...entry } = d.data() as AuditEntry & { expiresAt?: unknown };
      return entry as AuditEntry;
    });
    const page = all.slice(0, input.limit);
    return {
      entries: page,
      ...(all.length > input.limit ? { nextCursor: encodeCursor([page.at(-1)!.id]) } : {}),
    };
  }
}

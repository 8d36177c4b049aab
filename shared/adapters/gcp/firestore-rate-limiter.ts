/**
 * `RateLimiter` on Firestore: sharded counters per (key, window).
 *
 * Firestore sustains about ONE write per second to a single document
 * (https://firebase.google.com/docs/firestore/best-practices#high_read_write_and_delete_rates, "Limits:
 * sustained write rate to a document"); a plan allowing 600 requests a minute writes 10 times a second.
 * So each window of each key is spread over `shardCount(limit, windowMs)` documents
 * `rateLimits/<key doc id>_<window start>_<shard>` = `{ key, window, count, expiresAt }`, each hit
 * increments ONE random shard (`FieldValue.increment`, no transaction, no contention retry) and then sums
 * the window's shards with an aggregation query (`sum(count)`, billed as one read per 1000 index entries,
 * not per shard). Shards = the limit's per-second rate, rounded up, at most 100: at the allowed rate every
 * shard stays at or under one write per second. Refused traffic is kept off the store by the service's
 * refusal memo (`shared/service/accounts/rate-limit.ts`): one write per instance per refused window.
 *
 * Correctness under concurrency: every hit's increment lands before its own sum is read, so the n-th
 * increment reads a sum of at least n: at most `limit` hits can read a sum within the limit (never more
 * allowed; a racing hit may be refused early). `expiresAt` (window end + one window) is the TTL field;
 * Terraform declares the TTL policy (`firestore-indexes.json`).
 */
import { AggregateField, FieldValue, type CollectionReference, type Firestore } from '@google-cloud/firestore';
import type { RateLimitDecision, RateLimiter } from '../../service/ports.ts';
import { decide, windowStart } from '../../service/accounts/rate-limit.ts';
import { docIdFor } from './firestore-docs.ts';

/** The number of counter documents for a window of `windowMs` allowing `limit` hits (1…100). */
export function shardCount(limit: number, windowMs: number): number {
  return Math.min(100, Math.max(1, Math.ceil(limit / (windowMs / 1000))));
}

export class FirestoreRateLimiter implements RateLimiter {
  private readonly counters: CollectionReference;
  private readonly random: () => number;

  constructor(options: { firestore: Firestore; collectionPrefix?: string; random?: () => number }) {
    this.counters = options.firestore.collection(`${options.collectionPrefix ?? ''}rateLimits`);
    this.random = options.random ?? Math.random;
  }

  async hit(key: string, input: { limit: number; windowMs: number; now: number }): Promise<RateLimitDecision> {
    const start = windowStart(input.now, input.windowMs);
    const shard = Math.floor(this.random() * shardCount(input.limit, input.windowMs));
    await this.counters.doc(`${docIdFor(key)}_${start}_${shard}`).set(
      {
        key,
        window: start,
        count: FieldValue.increment(1),
        expiresAt: new Date(start + 2 * input.windowMs),
      },
      { merge: true },
    );
    const snap = await this.counters
      .where('key', '==', key)
      .where('window', '==', start)
      .aggregate({ total: AggregateField.sum('count') })
      .get();
    return decide(Number(snap.data().total ?? 0), input);
  }
}

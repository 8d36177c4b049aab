/**
 * Document ids and values shared by the Firestore stores (`FirestoreJobStore`, `FirestoreAccountStore`),
 * so both address the same documents: the usage counter one writes and the other reads in particular.
 */
import { createHash } from 'node:crypto';

/** Ids we mint are `[A-Za-z0-9_-]`; anything else (a path, `__name__`) is never a document of ours. */
export function isPlainDocId(id: string): boolean {
  return /^[A-Za-z0-9_-]{1,200}$/.test(id) && !/^__.*__$/.test(id);
}

/** A user id as a document id: kept when plain, hashed otherwise (ids with `/` would address subcollections). */
export function docIdFor(id: string): string {
  return isPlainDocId(id) && id.length <= 128 ? id : `h_${createHash('sha256').update(id).digest('hex')}`;
}

/** `usage/<YYYY-MM>_<owner doc id>`: one counter document per owner and calendar month (UTC). */
export function usageDocId(owner: string, month: string): string {
  return `${month}_${docIdFor(owner)}`;
}

/** Firestore refuses `undefined`; optional fields are simply absent. */
export function withoutUndefined<T extends object>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** `quota/<YYYY-MM>_<owner doc id>`: the month's allowance state (`used`, `reserved`). */
export function quotaDocId(owner: string, month: string): string {
  return `${month}_${docIdFor(owner)}`;
}

/** `usageDays/<YYYY-MM-DD>_<owner doc id>`: `{owner, day, formats: {<format>: {jobs, failures, units, pages}}}`. */
export function usageDayDocId(owner: string, day: string): string {
  return `${day}_${docIdFor(owner)}`;
}

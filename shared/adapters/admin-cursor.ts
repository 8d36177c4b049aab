/**
 * Cursors of the admin listings (users, audit log), shared by the sqlite and Firestore adapters: the last
 * row's sort key as base64url JSON. A cursor that does not decode is an `InvalidCursorError` (400). The user
 * search's page (`userPage`) is cut and given its cursor here too, so both stores resume after the same key.
 */
import type { AdminUserPage, AdminUserView } from '../service/ports.ts';
import { InvalidCursorError } from '../service/jobs/errors.ts';

export function encodeCursor(key: string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string): string[] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length >= 1 && value.every((v) => typeof v === 'string'))
      return value as string[];
  } catch {
    // Falls through to the typed error.
  }
  throw new InvalidCursorError();
}

/** The least string greater than every string starting with `prefix` (for range scans); `prefix` non-empty. */
export function prefixEnd(prefix: string): string {
  return prefix + '\uffff';
}

/**
 * A page of the user search from the rows read in its sort order, `limit + 1` at the most: the first `limit`
 * as views, and when there were more, a cursor after the last one shown. The sort key the cursor holds is
 * `[email, id]` for a search by email prefix (`byEmail`) and `[id]` otherwise, which is what both stores'
 * `searchUsers` resume after.
 */
export function userPage<R extends { id: string; email?: string | null }>(
  rows: R[],
  limit: number,
  byEmail: boolean,
  view: (row: R) => AdminUserView,
): AdminUserPage {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    users: page.map(view),
    ...(rows.length > limit && last
      ? { nextCursor: encodeCursor(byEmail ? [last.email ?? '', last.id] : [last.id]) }
      : {}),
  };
}

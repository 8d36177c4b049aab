/**
 * Cursors of the admin listings (users, audit log), shared by the sqlite and Firestore adapters: the last
 * row's sort key as base64url JSON. A cursor that does not decode is an `InvalidCursorError` (400).
 */
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

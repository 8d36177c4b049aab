/**
 * Encodings every JobStore adapter shares, so cursors and usage months mean the same thing whichever
 * database is behind the API: an opaque listing cursor (newest first by `createdAt`, then `id`) and the
 * calendar month (UTC) that usage is counted under.
 */
import type { Job } from '../service/ports.ts';

export function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** The position after `item` (a job or an analysis: anything listed newest first by creation time, then id). */
export function encodeCursor(job: Pick<Job, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([job.createdAt, job.id]), 'utf8').toString('base64url');
}

/** The position a cursor points after, or undefined for a cursor that is not ours. */
export function decodeCursor(cursor: string): { createdAt: number; id: string } | undefined {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof createdAt === 'number' && typeof id === 'string') return { createdAt, id };
  } catch {
    /* not a cursor of ours */
  }
  return undefined;
}

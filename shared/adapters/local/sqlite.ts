/**
 * Opening the embedded database: WAL for concurrent readers; a SHORT busy timeout (100 ms), because
 * `DatabaseSync` waits for a lock on the event loop: longer waits are `retryBusy`'s asynchronous backoff.
 */
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { StorageFullError, StoreBusyError } from '../../service/ports.ts';
import { backoffDelay } from '../../service/backoff.ts';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export function openDatabase(path: string): DatabaseSync {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec('PRAGMA busy_timeout = 100');
  if (path !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA foreign_keys = ON');
  return db;
}

/**
 * Runs `fn` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so two processes
 * cannot both read a state and then both write a transition. `DatabaseSync` is synchronous, so within a
 * process nothing else interleaves either.
 */
export function inTransaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const out = fn();
    db.exec('COMMIT');
    return out;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** SQLite result codes (https://www.sqlite.org/rescode.html): primary code in the low byte. */
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_FULL = 13;

function sqliteCode(error: unknown): number | undefined {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' ? code & 0xff : undefined;
}

/** SQLITE_FULL → `StorageFullError`; anything else unchanged. */
export function asStoreError(error: unknown): unknown {
  return sqliteCode(error) === SQLITE_FULL
    ? new StorageFullError(`the database has no room left: ${(error as Error).message}`, { cause: error })
    : error;
}

/**
 * Runs a synchronous database write, retrying while the database is locked by another connection (BUSY,
 * LOCKED) with jittered exponential backoff between attempts, so the event loop turns while it waits.
 * @throws StoreBusyError after about `budgetMs` (default 5 s) of refusals; StorageFullError on SQLITE_FULL;
 *   any other error as is.
 */
export async function retryBusy<T>(fn: () => T, budgetMs = 5000): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return fn();
    } catch (error) {
      const code = sqliteCode(error);
      if (code !== SQLITE_BUSY && code !== SQLITE_LOCKED) throw asStoreError(error);
      if (Date.now() - started >= budgetMs)
        throw new StoreBusyError(`the database stayed locked for ${budgetMs} ms`, { cause: error });
      await sleep(backoffDelay(attempt, { initialMs: 20, maxMs: 500, jitter: 'half' }));
    }
  }
}

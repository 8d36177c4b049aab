/**
 * A durable task queue in the embedded database, with Cloud Tasks' HTTP-target semantics: a task is a
 * POST of its body to its URL; 2xx ends it, anything else (or no answer within the dispatch deadline)
 * retries it with exponential backoff until `maxAttempts`. Names de-duplicate: a name is refused while
 * its task exists and for `tombstoneMs` after it ended. A task being dispatched when the process died
 * is picked up again once its dispatch lease runs out, so nothing is lost.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { EnqueueRequest, TaskQueue } from '../../service/ports.ts';
import { inTransaction } from './sqlite.ts';
import { logs } from '../../service/logs.ts';
import { backoffDelay } from '../../service/backoff.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS tasks (
  name TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL,
  retry_count INTEGER NOT NULL DEFAULT 0,
  execution_count INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL,
  lease_until INTEGER,
  created_at INTEGER NOT NULL,
  finished_at INTEGER,
  last_status INTEGER,
  last_error TEXT
);
CREATE INDEX IF NOT EXISTS tasks_due ON tasks (status, next_at);
`;

export interface TaskQueueOptions {
  db: DatabaseSync;
  queueName?: string;
  maxAttempts: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  dispatchDeadlineMs: number;
  concurrency: number;
  /** How long an ended task's name stays taken (Cloud Tasks: about an hour). */
  tombstoneMs?: number;
  /** Extra headers on every dispatch (the embedded default's internal token). */
  headers?: Record<string, string>;
  pollMs?: number;
  now?: () => number;
}

export interface TaskRow {
  name: string;
  url: string;
  body: string;
  status: 'pending' | 'dispatching' | 'done' | 'failed';
  retry_count: number;
  execution_count: number;
  next_at: number;
  lease_until: number | null;
  created_at: number;
  finished_at: number | null;
  last_status: number | null;
  last_error: string | null;
}

export class SqliteTaskQueue implements TaskQueue {
  private readonly db: DatabaseSync;
  private readonly o: Required<Omit<TaskQueueOptions, 'db' | 'headers'>> & { headers: Record<string, string> };
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private inflight = 0;
  private readonly active = new Set<Promise<void>>();

  constructor(options: TaskQueueOptions) {
    this.db = options.db;
    this.db.exec(SCHEMA);
    this.o = {
      queueName: options.queueName ?? 'mdraft-convert',
      maxAttempts: options.maxAttempts,
      minBackoffMs: options.minBackoffMs,
      maxBackoffMs: options.maxBackoffMs,
      dispatchDeadlineMs: options.dispatchDeadlineMs,
      concurrency: options.concurrency,
      tombstoneMs: options.tombstoneMs ?? 3600_000,
      headers: options.headers ?? {},
      pollMs: options.pollMs ?? 250,
      now: options.now ?? Date.now,
    };
  }

  async enqueue(task: EnqueueRequest): Promise<{ created: boolean }> {
    if (!/^[A-Za-z0-9_-]{1,500}$/.test(task.name)) throw new Error(`invalid task name ${task.name}`);
    const now = this.o.now();
    const created = inTransaction(this.db, () => {
      const existing = this.db.prepare('SELECT status, finished_at FROM tasks WHERE name = ?').get(task.name) as
        { status: string; finished_at: number | null } | undefined;
      if (existing) {
        const ended = existing.status === 'done' || existing.status === 'failed';
        if (!ended || (existing.finished_at ?? now) > now - this.o.tombstoneMs) return false;
        this.db.prepare('DELETE FROM tasks WHERE name = ?').run(task.name);
      }
      this.db
        .prepare("INSERT INTO tasks (name, url, body, status, next_at, created_at) VALUES (?, ?, ?, 'pending', ?, ?)")
        .run(task.name, task.url, JSON.stringify(task.body ?? null), task.scheduleTime?.getTime() ?? now, now);
      return true;
    });
    if (created) this.wake();
    return { created };
  }

  /** Starts the dispatcher loop. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops dispatching new tasks and waits for the ones in flight. */
  async close(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.active]);
  }

  getTask(name: string): TaskRow | undefined {
    return this.db.prepare('SELECT * FROM tasks WHERE name = ?').get(name) as TaskRow | undefined;
  }

  /** Tasks not yet ended. */
  pendingCount(): number {
    return (
      this.db.prepare("SELECT COUNT(*) AS n FROM tasks WHERE status IN ('pending', 'dispatching')").get() as {
        n: number;
      }
    ).n;
  }

  private wake(): void {
    if (this.running) this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), ms);
    this.timer.unref();
  }

  private tick(): void {
    if (!this.running) return;
    try {
      const free = this.o.concurrency - this.inflight;
      if (free > 0) for (const row of this.claimDue(free)) this.track(this.dispatch(row));
    } catch (error) {
      logs.taskDispatchFailed({ task: '(queue)', attempt: 0, error: (error as Error).message, final: false });
    }
    this.schedule(this.o.pollMs);
  }

  private track(p: Promise<void>): void {
    this.inflight++;
    this.active.add(p);
    void p.finally(() => {
      this.inflight--;
      this.active.delete(p);
      this.wake();
    });
  }

  private claimDue(limit: number): TaskRow[] {
    const now = this.o.now();
    return inTransaction(this.db, () => {
      const rows = this.db
        .prepare(
          `SELECT * FROM tasks WHERE (status = 'pending' AND next_at <= ?) OR (status = 'dispatching' AND lease_until <= ?)
         ORDER BY next_at LIMIT ?`,
        )
        .all(now, now, limit) as unknown as TaskRow[];
      const lease = now + this.o.dispatchDeadlineMs + 5000;
      for (const r of rows)
        this.db.prepare("UPDATE tasks SET status = 'dispatching', lease_until = ? WHERE name = ?").run(lease, r.name);
      return rows;
    });
  }

  private async dispatch(row: TaskRow): Promise<void> {
    let status: number | undefined;
    let error: string | undefined;
    try {
      const res = await fetch(row.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Google-Cloud-Tasks',
          'X-CloudTasks-QueueName': this.o.queueName,
          'X-CloudTasks-TaskName': row.name,
          'X-CloudTasks-TaskRetryCount': String(row.retry_count),
          'X-CloudTasks-TaskExecutionCount': String(row.execution_count),
          'X-CloudTasks-TaskETA': (row.next_at / 1000).toFixed(3),
          ...this.o.headers,
        },
        body: row.body,
        signal: AbortSignal.timeout(this.o.dispatchDeadlineMs),
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (e) {
      error = (e as Error).name === 'TimeoutError' ? 'dispatch deadline exceeded' : (e as Error).message;
    }
    const now = this.o.now();
    if (status !== undefined && status >= 200 && status < 300) {
      this.db
        .prepare(
          "UPDATE tasks SET status = 'done', finished_at = ?, last_status = ?, execution_count = execution_count + 1, lease_until = NULL WHERE name = ?",
        )
        .run(now, status, row.name);
      return;
    }
    const attempts = row.retry_count + 1;
    const final = attempts >= this.o.maxAttempts;
    const executed = status !== undefined ? 1 : 0;
    logs.taskDispatchFailed({
      task: row.name,
      attempt: attempts,
      ...(status !== undefined ? { status } : {}),
      ...(error ? { error } : {}),
      final,
    });
    if (final) {
      this.db
        .prepare(
          `UPDATE tasks SET status = 'failed', finished_at = ?, retry_count = ?, execution_count = execution_count + ?,
         last_status = ?, last_error = ?, lease_until = NULL WHERE name = ?`,
        )
        .run(now, attempts, executed, status ?? null, error ?? null, row.name);
      return;
    }
    this.db
      .prepare(
        `UPDATE tasks SET status = 'pending', next_at = ?, retry_count = ?, execution_count = execution_count + ?,
       last_status = ?, last_error = ?, lease_until = NULL WHERE name = ?`,
      )
      .run(now + this.backoff(attempts), attempts, executed, status ?? null, error ?? null, row.name);
  }

  /** Delay before retry number `retry` (1-based): doubling from the minimum, capped at the maximum. */
  backoff(retry: number): number {
    return backoffDelay(retry, { initialMs: this.o.minBackoffMs, maxMs: this.o.maxBackoffMs });
  }
}

/**
 * A durable task queue in the embedded database, with Cloud Tasks' HTTP-target semantics: a task is a
 * POST of its body to its URL; 2xx ends it, anything else (or no answer within the dispatch deadline)
 * retries it with exponential backoff until `maxAttempts`. Names de-duplicate: a name is refused while
 * its task exists and for `tombstoneMs` after it ended. A task being dispatched when the process died
 * is picked up again as soon as the queue starts again (one dispatcher per database), so nothing is lost.
 *
 * Fairness: tasks carry a `fairnessKey` (the job's owner); each free slot goes to the key with the fewest tasks
 * in flight, then the one served longest ago, so one tenant's backlog holds another's task back by at most the
 * tasks already in flight. Failures of the queue's own bookkeeping (a locked or full database) never escape as
 * unhandled rejections: they are logged and retried with backoff; a task whose outcome could not be recorded
 * stays leased and is delivered again (at least once).
 */
import type { DatabaseSync } from 'node:sqlite';
import type { EnqueueRequest, TaskQueue } from '../../service/ports.ts';
import { inTransaction, retryBusy } from './sqlite.ts';
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

// Added after the first release: databases created before get the column on open.
const FAIRNESS_COLUMN = "ALTER TABLE tasks ADD COLUMN fairness_key TEXT NOT NULL DEFAULT ''";
const FAIRNESS_INDEX = 'CREATE INDEX IF NOT EXISTS tasks_fair ON tasks (fairness_key, status, next_at)';
const DUE = "((status = 'pending' AND next_at <= ?) OR (status = 'dispatching' AND lease_until <= ?))";

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
  fairness_key: string;
}

export class SqliteTaskQueue implements TaskQueue {
  private readonly db: DatabaseSync;
  private readonly o: Required<Omit<TaskQueueOptions, 'db' | 'headers'>> & { headers: Record<string, string> };
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private inflight = 0;
  private readonly active = new Set<Promise<void>>();
  /** Tasks in flight per fairness key, and when each key was last served (a dispatch sequence number). */
  private readonly inflightByKey = new Map<string, number>();
  private readonly servedAt = new Map<string, number>();
  private served = 0;

  /** The queue's table answers a read (a locked or broken database throws, which the health check reports). */
  async ping(): Promise<boolean> {
    this.db.prepare('SELECT COUNT(*) AS n FROM tasks').get();
    return true;
  }

  constructor(options: TaskQueueOptions) {
    this.db = options.db;
    this.db.exec(SCHEMA);
    const columns = this.db.prepare('PRAGMA table_info(tasks)').all() as { name: string }[];
    if (!columns.some((c) => c.name === 'fairness_key')) this.db.exec(FAIRNESS_COLUMN);
    this.db.exec(FAIRNESS_INDEX);
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
    const created = await retryBusy(() =>
      inTransaction(this.db, () => {
        const existing = this.db.prepare('SELECT status, finished_at FROM tasks WHERE name = ?').get(task.name) as
          { status: string; finished_at: number | null } | undefined;
        if (existing) {
          const ended = existing.status === 'done' || existing.status === 'failed';
          if (!ended || (existing.finished_at ?? now) > now - this.o.tombstoneMs) return false;
          this.db.prepare('DELETE FROM tasks WHERE name = ?').run(task.name);
        }
        this.db
          .prepare(
            "INSERT INTO tasks (name, url, body, status, next_at, created_at, fairness_key) VALUES (?, ?, ?, 'pending', ?, ?, ?)",
          )
          .run(
            task.name,
            task.url,
            JSON.stringify(task.body ?? null),
            task.scheduleTime?.getTime() ?? now,
            now,
            task.fairnessKey ?? '',
          );
        return true;
      }),
    );
    if (created) this.wake();
    return { created };
  }

  /**
   * Starts the dispatcher loop. Tasks left `dispatching` by a previous process (it died mid-delivery) are due
   * again at once instead of after their dispatch lease: this process is the database's only dispatcher, so
   * none of them is still in flight. (A job's own lease decides whether the redelivery may take it over.)
   */
  start(): void {
    if (this.running) return;
    this.running = true;
    try {
      this.db
        .prepare("UPDATE tasks SET status = 'pending', next_at = ?, lease_until = NULL WHERE status = 'dispatching'")
        .run(this.o.now());
    } catch (error) {
      logs.queueBookkeepingFailed({ step: 'recover in-flight tasks', error: (error as Error).message, final: false });
    }
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
      if (free > 0) for (const row of this.claimDue(free)) this.track(row, this.dispatch(row));
    } catch (error) {
      logs.taskDispatchFailed({ task: '(queue)', attempt: 0, error: (error as Error).message, final: false });
    }
    this.schedule(this.o.pollMs);
  }

  private track(row: TaskRow, p: Promise<void>): void {
    const key = row.fairness_key ?? '';
    this.inflight++;
    this.inflightByKey.set(key, (this.inflightByKey.get(key) ?? 0) + 1);
    this.active.add(p);
    void p
      .catch((error: unknown) => {
        // Only the bookkeeping can throw here (dispatch catches the delivery's own errors): the task stays
        // leased and is delivered again once the lease runs out.
        logs.queueBookkeepingFailed({ step: `task ${row.name}`, error: (error as Error).message, final: true });
      })
      .finally(() => {
        this.inflight--;
        const left = (this.inflightByKey.get(key) ?? 1) - 1;
        if (left > 0) this.inflightByKey.set(key, left);
        else this.inflightByKey.delete(key);
        this.active.delete(p);
        this.wake();
      });
  }

  /**
   * Takes up to `limit` due tasks, one slot at a time to the fairness key with the fewest tasks in flight, then
   * the one served longest ago (round-robin), each key's tasks in due order. Marks them `dispatching`.
   */
  private claimDue(limit: number): TaskRow[] {
    const now = this.o.now();
    return inTransaction(this.db, () => {
      const keys = (
        this.db.prepare(`SELECT DISTINCT fairness_key AS k FROM tasks WHERE ${DUE}`).all(now, now) as { k: string }[]
      ).map((r) => r.k);
      const inflight = new Map(this.inflightByKey);
      const taken: TaskRow[] = [];
      const next = this.db.prepare(
        `SELECT * FROM tasks WHERE fairness_key = ? AND ${DUE} ORDER BY next_at, created_at LIMIT 1`,
      );
      const lease = now + this.o.dispatchDeadlineMs + 5000;
      const mark = this.db.prepare("UPDATE tasks SET status = 'dispatching', lease_until = ? WHERE name = ?");
      while (taken.length < limit && keys.length > 0) {
        keys.sort(
          (a, b) =>
            (inflight.get(a) ?? 0) - (inflight.get(b) ?? 0) ||
            (this.servedAt.get(a) ?? 0) - (this.servedAt.get(b) ?? 0),
        );
        const key = keys[0];
        const row = next.get(key, now, now) as unknown as TaskRow | undefined;
        if (!row) {
          keys.shift();
          continue;
        }
        mark.run(lease, row.name);
        taken.push(row);
        inflight.set(key, (inflight.get(key) ?? 0) + 1);
        this.servedAt.set(key, ++this.served);
      }
      return taken;
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
    await this.record(row.name, () => this.recordOutcome(row, status, error));
  }

  /**
   * Runs one bookkeeping write, retrying with backoff (`shared/service/backoff.ts`) when the database is locked
   * or full, so a transient failure neither blocks the event loop nor loses the outcome. Gives up after about
   * ten seconds: the caller's task then stays leased and is delivered again.
   */
  private async record(what: string, write: () => void): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        write();
        return;
      } catch (error) {
        const final = attempt >= 8;
        logs.queueBookkeepingFailed({ step: `record ${what}`, error: (error as Error).message, final });
        if (final) throw error;
        await new Promise((r) => setTimeout(r, backoffDelay(attempt, { initialMs: 50, maxMs: 4000, jitter: 'half' })));
      }
    }
  }

  private recordOutcome(row: TaskRow, status: number | undefined, error: string | undefined): void {
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

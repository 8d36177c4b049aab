/**
 * `GET /v1/usage` and `GET /v1/usage/export`: the caller's usage from the per-day rows the job store writes
 * when each job ends (`UsageDay`: jobs, failures, units, pages per day and format). AI-tool calls are not
 * counted yet (the AI-tools issue adds them) and read 0.
 */
import type { PipelineDeps } from '../jobs/deps.ts';
import type { UsageDay } from '../ports.ts';
import { dayOf } from '../jobs/charges.ts';

export type UsageGroup = 'day' | 'month' | 'format';

export interface UsageRow {
  /** The day (`YYYY-MM-DD`), month (`YYYY-MM`) or format the row adds up. */
  key: string;
  jobs: number;
  failures: number;
  units: number;
  pages: number;
  aiCalls: number;
}

/** The longest range one request may cover (days). */
export const MAX_RANGE_DAYS = 366;

/** The range asked for, defaulting to the current month up to today (UTC). */
export function usageRange(now: number, from?: string, to?: string): { from: string; to: string } {
  const today = dayOf(now);
  return { from: from ?? `${today.slice(0, 8)}01`, to: to ?? today };
}

export async function usageRows(
  deps: PipelineDeps,
  owner: string,
  range: { from: string; to: string },
): Promise<UsageDay[]> {
  return deps.accounts.listUsageDays(owner, range);
}

/** Sums the rows by `groupBy`, in key order. */
export function groupUsage(rows: UsageDay[], groupBy: UsageGroup): UsageRow[] {
  const groups = new Map<string, UsageRow>();
  for (const r of rows) {
    const key = groupBy === 'day' ? r.day : groupBy === 'month' ? r.day.slice(0, 7) : r.format;
    const g = groups.get(key) ?? { key, jobs: 0, failures: 0, units: 0, pages: 0, aiCalls: 0 };
    g.jobs += r.jobs;
    g.failures += r.failures;
    g.units += r.units;
    g.pages += r.pages;
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function totalUsage(rows: UsageRow[]): Omit<UsageRow, 'key'> {
  return rows.reduce(
    (t, r) => ({
      jobs: t.jobs + r.jobs,
      failures: t.failures + r.failures,
      units: t.units + r.units,
      pages: t.pages + r.pages,
      aiCalls: t.aiCalls + r.aiCalls,
    }),
    { jobs: 0, failures: 0, units: 0, pages: 0, aiCalls: 0 },
  );
}

/**
 * `GET /v1/usage` and `GET /v1/usage/export`: the caller's usage from the per-day rows the job store writes
 * when each job ends (`UsageDay`: jobs, failures, units, pages per day and format) and when each analysis
 * succeeds (`AiUsageDay`: AI calls per day, under the analysed document's format), merged by day and format.
 */
import type { PipelineDeps } from '../jobs/deps.ts';
import type { AiUsageDay, UsageDay } from '../ports.ts';
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

/** One day and format of usage: the conversions' counters and the AI calls (succeeded analyses). */
export type UsageDayRow = UsageDay & { aiCalls: number };

/** The owner's rows in the range, by day then format: conversions and AI calls merged (zeros where one has none). */
export async function usageRows(
  deps: PipelineDeps,
  owner: string,
  range: { from: string; to: string },
): Promise<UsageDayRow[]> {
  const [days, ai] = await Promise.all([
    deps.accounts.listUsageDays(owner, range),
    deps.jobs.listAiUsageDays(owner, range),
  ]);
  return mergeAiUsage(days, ai);
}

/** Adds the AI calls to the day-and-format rows (a row of their own where no job ended that day in that format). */
export function mergeAiUsage(days: UsageDay[], ai: AiUsageDay[]): UsageDayRow[] {
  const rows = new Map<string, UsageDayRow>();
  for (const d of days) rows.set(`${d.day}\u0000${d.format}`, { ...d, aiCalls: 0 });
  for (const a of ai) {
    const key = `${a.day}\u0000${a.format}`;
    const row = rows.get(key) ?? {
      owner: a.owner,
      day: a.day,
      format: a.format,
      jobs: 0,
      failures: 0,
      units: 0,
      pages: 0,
      aiCalls: 0,
    };
    row.aiCalls += a.calls;
    rows.set(key, row);
  }
  return [...rows.values()].sort((x, y) =>
    x.day !== y.day ? (x.day < y.day ? -1 : 1) : x.format < y.format ? -1 : x.format > y.format ? 1 : 0,
  );
}

/** Sums the rows by `groupBy`, in key order. */
export function groupUsage(rows: UsageDayRow[], groupBy: UsageGroup): UsageRow[] {
  const groups = new Map<string, UsageRow>();
  for (const r of rows) {
    const key = groupBy === 'day' ? r.day : groupBy === 'month' ? r.day.slice(0, 7) : r.format;
    const g = groups.get(key) ?? { key, jobs: 0, failures: 0, units: 0, pages: 0, aiCalls: 0 };
    g.jobs += r.jobs;
    g.failures += r.failures;
    g.units += r.units;
    g.pages += r.pages;
    g.aiCalls += r.aiCalls;
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

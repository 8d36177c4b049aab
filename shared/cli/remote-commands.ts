/**
 * `mdraft jobs list|get|result|delete` and `mdraft usage`: the account's jobs and usage on an MDraft API,
 * through the client generated from the OpenAPI document (`api.ts`, `shared/client/`). Output: a table for people, `--json` for scripts (the API's
 * body as is). An API error prints `mdraft <command>: <code>: <message> (request <id>)` on stderr and exits 1.
 * Options are parsed and validated by the command table (`program.ts`).
 */
import { promises as fs } from 'node:fs';
import { ApiClientError, cliClient, resultLink, unwrap, type Job } from './api.ts';

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface RemoteArgs {
  /** API base URL without a trailing slash. */
  api: string;
  key: string;
  json: boolean;
}

export type JobsAction =
  /** `search`: `GET /v1/jobs?q=` (file name prefix search; the API refuses text with no letter or digit). */
  | { action: 'list'; limit: number; cursor?: string; all: boolean; search?: string }
  | { action: 'get'; id: string }
  | { action: 'result'; id: string; format: 'md' | 'json'; output?: string }
  | { action: 'delete'; ids: string[] };

export interface UsageArgs {
  from?: string;
  to?: string;
  groupBy: 'day' | 'month' | 'format';
  csv: boolean;
}

/** Runs one `jobs` action; returns the exit code (0 done, 1 the API refused or the server is unreachable). */
export function runJobs(args: RemoteArgs & JobsAction, io: Io): Promise<number> {
  const client = cliClient(args);
  return reported(`mdraft jobs ${args.action}`, io, async () => {
    switch (args.action) {
      case 'list': {
        let cursor = args.cursor;
        const jobs: Job[] = [];
        let next: string | undefined;
        do {
          const page = unwrap(
            await client.GET('/v1/jobs', {
              params: {
                query: {
                  limit: args.limit,
                  ...(cursor ? { cursor } : {}),
                  ...(args.search !== undefined ? { q: args.search } : {}),
                },
              },
            }),
          );
          jobs.push(...page.jobs);
          next = page.nextCursor;
          cursor = next;
        } while (args.all && next);
        if (args.json) io.stdout.write(`${JSON.stringify({ jobs, ...(next ? { nextCursor: next } : {}) }, null, 2)}\n`);
        else {
          io.stdout.write(
            table(
              ['ID', 'STATUS', 'CREATED', 'PAGES', 'FILE'],
              jobs.map((j) => [
                j.id,
                j.error ? `${j.status} (${j.error.code})` : j.status,
                j.createdAt,
                String(j.pages ?? ''),
                j.filename,
              ]),
            ),
          );
          // The cursor pages the same search: the hint repeats it (the API pages `q` like an unfiltered list).
          const search = args.search !== undefined ? ` --search ${JSON.stringify(args.search)}` : '';
          if (next) io.stderr.write(`more:${search} --cursor ${next} (or --all)\n`);
        }
        return;
      }
      case 'get': {
        const { job } = unwrap(await client.GET('/v1/jobs/{id}', { params: { path: { id: args.id } } }));
        io.stdout.write(`${JSON.stringify(job, null, 2)}\n`);
        return;
      }
      case 'result': {
        const link = await resultLink(client, args.id, args.format);
        // The signed URL carries its own authority: the API key is not sent to the storage host.
        const res = await fetch(link.url);
        if (!res.ok) throw new ApiClientError(res.status, 'download_failed', `download failed (HTTP ${res.status})`);
        const bytes = Buffer.from(await res.arrayBuffer());
        if (args.output) {
          await fs.writeFile(args.output, bytes);
          io.stderr.write(`${args.id} -> ${args.output}\n`);
        } else io.stdout.write(bytes);
        return;
      }
      case 'delete': {
        for (const id of args.ids) {
          unwrap(await client.DELETE('/v1/jobs/{id}', { params: { path: { id } } }));
          io.stderr.write(`deleted ${id}\n`);
        }
        return;
      }
    }
  });
}

/** `mdraft usage`: rows and their total for the range (default: this month), or the CSV export. */
export function runUsage(args: RemoteArgs & UsageArgs, io: Io): Promise<number> {
  const client = cliClient(args);
  const query = {
    groupBy: args.groupBy,
    ...(args.from ? { from: args.from } : {}),
    ...(args.to ? { to: args.to } : {}),
  };
  return reported('mdraft usage', io, async () => {
    if (args.csv) {
      io.stdout.write(unwrap(await client.GET('/v1/usage/export', { params: { query }, parseAs: 'text' })));
      return;
    }
    const usage = unwrap(await client.GET('/v1/usage', { params: { query } }));
    if (args.json) {
      io.stdout.write(`${JSON.stringify(usage, null, 2)}\n`);
      return;
    }
    const counts = (r: Omit<(typeof usage.rows)[number], 'key'>) => [r.jobs, r.failures, r.units, r.pages].map(String);
    io.stdout.write(`usage ${usage.from} to ${usage.to}, by ${usage.groupBy}\n`);
    io.stdout.write(
      table(
        [usage.groupBy.toUpperCase(), 'JOBS', 'FAILED', 'UNITS', 'PAGES'],
        [...usage.rows.map((r) => [r.key, ...counts(r)]), ['total', ...counts(usage.total)]],
      ),
    );
  });
}

/** Runs `work`; an API error (or an unreachable server) becomes one line on stderr and exit 1. */
async function reported(name: string, io: Io, work: () => Promise<void>): Promise<number> {
  try {
    await work();
    return 0;
  } catch (error) {
    if (error instanceof ApiClientError) {
      io.stderr.write(
        `${name}: ${error.code}: ${error.message}${error.requestId ? ` (request ${error.requestId})` : ''}\n`,
      );
      return 1;
    }
    // fetch's own TypeError (duck-typed: it may come from another realm, e.g. under a test runner).
    const e = error as { name?: unknown; message?: unknown; cause?: { message?: string } } | undefined;
    if (e?.name === 'TypeError' && typeof e.message === 'string' && /fetch failed/.test(e.message)) {
      const cause = e.cause?.message;
      io.stderr.write(`${name}: cannot reach the API${cause ? `: ${cause}` : ''}\n`);
      return 1;
    }
    throw error;
  }
}

/** Left-aligned columns separated by two spaces; the last column is not padded. */
function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? '')].length)));
  return all
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  '))
    .join('\n')
    .concat('\n');
}

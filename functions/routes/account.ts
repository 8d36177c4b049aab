/**
 * The account routes of the `api` function (issue 9): the caller's profile, estimates, confirmation of a
 * counted job, usage and its CSV export. Thin like `api.ts`: parse with zod, call a use case, answer; the
 * typed errors of the use cases are mapped by `api.ts` (`toApiError`), the few specific to these routes here.
 */
import type { Principal } from '../../shared/service/auth/authenticate.ts';
import { badRequest, conflict } from '../../shared/service/http/errors.ts';
import { parseJsonBody, parseWith } from '../../shared/service/http/body.ts';
import { json, type HttpRequest, type HttpResponse } from '../../shared/service/http/types.ts';
import { csvStream } from '../../shared/common/csv.ts';
import type { PipelineDeps } from '../../shared/service/jobs/deps.ts';
import { confirmOwnedJob } from '../../shared/service/jobs/confirm-job.ts';
import { NotAwaitingConfirmationError } from '../../shared/service/jobs/errors.ts';
import { deleteMe, getMe, updateMe, userPlan } from '../../shared/service/accounts/profile.ts';
import { estimate } from '../../shared/service/accounts/estimate.ts';
import { priceCents } from '../../shared/service/accounts/pricing.ts';
import { groupUsage, MAX_RANGE_DAYS, totalUsage, usageRange, usageRows } from '../../shared/service/accounts/usage.ts';
import { toJobView, type JobView } from '../../shared/service/jobs/view.ts';
import type { Job } from '../../shared/service/ports.ts';
import type { RouteDef } from './types.ts';
import { accountRoutes as specs } from '../../shared/service/http/schemas/account.ts';

export function accountRoutes(deps: PipelineDeps): RouteDef[] {
  return [
    { spec: specs.getMe, run: async (_r, who) => json(200, { me: await getMe(deps, who.uid) }) },
    {
      spec: specs.updateMe,
      run: async (req, who) =>
        json(200, { me: await updateMe(deps, who.uid, parseJsonBody(req, specs.updateMe.body)) }),
    },
    {
      spec: specs.deleteMe,
      run: async (req, who) => {
        await deleteMe(deps, who.uid, req.requestId);
        return { status: 204 };
      },
    },
    {
      spec: specs.estimate,
      run: async (req, who) =>
        json(200, { estimate: await estimate(deps, who.uid, parseJsonBody(req, specs.estimate.body)) }),
    },
    {
      spec: specs.confirmJob,
      run: async (req, who, [id]) => {
        try {
          const job = await confirmOwnedJob(deps, who.uid, id, req.requestId);
          return json(200, { job: await pricedJobView(deps, job) });
        } catch (error) {
          if (error instanceof NotAwaitingConfirmationError) throw conflict('not_awaiting_confirmation', error.message);
          throw error;
        }
      },
    },
    { spec: specs.getUsage, run: (req, who) => usage(deps, req, who) },
    { spec: specs.exportUsage, run: (req, who) => usageExport(deps, req, who) },
  ];
}

/** The job view with the price of its counted units on the owner's plan (`priceCents`). */
export async function pricedJobView(deps: PipelineDeps, job: Job): Promise<JobView & { priceCents?: number }> {
  const view = toJobView(job);
  if (job.units === undefined) return view;
  const { plan } = userPlan(deps, await deps.accounts.getUser(job.owner));
  return { ...view, priceCents: priceCents(plan, job.units) };
}

function rangeOf(deps: PipelineDeps, req: HttpRequest) {
  const q = parseWith(specs.getUsage.query, Object.fromEntries(req.query), 'invalid_query');
  const range = usageRange(deps.now(), q.from, q.to);
  const days = (Date.parse(range.to) - Date.parse(range.from)) / 86400_000;
  if (days < 0) throw badRequest('invalid_query', '`from` is after `to`');
  if (days >= MAX_RANGE_DAYS) throw badRequest('invalid_query', `a range covers at most ${MAX_RANGE_DAYS} days`);
  return { range, groupBy: q.groupBy };
}

async function usage(deps: PipelineDeps, req: HttpRequest, who: Principal): Promise<HttpResponse> {
  const { range, groupBy } = rangeOf(deps, req);
  const rows = groupUsage(await usageRows(deps, who.uid, range), groupBy);
  return json(200, { ...range, groupBy, rows, total: totalUsage(rows) });
}

/** One CSV record per day and format (RFC 4180, CRLF, header first); `groupBy` is not used. */
async function usageExport(deps: PipelineDeps, req: HttpRequest, who: Principal): Promise<HttpResponse> {
  const { range } = rangeOf(deps, req);
  const rows = await usageRows(deps, who.uid, range);
  const body = csvStream(
    ['day', 'format', 'jobs', 'failures', 'units', 'pages', 'ai_calls'],
    rows.map((r) => [r.day, r.format, r.jobs, r.failures, r.units, r.pages, r.aiCalls]),
  );
  return {
    status: 200,
    headers: {
      'Content-Type': 'text/csv; charset=utf-8; header=present',
      'Content-Disposition': `attachment; filename="mdraft-usage-${range.from}-${range.to}.csv"`,
    },
    body,
  };
}

/**
 * What each JobStore transition answers and writes, the same for every store: a port call's input becomes a
 * `Decide`, which, given the record the store read inside its transaction, returns the call's answer and the
 * record to write (undefined: write nothing). The rules themselves are the decisions of
 * `shared/service/jobs/states.ts`, `analyses/states.ts` and `webhooks/state.ts`; this only fixes, once, which
 * of their results are written, so the stores' transactions (`transition`, `analysisTransition`) cannot drift
 * apart. Transitions that add writes of their own (a queue's allowance read, a completion's usage counter) stay
 * in the stores.
 */
import type {
  Analysis,
  AnalysisClaimResult,
  ClaimResult,
  ConfirmOutcome,
  Job,
  MarkQueuedOutcome,
} from '../service/ports.ts';
import { claimJob, confirmJob, expireJob, failJob, releaseJob, renewLease } from '../service/jobs/states.ts';
import {
  claimAnalysis,
  completeAnalysis,
  failAnalysis,
  releaseAnalysis,
  renewAnalysisLease,
} from '../service/analyses/states.ts';
import { markWebhookEnqueued, recordWebhookAttempt } from '../service/webhooks/state.ts';

/** Given the record as read (undefined: none), the call's answer and the record to write (undefined: none). */
export type Decide<R, T> = (before: R | undefined) => [T, R | undefined];

/** A boolean transition's answer: true, and the record written, when the decision allowed it. */
export function written<R>(next: R | undefined): [boolean, R | undefined] {
  return [next !== undefined, next];
}

/** A queue decision (`queueJob`) writes unless it was a duplicate delivery or the job had moved on. */
export function queued(outcome: MarkQueuedOutcome): [MarkQueuedOutcome, Job | undefined] {
  const writes = outcome.outcome !== 'duplicate' && outcome.outcome !== 'stale';
  return [outcome, writes ? outcome.job : undefined];
}

type Input<F extends (...args: never[]) => unknown, N extends number> = Parameters<F>[N];

export const jobDecisions = {
  confirm:
    (input: Input<typeof confirmJob, 1>): Decide<Job, ConfirmOutcome> =>
    (job) => {
      const confirmed = confirmJob(job, input);
      return [confirmed, confirmed.ok ? confirmed.job : undefined];
    },
  claim:
    (input: Input<typeof claimJob, 1>): Decide<Job, ClaimResult> =>
    (job) => {
      const claimed = claimJob(job, input);
      return [claimed, claimed.ok ? claimed.job : undefined];
    },
  extendLease:
    (leaseId: string, input: Input<typeof renewLease, 2>): Decide<Job, boolean> =>
    (job) =>
      written(renewLease(job, leaseId, input)),
  release:
    (leaseId: string, input: Input<typeof releaseJob, 2>): Decide<Job, boolean> =>
    (job) =>
      written(releaseJob(job, leaseId, input)),
  fail:
    (input: Input<typeof failJob, 1>): Decide<Job, boolean> =>
    (job) =>
      written(failJob(job, input)),
  expire:
    (input: Input<typeof expireJob, 1>): Decide<Job, boolean> =>
    (job) =>
      written(expireJob(job, input)),
  /** Answers the job as recorded (undefined when the attempt was not due or the job is gone). */
  recordWebhookAttempt:
    (input: Input<typeof recordWebhookAttempt, 1>): Decide<Job, Job | undefined> =>
    (job) => {
      const next = recordWebhookAttempt(job, input);
      return [next, next];
    },
  markWebhookEnqueued:
    (eventId: string): Decide<Job, boolean> =>
    (job) =>
      written(markWebhookEnqueued(job, eventId)),
};

export const analysisDecisions = {
  claim:
    (input: Input<typeof claimAnalysis, 1>): Decide<Analysis, AnalysisClaimResult> =>
    (a) => {
      const claimed = claimAnalysis(a, input);
      return [claimed, claimed.ok ? claimed.analysis : undefined];
    },
  extendLease:
    (leaseId: string, input: Input<typeof renewAnalysisLease, 2>): Decide<Analysis, boolean> =>
    (a) =>
      written(renewAnalysisLease(a, leaseId, input)),
  release:
    (leaseId: string, input: Input<typeof releaseAnalysis, 2>): Decide<Analysis, boolean> =>
    (a) =>
      written(releaseAnalysis(a, leaseId, input)),
  complete:
    (leaseId: string, input: Input<typeof completeAnalysis, 2>): Decide<Analysis, boolean> =>
    (a) =>
      written(completeAnalysis(a, leaseId, input)),
  fail:
    (input: Input<typeof failAnalysis, 1>): Decide<Analysis, boolean> =>
    (a) =>
      written(failAnalysis(a, input)),
};

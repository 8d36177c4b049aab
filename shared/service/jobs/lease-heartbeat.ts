/**
 * The worker's heartbeat: while a conversion runs, its lease is renewed every `config.leaseRenewMs` (a third
 * of the lease), so the lease can be short (a minute) and a crashed worker's job is taken over promptly,
 * while a live one keeps it however long it converts. A refused renewal means the lease was lost (taken over,
 * the job finished or was deleted): the heartbeat stops and `lost` says so. A store error is logged and tried
 * again on the next beat, never an unhandled rejection.
 */
import type { PipelineDeps } from './deps.ts';
import { logs } from '../logs.ts';

export interface Heartbeat {
  /** True once a renewal was refused. */
  readonly lost: boolean;
  stop(): void;
}

export function startHeartbeat(deps: PipelineDeps, jobId: string, leaseId: string, requestId?: string): Heartbeat {
  let lost = false;
  let beating = false;
  const timer = setInterval(() => {
    if (beating) return;
    beating = true;
    deps.jobs
      .extendLease(jobId, leaseId, { leaseMs: deps.config.leaseMs, now: deps.now() })
      .then((held) => {
        if (held) return;
        lost = true;
        clearInterval(timer);
        logs.leaseLost({ requestId, jobId });
      })
      .catch((error: unknown) => {
        logs.leaseRenewalFailed({ requestId, jobId, error: error instanceof Error ? error.message : String(error) });
      })
      .finally(() => {
        beating = false;
      });
  }, deps.config.leaseRenewMs);
  timer.unref();
  return {
    get lost() {
      return lost;
    },
    stop: () => clearInterval(timer),
  };
}

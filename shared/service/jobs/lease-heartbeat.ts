/**
 * The worker's heartbeat: while a conversion (or an analysis) runs, its lease is renewed every
 * `config.leaseRenewMs` (a third of the lease), so the lease can be short (a minute) and a crashed worker's
 * work is taken over promptly, while a live one keeps it however long it runs. A refused renewal means the
 * lease was lost (taken over, the record finished or was deleted): the heartbeat stops and `lost` says so. A
 * store error is reported and tried again on the next beat, never an unhandled rejection.
 */
import type { PipelineDeps } from './deps.ts';
import { logs } from '../logs.ts';

export interface Heartbeat {
  /** True once a renewal was refused. */
  readonly lost: boolean;
  stop(): void;
}

/**
 * Calls `renew` every `intervalMs` (ms), one renewal at a time (a slow one makes the next beat skip, not
 * pile up). `renew` resolves to false when the lease is no longer held: `onLost` runs once and the beats stop.
 * A rejection goes to `onError` with its message. The timer never keeps the process alive.
 */
export function keepLease(
  intervalMs: number,
  renew: () => Promise<boolean>,
  on: { onLost?: () => void; onError: (message: string) => void },
): Heartbeat {
  let lost = false;
  let beating = false;
  const timer = setInterval(() => {
    if (beating) return;
    beating = true;
    renew()
      .then((held) => {
        if (held) return;
        lost = true;
        clearInterval(timer);
        on.onLost?.();
      })
      .catch((error: unknown) => on.onError(error instanceof Error ? error.message : String(error)))
      .finally(() => {
        beating = false;
      });
  }, intervalMs);
  timer.unref();
  return {
    get lost() {
      return lost;
    },
    stop: () => clearInterval(timer),
  };
}

/** The conversion's heartbeat on job `jobId`'s lease `leaseId`, its lost lease and failed renewals logged. */
export function startHeartbeat(deps: PipelineDeps, jobId: string, leaseId: string, requestId?: string): Heartbeat {
  return keepLease(
    deps.config.leaseRenewMs,
    () => deps.jobs.extendLease(jobId, leaseId, { leaseMs: deps.config.leaseMs, now: deps.now() }),
    {
      onLost: () => logs.leaseLost({ requestId, jobId }),
      onError: (error) => logs.leaseRenewalFailed({ requestId, jobId, error }),
    },
  );
}

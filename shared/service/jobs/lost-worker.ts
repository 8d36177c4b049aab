/**
 * The cleanup's rule for a lease that expired (conversions, `cleanup.ts`, and analyses, `analyses/recover.ts`):
 * the work is ended only when no delivery is left to take it over — the expired lease was on the last of
 * `maxAttempts` attempts (`attempts_exhausted`), or it expired more than `lostWorkerGraceMs` ago, so the queue
 * gave up without telling us (`worker_lost`). Otherwise a retry is still coming and the work is left alone.
 */
import type { Config } from '../config.ts';
import type { JobError } from '../ports.ts';

/**
 * The error to end the work with, or undefined to leave it for its retry. `record`: its attempts so far and
 * its lease's expiry (epoch ms); `now`: epoch ms; `what` names the work in the message.
 */
export function lostWorkerError(
  record: { attempts: number; leaseExpiresAt?: number },
  now: number,
  config: Pick<Config, 'maxAttempts' | 'lostWorkerGraceMs'>,
  what: 'job' | 'analysis',
): JobError | undefined {
  if (record.attempts >= config.maxAttempts)
    return {
      code: 'attempts_exhausted',
      message: `the worker stopped responding on the last of ${config.maxAttempts} attempts`,
    };
  if ((record.leaseExpiresAt ?? 0) < now - config.lostWorkerGraceMs)
    return { code: 'worker_lost', message: `the worker stopped responding and no retry took the ${what} over` };
  return undefined;
}

/** The cleanup's rule for expired leases, shared by conversions and analyses. */
import { lostWorkerError } from '../../../shared/service/jobs/lost-worker.ts';

const config = { maxAttempts: 3, lostWorkerGraceMs: 60_000 };
const now = 1_000_000;

test('a lease that expired on the last attempt ends the work attempts_exhausted, grace or not', () => {
  expect(lostWorkerError({ attempts: 3, leaseExpiresAt: now - 1 }, now, config, 'job')).toEqual({
    code: 'attempts_exhausted',
    message: 'the worker stopped responding on the last of 3 attempts',
  });
});

test('an earlier attempt waits for its retry until the grace period has passed, then ends worker_lost', () => {
  expect(lostWorkerError({ attempts: 1, leaseExpiresAt: now - 60_000 }, now, config, 'job')).toBeUndefined();
  expect(lostWorkerError({ attempts: 1, leaseExpiresAt: now - 60_001 }, now, config, 'analysis')).toEqual({
    code: 'worker_lost',
    message: 'the worker stopped responding and no retry took the analysis over',
  });
});

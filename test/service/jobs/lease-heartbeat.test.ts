/** `keepLease`, the beat under both heartbeats (conversions and analyses): renewals, a lost lease, errors. */
import { keepLease } from '../../../shared/service/jobs/lease-heartbeat.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until `done()` holds, or 5 s: the beats are 5 ms apart, but on a machine busy with other test files a
 * fixed 60 ms sleep saw only one of them (a CI run).
 */
async function until(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!done() && Date.now() < deadline) await sleep(5);
}

test('renews while the lease is held; a refused renewal reports the loss once and stops the beats', async () => {
  let calls = 0;
  let lostCalls = 0;
  const beat = keepLease(5, async () => ++calls < 3, { onLost: () => lostCalls++, onError: () => undefined });
  await until(() => beat.lost);
  await sleep(30); // no beat after the loss
  expect(calls).toBe(3);
  expect(lostCalls).toBe(1);
  expect(beat.lost).toBe(true);
  beat.stop();
});

test('a failed renewal is reported and tried again on the next beat; stop ends the beats', async () => {
  let calls = 0;
  const errors: string[] = [];
  const beat = keepLease(
    5,
    async () => {
      calls++;
      if (calls === 1) throw new Error('store unavailable');
      return true;
    },
    { onError: (message) => errors.push(message) },
  );
  await until(() => calls > 1);
  beat.stop();
  const after = calls;
  expect(errors).toEqual(['store unavailable']);
  expect(after).toBeGreaterThan(1);
  expect(beat.lost).toBe(false);
  await sleep(30);
  expect(calls).toBe(after);
});

test('a slow renewal is never overlapped by the next beat', async () => {
  let running = 0;
  let most = 0;
  const beat = keepLease(
    2,
    async () => {
      running++;
      most = Math.max(most, running);
      await sleep(15);
      running--;
      return true;
    },
    { onError: () => undefined },
  );
  await until(() => most > 0);
  await sleep(60); // several beats' worth of time while renewals take 15 ms each
  beat.stop();
  expect(most).toBe(1);
});

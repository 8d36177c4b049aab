/** `keepLease`, the beat under both heartbeats (conversions and analyses): renewals, a lost lease, errors. */
import { keepLease } from '../../../shared/service/jobs/lease-heartbeat.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('renews while the lease is held; a refused renewal reports the loss once and stops the beats', async () => {
  let calls = 0;
  let lostCalls = 0;
  const beat = keepLease(5, async () => ++calls < 3, { onLost: () => lostCalls++, onError: () => undefined });
  await sleep(80);
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
  await sleep(60);
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
  await sleep(60);
  beat.stop();
  expect(most).toBe(1);
});

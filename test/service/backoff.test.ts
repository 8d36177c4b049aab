import { backoffDelay } from '../../shared/service/backoff.ts';

describe('backoffDelay', () => {
  test('doubles from the initial delay and stops at the cap', () => {
    const policy = { initialMs: 100, maxMs: 1000 };
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, policy))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  test('another factor grows by it', () => {
    expect([1, 2, 3].map((a) => backoffDelay(a, { initialMs: 200, maxMs: 5000, factor: 1.5 }))).toEqual([
      200, 300, 450,
    ]);
  });

  test('a huge attempt count stays at the cap instead of overflowing', () => {
    expect(backoffDelay(10_000, { initialMs: 1000, maxMs: 60_000 })).toBe(60_000);
  });

  test('half jitter stays within [step/2, step]', () => {
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(3, { initialMs: 1000, maxMs: 30_000, jitter: 'half' });
      expect(d).toBeGreaterThanOrEqual(2000);
      expect(d).toBeLessThanOrEqual(4000);
    }
  });

  test.each([0, -1, 1.5, Number.NaN])('attempt %p is refused', (attempt) => {
    expect(() => backoffDelay(attempt, { initialMs: 1, maxMs: 2 })).toThrow(RangeError);
  });
});

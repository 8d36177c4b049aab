/**
 * The one retry-delay rule every retry loop uses (the local task queue, the local finalize-event delivery, the
 * Document AI adapter, the CLI's status polling): exponential growth from `initialMs` by `factor` per attempt,
 * capped at `maxMs`, optionally jittered. Cloud Tasks' own rule is the model (min/max backoff, doubling):
 * https://cloud.google.com/tasks/docs/reference/rest/v2/projects.locations.queues#RetryConfig
 */
export interface BackoffPolicy {
  /** Delay before the first retry, in milliseconds. */
  initialMs: number;
  /** The cap, in milliseconds. */
  maxMs: number;
  /** Growth per attempt. Default 2 (doubling). */
  factor?: number;
  /**
   * `none`: the step as is (deterministic: queues whose tests check the schedule); `half`: uniformly in
   * [step/2, step], so parallel clients hitting one quota do not retry in lockstep. Default `none`.
   */
  jitter?: 'none' | 'half';
}

/**
 * The delay before retry number `attempt` (1 = the first retry), in milliseconds.
 * @throws RangeError when `attempt` is not a positive integer.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy): number {
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  const factor = policy.factor ?? 2;
  // The exponent is capped so a long-lived retry count never overflows to Infinity before the cap applies.
  const step = Math.min(policy.maxMs, policy.initialMs * factor ** Math.min(attempt - 1, 60));
  return policy.jitter === 'half' ? step / 2 + Math.random() * (step / 2) : step;
}

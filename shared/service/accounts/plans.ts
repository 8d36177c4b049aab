/**
 * Plans: what each tier of the service allows. One table, read from configuration (`MDRAFT_PLANS`, JSON) and
 * validated at start, with documented defaults. Every limit the service enforces per user comes from here.
 */
import { z } from 'zod';

export const PlanSchema = z
  .object({
    /** Shown to people. */
    title: z.string().min(1).max(60),
    /** Billable units per calendar month (UTC). See `billable-units.ts` for what a unit is. */
    monthlyUnits: z.number().int().min(0).max(100_000_000),
    /** Largest upload, bytes. */
    maxFileBytes: z
      .number()
      .int()
      .min(1)
      .max(5 * 1024 ** 3),
    /** Most pages (slides) per document. */
    maxPagesPerDocument: z.number().int().min(1).max(100_000),
    /** Jobs queued or processing at once. */
    concurrentJobs: z.number().int().min(1).max(1000),
    /**
     * AI calls per calendar month (UTC). Unit: one analysis (`POST /v1/jobs/{id}/analyses`) is one call, whatever
     * its kind, engine or document size. Counted when the analysis is created (refused with 402
     * `ai_quota_exceeded` past this), given back if it fails or is deleted unfinished, kept once it succeeded
     * (`shared/service/analyses/counters.ts`).
     */
    aiCallsPerMonth: z.number().int().min(0).max(10_000_000),
    /**
     * Analyses created per minute, per user: a bucket of its own beside `requestsPerMinute` (an analysis costs
     * far more than a read), refused with 429 `analysis_rate_limited`. Default 10.
     */
    analysesPerMinute: z.number().int().min(1).max(1_000_000).default(10),
    /** API requests per minute, per user and per key. */
    requestsPerMinute: z.number().int().min(1).max(1_000_000),
    /** Stripe price lookup key for Checkout; absent for plans nobody buys (free). */
    stripePriceLookupKey: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,200}$/)
      .optional(),
    /** Price per unit past the monthly allowance, in cents (0: hard stop at the allowance). For estimates. */
    overageCentsPerUnit: z.number().min(0).max(10_000).default(0),
    /** Monthly price in cents, for display and estimates. */
    monthlyPriceCents: z.number().int().min(0).max(100_000_000).default(0),
  })
  .strict();

export type Plan = z.infer<typeof PlanSchema>;

export const PlansSchema = z
  .record(z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/), PlanSchema)
  .refine((plans) => 'free' in plans, 'the plans table must define a "free" plan (the plan of every new user)');

export type Plans = Record<string, Plan>;

/** The plan every new user starts on, and the one a lapsed subscription returns to. */
export const FREE_PLAN = 'free';

/**
 * Defaults, chosen so that the free plan is useful on its own (a few hundred pages a month: a contract or a
 * thesis a week) and each paid plan is an order of magnitude above the one before.
 */
export const DEFAULT_PLANS: Plans = {
  free: {
    title: 'Free',
    monthlyUnits: 500,
    maxFileBytes: 25 * 1024 ** 2,
    maxPagesPerDocument: 300,
    concurrentJobs: 2,
    aiCallsPerMonth: 50,
    analysesPerMinute: 5,
    requestsPerMinute: 60,
    overageCentsPerUnit: 0,
    monthlyPriceCents: 0,
  },
  pro: {
    title: 'Pro',
    monthlyUnits: 10_000,
    maxFileBytes: 200 * 1024 ** 2,
    maxPagesPerDocument: 2000,
    concurrentJobs: 10,
    aiCallsPerMonth: 2000,
    analysesPerMinute: 30,
    requestsPerMinute: 600,
    stripePriceLookupKey: 'mdraft_pro_monthly',
    overageCentsPerUnit: 0.5,
    monthlyPriceCents: 2900,
  },
  business: {
    title: 'Business',
    monthlyUnits: 100_000,
    maxFileBytes: 1024 ** 3,
    maxPagesPerDocument: 5000,
    concurrentJobs: 50,
    aiCallsPerMonth: 20_000,
    analysesPerMinute: 120,
    requestsPerMinute: 3000,
    stripePriceLookupKey: 'mdraft_business_monthly',
    overageCentsPerUnit: 0.3,
    monthlyPriceCents: 24900,
  },
};

/**
 * Parses `MDRAFT_PLANS` (a JSON object: plan id → plan); absent means `DEFAULT_PLANS`.
 * @throws Error naming the first invalid field, so a bad table stops the service at start.
 */
export function parsePlans(raw: string | undefined): Plans {
  if (raw === undefined || raw.trim() === '') return DEFAULT_PLANS;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new Error(`MDRAFT_PLANS is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = PlansSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`MDRAFT_PLANS: ${issue.path.join('.') || '(table)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** The plan of `planId`, falling back to free for an id the table no longer has (a retired plan). */
export function planOf(plans: Plans, planId: string | undefined): { id: string; plan: Plan } {
  const id = planId && planId in plans ? planId : FREE_PLAN;
  return { id, plan: plans[id] };
}

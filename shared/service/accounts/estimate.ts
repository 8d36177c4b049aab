/**
 * `POST /v1/estimate {contentType, size, pages?}`: the billable units a document would count (a range when
 * only its size is known: see `estimateUnits`) and their price on the caller's plan, with whether that fits
 * what is left of the month (`yes`, `no`, or `maybe` when only part of the range fits).
 */
import type { PipelineDeps } from '../jobs/deps.ts';
import { monthOf } from '../jobs/charges.ts';
import { acceptedType, essence } from '../jobs/types-by-content.ts';
import { InvalidJobRequestError } from '../jobs/errors.ts';
import { estimateUnits } from './billable-units.ts';
import { priceCents } from './pricing.ts';
import { quotaView, userPlan, type QuotaView } from './profile.ts';

export interface Estimate {
  contentType: string;
  size: number;
  plan: string;
  units: { min: number; max: number };
  priceCents: { min: number; max: number };
  quota: QuotaView;
  fits: 'yes' | 'no' | 'maybe';
}

export async function estimate(
  deps: PipelineDeps,
  owner: string,
  input: { contentType: string; size: number; pages?: number },
): Promise<Estimate> {
  if (!acceptedType(input.contentType))
    throw new InvalidJobRequestError(
      'unsupported_media_type',
      `content type ${essence(input.contentType)} is not supported`,
    );
  const { id, plan } = userPlan(deps, await deps.accounts.getUser(owner));
  const units = estimateUnits(input.contentType, {
    size: input.size,
    maxPages: plan.maxPagesPerDocument,
    ...(input.pages !== undefined ? { pages: input.pages } : {}),
  });
  const quota = quotaView(await deps.accounts.getQuota(owner, monthOf(deps.now())), plan.monthlyUnits);
  return {
    contentType: essence(input.contentType),
    size: input.size,
    plan: id,
    units,
    priceCents: { min: priceCents(plan, units.min), max: priceCents(plan, units.max) },
    quota,
    fits: units.max <= quota.remaining ? 'yes' : units.min > quota.remaining ? 'no' : 'maybe',
  };
}

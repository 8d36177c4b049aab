/**
 * Prices shown before converting (`POST /v1/estimate`, a job awaiting confirmation). A plan's units are
 * prepaid by its monthly price, so a job's price is its share of it: `units × monthlyPriceCents /
 * monthlyUnits` (0 on a free plan), in cents rounded to hundredths of a cent. Nothing is charged per job:
 * the allowance is a hard stop (`quota_exceeded`), never overage.
 */
import type { Plan } from './plans.ts';

export function unitPriceCents(plan: Plan): number {
  return plan.monthlyUnits > 0 ? plan.monthlyPriceCents / plan.monthlyUnits : 0;
}

export function priceCents(plan: Plan, units: number): number {
  return Math.round(units * unitPriceCents(plan) * 100) / 100;
}

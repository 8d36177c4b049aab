/**
 * Every route of the public API, by operationId: the one table the router, the OpenAPI document and the
 * typed client are built from. Keys equal each spec's `operationId` (checked by the OpenAPI test).
 */
import { accountRoutes } from './account.ts';
import { analysisRoutes } from './analyses.ts';
import { adminRoutes } from './admin.ts';
import { billingRoutes } from './billing.ts';
import { jobRoutes } from './jobs.ts';
import { metaRoutes } from './meta.ts';

export const API_ROUTES = {
  ...metaRoutes,
  ...jobRoutes,
  ...analysisRoutes,
  ...accountRoutes,
  ...billingRoutes,
  ...adminRoutes,
} as const;

export type ApiRoutes = typeof API_ROUTES;
export type OperationId = keyof ApiRoutes;

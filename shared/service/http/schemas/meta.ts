/** Routes about the service itself, answered without credentials: health and this API's description. */
import { z } from 'zod';
import type { RouteSpec } from '../route-spec.ts';

export const HealthResponse = z.object({ status: z.literal('ok') });

export const metaRoutes = {
  getHealth: {
    operationId: 'getHealth',
    method: 'GET',
    path: '/healthz',
    tag: 'meta',
    summary: 'Liveness: answers while the function is up',
    auth: 'none',
    responses: { 200: { description: 'up', schema: HealthResponse } },
  },
  headHealth: {
    operationId: 'headHealth',
    method: 'HEAD',
    path: '/healthz',
    tag: 'meta',
    summary: 'Liveness, without a body (load balancers)',
    auth: 'none',
    responses: { 200: { description: 'up' } },
  },
  getOpenApi: {
    operationId: 'getOpenApi',
    method: 'GET',
    path: '/v1/openapi.json',
    tag: 'meta',
    summary: 'This description: OpenAPI 3.1, generated from the route definitions',
    auth: 'none',
    responses: {
      200: {
        description: 'the OpenAPI document',
        schema: z.object({ openapi: z.string() }).loose(),
      },
    },
  },
} as const satisfies Record<string, RouteSpec>;

/**
 * One API route: its spec (method, path template, schemas, responses, auth: `shared/service/http/route-spec.ts`)
 * and its handler. Path parameters arrive in `params`, in template order, URI-decoded. Routes whose spec says
 * `auth: 'none'` run without a caller (no authentication, no rate limit).
 */
import type { Principal } from '../../shared/service/auth/authenticate.ts';
import type { HttpRequest, HttpResponse } from '../../shared/service/http/types.ts';
import type { RouteSpec } from '../../shared/service/http/route-spec.ts';

export type RouteHandler = (req: HttpRequest, who: Principal, params: string[]) => Promise<HttpResponse>;
export type PublicRouteHandler = (req: HttpRequest) => Promise<HttpResponse>;

export type RouteDef =
  | { spec: RouteSpec & { auth: 'user' | 'admin' }; run: RouteHandler }
  | { spec: RouteSpec & { auth: 'none' }; run: PublicRouteHandler };

/** One API route: method, path pattern (capture groups become `params`, URI-decoded) and its handler. */
import type { Principal } from '../../shared/service/auth/authenticate.ts';
import type { HttpRequest, HttpResponse } from '../../shared/service/http/types.ts';

export type RouteHandler = (req: HttpRequest, who: Principal, params: string[]) => Promise<HttpResponse>;

export interface RouteDef {
  method: string;
  pattern: RegExp;
  run: RouteHandler;
}

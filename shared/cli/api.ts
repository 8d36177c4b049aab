/**
 * The CLI's access to a remote MDraft API: the client generated from the OpenAPI document
 * (`shared/client/index.ts`: openapi-fetch over the openapi-typescript types), with an API key, and the one
 * call whose success is not a 2xx: the result link (`GET /v1/jobs/{id}/result` answers 302 with the signed URL
 * in its body; the redirect is not followed, so the API key is never sent to the storage host).
 */
import { createApiClient, type ApiClient, type components } from '../client/index.ts';
import { apiError } from '../client/errors.ts';

export { ApiClientError, unwrap } from '../client/errors.ts';
export type { ApiClient };
export type Job = components['schemas']['Job'];

/** A client of the API at `api` (no trailing slash needed) authenticated with `key`. */
export function cliClient(args: { api: string; key: string }): ApiClient {
  return createApiClient({ baseUrl: args.api.replace(/\/+$/, ''), apiKey: args.key });
}

/**
 * The signed download URL of a job's result (Markdown or the JSON result).
 * @throws ApiClientError when the API refuses (`result_not_ready`, `job_failed`, `not_found`, …).
 */
export async function resultLink(
  client: ApiClient,
  id: string,
  format: 'md' | 'json',
): Promise<components['schemas']['ResultLink']> {
  const answer = await client.GET('/v1/jobs/{id}/result', {
    params: { path: { id }, query: { format } },
    redirect: 'manual',
  });
  // openapi-fetch puts every non-2xx body in `error`; the 302's is the documented link.
  if (answer.response.status === 302) return answer.error as unknown as components['schemas']['ResultLink'];
  throw apiError(answer);
}

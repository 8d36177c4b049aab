/**
 * The page's API access: the typed client (`shared/client`, openapi-fetch over the generated OpenAPI types)
 * with one of three credentials, and `ok()`, which turns an error envelope into an `ApiFailure`.
 */
import { createApiClient, type ApiClient } from '../client/index.ts';
import { ApiFailure } from './errors.ts';

export type { ApiClient };
export type { components } from '../client/index.ts';

/**
 * How the user signed in: `session` = the embedded default's HttpOnly cookie (the page never sees it),
 * `key` = an API key pasted into the page (kept in this object only, never stored), `firebase` = a Firebase
 * ID token, fetched fresh for every request.
 */
export type SignInMethod = 'session' | 'key' | 'firebase';

export interface Session {
  method: SignInMethod;
  client: ApiClient;
  /** Who, in words (email or user id), once `/v1/me` answered. */
  label: string;
  signOut(): Promise<void>;
}

export function sessionClient(): ApiClient {
  return createApiClient({ baseUrl: '' });
}

export function keyClient(apiKey: string): ApiClient {
  return createApiClient({ baseUrl: '', apiKey });
}

export function bearerClient(token: () => Promise<string | undefined>): ApiClient {
  return createApiClient({ baseUrl: '', bearer: token });
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * @returns the call's data; throws `ApiFailure` with the envelope's code, message and request id on an HTTP
 * error, or code `network` when there was no answer.
 */
export async function ok<T>(call: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await call;
  } catch (error) {
    throw new ApiFailure(0, 'network', error instanceof Error ? error.message : String(error));
  }
  const { data, error, response } = answer;
  if (!response.ok && response.type !== 'opaqueredirect') {
    const envelope = (error as { error?: { code?: string; message?: string; requestId?: string } } | undefined)?.error;
    throw new ApiFailure(
      response.status,
      envelope?.code ?? `http_${response.status}`,
      envelope?.message ?? response.statusText ?? 'request failed',
      envelope?.requestId ?? response.headers.get('X-Request-Id') ?? undefined,
    );
  }
  return data as T;
}

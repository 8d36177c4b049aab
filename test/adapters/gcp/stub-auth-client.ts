/**
 * Stands in for google-auth-library in tests of Google clients on their REST transport (`fallback: true`):
 * a fixed bearer token on every request, and no network beyond the loopback server the test points at.
 */
export const STUB_ACCESS_TOKEN = 'test-access-token';

export const stubAuthClient = {
  universeDomain: 'googleapis.com',
  async getRequestHeaders() {
    return new Headers({ authorization: `Bearer ${STUB_ACCESS_TOKEN}` });
  },
  async fetch(
    url: string | URL,
    init: {
      headers?: ConstructorParameters<typeof Headers>[0];
      method?: string;
      body?: RequestInit['body'];
      signal?: AbortSignal;
    },
  ) {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${STUB_ACCESS_TOKEN}`);
    return fetch(url, {
      method: init.method ?? 'GET',
      headers,
      ...(init.body !== undefined ? { body: init.body } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
    });
  },
};

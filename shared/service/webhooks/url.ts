/**
 * Webhook URLs: the syntax check when a job (or an API key) names one, and the address check at every
 * delivery. Creation checks only what cannot change (an absolute `https:` URL, no credentials, no fragment, at
 * most 2048 characters); where the host points can change at any time, so the resolution is checked when the
 * event is sent (`deliveryAddress`), on every address the name resolves to, and the connection then goes to
 * the address that was checked.
 *
 * The test allow-list (`MDRAFT_WEBHOOK_TEST_ALLOW_HOSTS`, refused by the gcp backend's configuration) names IP
 * addresses that are delivered to although not public, over `http:` too, so tests can receive webhooks on a
 * loopback server.
 */
import { InvalidJobRequestError } from '../jobs/errors.ts';
import type { ResolvedAddress, WebhookTransport } from '../ports.ts';
import { classifyAddress, METADATA_HOSTS, type AddressClass } from './address.ts';

export interface WebhookPolicy {
  /** Addresses (canonical text, as resolved) allowed despite their class; tests only. */
  testAllowHosts: readonly string[];
}

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** The host of a URL as an address or name: brackets of an IPv6 literal removed, lower case. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/**
 * The URL, normalised (WHATWG serialisation), when it may be a webhook; throws otherwise.
 * @throws InvalidJobRequestError `invalid_webhook_url` (HTTP 400) with the reason.
 */
export function checkWebhookUrl(raw: string, policy?: WebhookPolicy): string {
  const refuse = (why: string): never => {
    throw new InvalidJobRequestError('invalid_webhook_url', `webhookUrl ${why}`);
  };
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) refuse(`is longer than ${MAX_WEBHOOK_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('is not an absolute URL');
  }
  const allowed = policy?.testAllowHosts.includes(hostOf(url)) ?? false;
  if (url.protocol !== 'https:' && !(allowed && url.protocol === 'http:')) refuse('must use https');
  if (url.username || url.password) refuse('must not contain credentials');
  if (url.hash) refuse('must not contain a fragment');
  if (!url.hostname) refuse('has no host');
  return url.href;
}

/** Why a delivery may not connect: `code` is recorded on the job as the attempt's error. */
export type AddressRefusal = { ok: false; code: 'address_refused' | 'dns_failed'; message: string };

/**
 * Where a delivery to `url` may connect: the first address the host resolves to, after checking that EVERY
 * address it resolves to is public (or allow-listed). A metadata host name is refused without resolving; an IP
 * literal is checked as it is. `dns_failed` is worth retrying; `address_refused` is not.
 */
export async function deliveryAddress(
  url: URL,
  policy: WebhookPolicy,
  transport: Pick<WebhookTransport, 'resolve'>,
): Promise<{ ok: true; address: ResolvedAddress } | AddressRefusal> {
  const host = hostOf(url);
  if (METADATA_HOSTS.includes(host.replace(/\.$/, '')))
    return { ok: false, code: 'address_refused', message: `${host} is a metadata server` };
  const literal = classifyAddress(host);
  let addresses: ResolvedAddress[];
  if (literal !== 'invalid') {
    addresses = [{ address: host, family: host.includes(':') ? 6 : 4 }];
  } else {
    try {
      addresses = await transport.resolve(host);
    } catch {
      return { ok: false, code: 'dns_failed', message: `${host} did not resolve` };
    }
    if (addresses.length === 0) return { ok: false, code: 'dns_failed', message: `${host} has no address` };
  }
  for (const a of addresses) {
    const cls: AddressClass = classifyAddress(a.address);
    if (cls !== 'public' && !policy.testAllowHosts.includes(a.address))
      // The caller reads this on the job: it never names the address (an internal network's layout stays hidden).
      return { ok: false, code: 'address_refused', message: `${host} does not resolve to a public address` };
  }
  if (url.protocol === 'http:' && !addresses.every((a) => policy.testAllowHosts.includes(a.address)))
    return { ok: false, code: 'address_refused', message: 'http: is allowed for test allow-listed addresses only' };
  return { ok: true, address: addresses[0] };
}

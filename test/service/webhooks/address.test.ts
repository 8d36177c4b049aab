/**
 * The SSRF guard: every special-purpose range is refused, IPv4 carried in IPv6 is judged by its IPv4 address,
 * host forms the URL parser rewrites (decimal, hex, octal, short) land on the same classes, and a name is
 * refused when ANY of its addresses is not public.
 */
import { jest } from '@jest/globals';
import { classifyAddress, isPublicAddress } from '../../../shared/service/webhooks/address.ts';
import { checkWebhookUrl, deliveryAddress, hostOf } from '../../../shared/service/webhooks/url.ts';
import { InvalidJobRequestError } from '../../../shared/service/jobs/errors.ts';
import type { ResolvedAddress } from '../../../shared/service/ports.ts';

test.each([
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['10.1.2.3', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['169.254.169.254', 'metadata'],
  ['169.254.1.1', 'link_local'],
  ['100.64.0.1', 'cgnat'],
  ['100.127.255.255', 'cgnat'],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['255.255.255.255', 'reserved'],
  ['198.18.0.1', 'reserved'],
  ['198.19.255.255', 'reserved'],
  ['192.0.0.1', 'reserved'],
  ['192.0.2.1', 'reserved'],
  ['198.51.100.7', 'reserved'],
  ['203.0.113.9', 'reserved'],
  ['240.0.0.1', 'reserved'],
  ['100.64.0.0', 'cgnat'],
  ['8.8.8.8', 'public'],
  ['172.32.0.1', 'public'],
  ['100.128.0.1', 'public'],
  ['93.184.216.34', 'public'],
])('IPv4 %s is %s', (address, cls) => {
  expect(classifyAddress(address)).toBe(cls);
});

test.each([
  ['::1', 'loopback'],
  ['[::1]', 'loopback'],
  ['::', 'unspecified'],
  ['fc00::1', 'private'],
  ['fd12:3456:789a::1', 'private'],
  ['fe80::1', 'link_local'],
  ['fe80::1%eth0', 'link_local'],
  ['febf::1', 'link_local'],
  ['ff02::1', 'multicast'],
  ['2001:db8::1', 'reserved'],
  ['::2', 'reserved'],
  ['100::1', 'reserved'],
  ['2001::1', 'reserved'], // Teredo
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'],
  ['2001:2::1', 'reserved'], // benchmarking
  ['2001:20::1', 'reserved'], // ORCHIDv2
  ['3fff::1', 'reserved'], // documentation (RFC 9637)
  ['5f00::1', 'reserved'], // SRv6 SIDs
  ['4000::1', 'reserved'], // outside global unicast 2000::/3
  ['fec0::1', 'private'],
  ['2a00:1450:4001::200e', 'public'],
  ['2606:4700:4700::1111', 'public'],
  ['2001:4860:4860::8888', 'public'],
])('IPv6 %s is %s', (address, cls) => {
  expect(classifyAddress(address)).toBe(cls);
});

test.each([
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::ffff:169.254.169.254', 'metadata'],
  ['::ffff:10.0.0.1', 'private'],
  ['::ffff:8.8.8.8', 'public'],
  ['64:ff9b::a9fe:a9fe', 'metadata'],
  ['64:ff9b::8.8.8.8', 'public'],
  ['2002:7f00:1::1', 'loopback'],
  ['2002:c0a8:101::1', 'private'],
  ['::127.0.0.1', 'reserved'],
  // IPv4-translated (SIIT, RFC 2765): judged by the IPv4 address.
  ['::ffff:0:127.0.0.1', 'loopback'],
  ['::ffff:0:a00:1', 'private'],
  ['::ffff:0:169.254.169.254', 'metadata'],
  ['::ffff:0:8.8.8.8', 'public'],
  // NAT64 well-known prefix with private, CGNAT and link-local IPv4 inside.
  ['64:ff9b::10.0.0.1', 'private'],
  ['64:ff9b::c0a8:101', 'private'],
  ['64:ff9b::100.64.0.1', 'cgnat'],
  ['64:ff9b::127.0.0.1', 'loopback'],
  // Other spellings inside 64:ff9b::/32 are not the /96 well-known form: refused.
  ['64:ff9b:0:1::a00:1', 'reserved'],
  // NAT64 local-use prefix (RFC 8215): refused whatever it carries.
  ['64:ff9b:1::a00:1', 'reserved'],
  ['64:ff9b:1::8.8.8.8', 'reserved'],
  ['64:ff9b:1:ffff::808:808', 'reserved'],
  // 6to4 with other non-public IPv4 inside.
  ['2002:a9fe:a9fe::1', 'metadata'],
  ['2002:6440:1::1', 'cgnat'],
  ['2002:808:808::1', 'public'],
])('IPv4 inside IPv6: %s is %s', (address, cls) => {
  expect(classifyAddress(address)).toBe(cls);
});

test('names and garbage are not addresses', () => {
  expect(classifyAddress('example.com')).toBe('invalid');
  expect(classifyAddress('1.2.3')).toBe('invalid');
  expect(classifyAddress('')).toBe('invalid');
  expect(isPublicAddress('8.8.8.8')).toBe(true);
  expect(isPublicAddress('localhost')).toBe(false);
});

test.each([
  ['https://2130706433/hook', '127.0.0.1'],
  ['https://0x7f000001/hook', '127.0.0.1'],
  ['https://0x7f.0.0.1/hook', '127.0.0.1'],
  ['https://0177.0.0.1/hook', '127.0.0.1'],
  ['https://017700000001/hook', '127.0.0.1'],
  ['https://127.1/hook', '127.0.0.1'],
  ['https://0xa9.0xfe.0xa9.0xfe/', '169.254.169.254'],
  ['https://2852039166/', '169.254.169.254'],
  ['https://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
  ['https://[0:0:0:0:0:0:0:1]/', '::1'],
  ['https://[::ffff:0:127.0.0.1]/', '::ffff:0:7f00:1'],
  ['https://[64:ff9b:1::10.0.0.1]/', '64:ff9b:1::a00:1'],
])('the host of %s is %s, and it is refused', async (raw, host) => {
  const url = new URL(checkWebhookUrl(raw));
  expect(hostOf(url)).toBe(host);
  expect(isPublicAddress(hostOf(url))).toBe(false);
  const resolve = jest.fn(async () => [] as ResolvedAddress[]);
  const target = await deliveryAddress(url, { testAllowHosts: [] }, { resolve });
  expect(target).toMatchObject({ ok: false, code: 'address_refused' });
  expect(resolve).not.toHaveBeenCalled(); // an IP literal is checked as it is, never resolved
});

test.each([
  ['http://example.com/hook', 'must use https'],
  ['ftp://example.com/hook', 'must use https'],
  ['example.com/hook', 'not an absolute URL'],
  ['https://user:pw@example.com/hook', 'credentials'],
  ['https://example.com/hook#x', 'fragment'],
  [`https://example.com/${'a'.repeat(2100)}`, 'longer than'],
])('%s is refused at creation (%s)', (raw, why) => {
  expect(() => checkWebhookUrl(raw)).toThrow(InvalidJobRequestError);
  expect(() => checkWebhookUrl(raw)).toThrow(why);
  try {
    checkWebhookUrl(raw);
  } catch (error) {
    expect((error as InvalidJobRequestError).code).toBe('invalid_webhook_url');
  }
});

test('http: is accepted only for a test allow-listed address', () => {
  expect(() => checkWebhookUrl('http://127.0.0.1:9/x')).toThrow('https');
  expect(checkWebhookUrl('http://127.0.0.1:9/x', { testAllowHosts: ['127.0.0.1'] })).toBe('http://127.0.0.1:9/x');
  expect(checkWebhookUrl('HTTPS://Example.COM/a')).toBe('https://example.com/a');
});

describe('deliveryAddress checks every address a name resolves to', () => {
  const policy = { testAllowHosts: [] as string[] };
  const resolver = (addresses: ResolvedAddress[]) => ({ resolve: async () => addresses });

  test('all public: the first address is the one to connect to', async () => {
    const target = await deliveryAddress(
      new URL('https://hooks.example/x'),
      policy,
      resolver([
        { address: '93.184.216.34', family: 4 },
        { address: '2606:4700:4700::1111', family: 6 },
      ]),
    );
    expect(target).toEqual({ ok: true, address: { address: '93.184.216.34', family: 4 } });
  });

  test.each([
    ['10.0.0.5', 4],
    ['127.0.0.1', 4],
    ['::ffff:169.254.169.254', 6],
    ['fe80::1', 6],
    ['100.64.1.1', 4],
  ] as const)('one %s among public addresses refuses the name', async (address, family) => {
    const target = await deliveryAddress(
      new URL('https://mixed.example/x'),
      policy,
      resolver([
        { address: '93.184.216.34', family: 4 },
        { address, family },
      ]),
    );
    expect(target).toMatchObject({ ok: false, code: 'address_refused' });
  });

  test('metadata host names are refused without resolving', async () => {
    for (const host of ['metadata.google.internal', 'METADATA.GOOGLE.INTERNAL.', 'metadata']) {
      const resolve = jest.fn(async () => [{ address: '93.184.216.34', family: 4 as const }]);
      const target = await deliveryAddress(new URL(`https://${host}/x`), policy, { resolve });
      expect(target).toMatchObject({ ok: false, code: 'address_refused' });
      expect(resolve).not.toHaveBeenCalled();
    }
  });

  test('a name that does not resolve is dns_failed (retried), not refused', async () => {
    const target = await deliveryAddress(new URL('https://nowhere.example/x'), policy, {
      resolve: async () => {
        throw new Error('ENOTFOUND');
      },
    });
    expect(target).toMatchObject({ ok: false, code: 'dns_failed' });
  });

  test('the test allow-list admits exactly its addresses', async () => {
    const allow = { testAllowHosts: ['127.0.0.1'] };
    expect(await deliveryAddress(new URL('http://127.0.0.1:1/x'), allow, resolver([]))).toMatchObject({
      ok: true,
      address: { address: '127.0.0.1' },
    });
    expect(
      await deliveryAddress(new URL('https://h.example/x'), allow, resolver([{ address: '127.0.0.2', family: 4 }])),
    ).toMatchObject({ ok: false, code: 'address_refused' });
  });
});

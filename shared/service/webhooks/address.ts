/**
 * Which IP addresses a webhook may be delivered to: the server-side request forgery (SSRF) guard. A webhook
 * URL is chosen by the caller, so without this check MDraft could be made to POST into its own network (the
 * metadata server, a database on a private address, a service bound to loopback). Only `public` addresses
 * are delivered to; every other class is refused.
 *
 * The ranges are IANA's special-purpose registries (RFC 6890 and its updates):
 * https://www.iana.org/assignments/iana-ipv4-special-registry/ and
 * https://www.iana.org/assignments/iana-ipv6-special-registry/ — loopback (RFC 1122, RFC 4291), private
 * (RFC 1918, unique local fc00::/7 RFC 4193, deprecated site-local fec0::/10), link-local (RFC 3927,
 * RFC 4291), shared address space / CGNAT (RFC 6598), unspecified and "this network" (RFC 1122), multicast
 * (RFC 5771, RFC 4291), the rest of the reserved space (benchmarking RFC 2544, IETF protocol assignments,
 * 240/4, the discard prefix 100::/64, IETF protocol assignments 2001::/23 including Teredo, documentation
 * 2001:db8::/32 and 3fff::/20, SRv6 SIDs 5f00::/16, the NAT64 local-use prefix 64:ff9b:1::/48 of RFC 8215,
 * and all IPv6 space outside global unicast 2000::/3), and the cloud metadata address 169.254.169.254. IPv6
 * forms that carry an IPv4 address (IPv4-mapped ::ffff:0:0/96, IPv4-translated ::ffff:0:0:0/96 of RFC 2765
 * SIIT, NAT64 64:ff9b::/96 RFC 6052, 6to4 2002::/16 RFC 3056) are classified by the IPv4 address they carry,
 * so `::ffff:127.0.0.1` is loopback.
 *
 * Input is an address as the resolver returns it or as the WHATWG URL parser writes a host: dotted-quad IPv4
 * (the URL parser has already turned decimal, hex and octal forms such as `2130706433`, `0x7f.1` or
 * `0177.0.0.1` into `127.0.0.1`) or IPv6 text, with or without brackets or a zone (`%eth0`).
 */
import { isIP } from 'node:net';

export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'cgnat'
  | 'unspecified'
  | 'multicast'
  | 'metadata'
  | 'reserved'
  /** Not an IP address at all (a name still to be resolved, or garbage). */
  | 'invalid';

/** Host names of cloud metadata servers: refused by name before any resolution. */
export const METADATA_HOSTS: readonly string[] = ['metadata.google.internal', 'metadata.goog', 'metadata'];

/** `[first, prefix length, class]`; the first match wins, so narrower ranges come first. */
const V4_RANGES: ReadonlyArray<[string, number, AddressClass]> = [
  ['169.254.169.254', 32, 'metadata'],
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'cgnat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link_local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

/**
 * The class of `address`.
 * @param address an IPv4 or IPv6 address in text form (brackets and a zone id are accepted).
 * @returns `invalid` when it is not an IP address.
 */
export function classifyAddress(address: string): AddressClass {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const kind = isIP(bare);
  if (kind === 4) return classifyV4(v4Number(bare));
  if (kind === 6) return classifyV6(v6Bytes(bare));
  return 'invalid';
}

/** Whether a webhook may be delivered to `address` (its class is `public`). */
export function isPublicAddress(address: string): boolean {
  return classifyAddress(address) === 'public';
}

function v4Number(dotted: string): number {
  return dotted.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function classifyV4(n: number): AddressClass {
  for (const [first, bits, cls] of V4_RANGES) {
    const size = 2 ** (32 - bits);
    const start = v4Number(first);
    if (n >= start && n < start + size) return cls;
  }
  return 'public';
}

/** The 16 bytes of an IPv6 address (`isIP` said it is one): `::` expanded, a trailing dotted quad included. */
function v6Bytes(text: string): number[] {
  // A trailing dotted quad (`::ffff:127.0.0.1`) is the last two 16-bit groups.
  const hex = text.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a, b, c, d) =>
    [Number(a) * 256 + Number(b), Number(c) * 256 + Number(d)].map((w) => w.toString(16)).join(':'),
  );
  const groups = (s: string) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const gap = hex.indexOf('::');
  const words =
    gap < 0
      ? groups(hex)
      : (() => {
          const l = groups(hex.slice(0, gap));
          const r = groups(hex.slice(gap + 2));
          return [...l, ...new Array<number>(8 - l.length - r.length).fill(0), ...r];
        })();
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

/**
 * IPv6 special-purpose ranges (IANA's IPv6 special-purpose registry), as `[first, prefix length, class]`; the first
 * match wins. The forms that carry an IPv4 address are handled before this table (see `classifyV6`).
 */
const V6_RANGES: ReadonlyArray<[string, number, AddressClass]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  // The deprecated IPv4-compatible form ::a.b.c.d (RFC 4291 §2.5.5.1), and the rest of ::/96.
  ['::', 96, 'reserved'],
  // NAT64 local-use prefix (RFC 8215): refused outright. The operator chooses the prefix length and so where
  // the IPv4 address sits (RFC 6052 §2.2), and the translator is by definition inside someone's network.
  ['64:ff9b:1::', 48, 'reserved'],
  // Discard-only (RFC 6666).
  ['100::', 64, 'reserved'],
  // IETF protocol assignments (RFC 2928): Teredo 2001::/32 (RFC 4380, which carries an obfuscated IPv4
  // address), benchmarking 2001:2::/48 (RFC 5180), ORCHID (RFC 4843, RFC 7343), anycast service addresses.
  ['2001::', 23, 'reserved'],
  // Documentation (RFC 3849, RFC 9637).
  ['2001:db8::', 32, 'reserved'],
  ['3fff::', 20, 'reserved'],
  // Segment Routing over IPv6 SIDs (RFC 9602).
  ['5f00::', 16, 'reserved'],
  ['fc00::', 7, 'private'],
  ['fe80::', 10, 'link_local'],
  // Deprecated site-local (RFC 3879).
  ['fec0::', 10, 'private'],
  ['ff00::', 8, 'multicast'],
];

/** Whether the first `bits` bits of `a` and `b` agree. */
function samePrefix(a: number[], b: number[], bits: number): boolean {
  for (let i = 0; i < 16 && bits > 0; i += 1, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((a[i] & mask) !== (b[i] & mask)) return false;
  }
  return true;
}

const V6_TABLE = V6_RANGES.map(([first, bits, cls]) => [v6Bytes(first), bits, cls] as const);

function classifyV6(b: number[]): AddressClass {
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const v4At = (i: number) => ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3];
  // IPv4-mapped ::ffff:0:0/96 (RFC 4291 §2.5.5.2): what a dual-stack socket connects to is the IPv4 address.
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return classifyV4(v4At(12));
  // IPv4-translated ::ffff:0:0:0/96 (SIIT, RFC 2765 §2.1): a stateless translator delivers to the IPv4 address.
  if (zeros(0, 8) && b[8] === 0xff && b[9] === 0xff && zeros(10, 12)) return classifyV4(v4At(12));
  // NAT64 well-known prefix 64:ff9b::/96 (RFC 6052) translates to the embedded IPv4 address.
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return classifyV4(v4At(12));
  // 6to4 (2002:a.b.c.d::/48, RFC 3056) reaches the embedded IPv4 address's network.
  if (b[0] === 0x20 && b[1] === 0x02) return classifyV4(v4At(2));
  for (const [first, bits, cls] of V6_TABLE) if (samePrefix(b, first, bits)) return cls;
  // Only 2000::/3 is global unicast (IANA IPv6 address space registry); the rest is reserved by the IETF, so
  // an address there is not a public destination however it was reached.
  if ((b[0] & 0xe0) !== 0x20) return 'reserved';
  return 'public';
}

/**
 * Classifies IP addresses for the push endpoint policy: which ranges a relay must never connect
 * to on a subscriber's say-so (server-side request forgery). Ranges follow the IANA
 * special-purpose address registries (RFC 6890 and its updates): RFC 1122 (this network,
 * loopback), RFC 1918 (private), RFC 6598 (CGNAT shared space), RFC 3927 (IPv4 link-local),
 * RFC 5737 / RFC 3849 / RFC 9637 (documentation), RFC 4193 (unique local), RFC 4291 (IPv6
 * loopback, link-local, IPv4-mapped, multicast) and RFC 6052 / RFC 3056 (NAT64, 6to4), whose
 * embedded IPv4 address is classified in turn, so `::ffff:127.0.0.1` is loopback like 127.0.0.1.
 *
 * IPv6 outside 2000::/3 (global unicast, RFC 4291 §2.4) is refused as reserved: a push service
 * never lives there, and an allow-list is safer than enumerating every odd range.
 */
import { isIP } from 'node:net';

export type AddressClass =
  | 'public'
  /** 127.0.0.0/8, ::1 */
  | 'loopback'
  /** RFC 1918, RFC 4193 fc00::/7, local-use NAT64 64:ff9b:1::/48 */
  | 'private'
  /** 169.254.0.0/16 (cloud metadata lives here), fe80::/10, deprecated site-local fec0::/10 */
  | 'link-local'
  /** 100.64.0.0/10, RFC 6598 */
  | 'cgnat'
  /** 0.0.0.0/8, :: — connecting to 0.0.0.0 reaches this host on Linux */
  | 'unspecified'
  /** 224.0.0.0/4, ff00::/8, 255.255.255.255 */
  | 'multicast'
  /** documentation, benchmarking, IETF protocol assignments, 240.0.0.0/4, non-2000::/3 IPv6 */
  | 'reserved';

/** Classes that `push.allowPrivateEndpoints` lets through (a LAN ntfy server, tests on 127.0.0.1). */
export const PRIVATE_CLASSES: ReadonlySet<AddressClass> = new Set(['loopback', 'private', 'link-local', 'cgnat']);

interface Ipv4Range {
  readonly base: number;
  readonly bits: number;
  readonly cls: AddressClass;
}

function v4(text: string, bits: number, cls: AddressClass): Ipv4Range {
  const base = parseIpv4(text);
  if (base === null) throw new Error(`bad range ${text}`);
  return { base, bits, cls };
}

// Most specific first: the first match wins.
const IPV4_RANGES: readonly Ipv4Range[] = [
  v4('255.255.255.255', 32, 'multicast'), // limited broadcast (RFC 919)
  v4('0.0.0.0', 8, 'unspecified'), // "this network" (RFC 1122 §3.2.1.3)
  v4('10.0.0.0', 8, 'private'), // RFC 1918
  v4('100.64.0.0', 10, 'cgnat'), // RFC 6598
  v4('127.0.0.0', 8, 'loopback'), // RFC 1122
  v4('169.254.0.0', 16, 'link-local'), // RFC 3927
  v4('172.16.0.0', 12, 'private'), // RFC 1918
  v4('192.0.0.0', 24, 'reserved'), // IETF protocol assignments (RFC 6890)
  v4('192.0.2.0', 24, 'reserved'), // TEST-NET-1 (RFC 5737)
  v4('192.88.99.0', 24, 'reserved'), // deprecated 6to4 relay anycast (RFC 7526)
  v4('192.168.0.0', 16, 'private'), // RFC 1918
  v4('198.18.0.0', 15, 'reserved'), // benchmarking (RFC 2544)
  v4('198.51.100.0', 24, 'reserved'), // TEST-NET-2 (RFC 5737)
  v4('203.0.113.0', 24, 'reserved'), // TEST-NET-3 (RFC 5737)
  v4('224.0.0.0', 4, 'multicast'), // RFC 5771
  v4('240.0.0.0', 4, 'reserved'), // RFC 1112 "future use"
];

/** Dotted-quad IPv4 to an unsigned 32-bit number; null unless exactly four decimal octets. */
export function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

/** An IPv6 literal (zone id and brackets allowed) to its 16 bytes; null if it is not one. */
export function parseIpv6(text: string): Uint8Array | null {
  let s = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (isIP(s) !== 6) return null;
  // A trailing dotted quad (::ffff:1.2.3.4) stands for the last two groups.
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    const quad = parseIpv4(tail);
    if (quad === null) return null;
    s = `${s.slice(0, lastColon + 1)}${(quad >>> 16).toString(16)}:${(quad & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] === '' || halves[0] === undefined ? [] : halves[0].split(':');
  const rest = halves.length === 2 ? (halves[1] === '' || halves[1] === undefined ? [] : halves[1].split(':')) : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    const value = parseInt(group, 16);
    bytes[i * 2] = value >>> 8;
    bytes[i * 2 + 1] = value & 0xff;
  });
  return bytes;
}

function classifyIpv4(value: number): AddressClass {
  for (const range of IPV4_RANGES) {
    const mask = range.bits === 0 ? 0 : (0xffffffff << (32 - range.bits)) >>> 0;
    if (((value & mask) >>> 0) === ((range.base & mask) >>> 0)) return range.cls;
  }
  return 'public';
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

function ipv4At(bytes: Uint8Array, offset: number): number {
  return (((bytes[offset] ?? 0) << 24) >>> 0) + ((bytes[offset + 1] ?? 0) << 16) + ((bytes[offset + 2] ?? 0) << 8) + (bytes[offset + 3] ?? 0);
}

function classifyIpv6(bytes: Uint8Array): AddressClass {
  const first10ZeroBytes = bytes.slice(0, 10).every((b) => b === 0);
  if (first10ZeroBytes && bytes[10] === 0xff && bytes[11] === 0xff) return classifyIpv4(ipv4At(bytes, 12)); // ::ffff:0:0/96 mapped (RFC 4291 §2.5.5.2)
  if (first10ZeroBytes && bytes[10] === 0 && bytes[11] === 0) {
    const low = ipv4At(bytes, 12);
    if (low === 0) return 'unspecified'; // ::
    if (low === 1) return 'loopback'; // ::1
    return classifyIpv4(low); // deprecated IPv4-compatible ::a.b.c.d (RFC 4291 §2.5.5.1)
  }
  // NAT64 well-known prefix 64:ff9b::/96 (RFC 6052) reaches the embedded IPv4 address.
  if (startsWith(bytes, [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0])) return classifyIpv4(ipv4At(bytes, 12));
  if (startsWith(bytes, [0x00, 0x64, 0xff, 0x9b, 0x00, 0x01])) return 'private'; // local-use NAT64 (RFC 8215)
  if (startsWith(bytes, [0x20, 0x02])) return classifyIpv4(ipv4At(bytes, 2)); // 6to4 2002::/16 (RFC 3056)
  const b0 = bytes[0] ?? 0;
  const b1 = bytes[1] ?? 0;
  if (b0 === 0xff) return 'multicast'; // ff00::/8
  if ((b0 & 0xfe) === 0xfc) return 'private'; // fc00::/7 unique local (RFC 4193)
  if (b0 === 0xfe && (b1 & 0xc0) === 0x80) return 'link-local'; // fe80::/10
  if (b0 === 0xfe && (b1 & 0xc0) === 0xc0) return 'link-local'; // fec0::/10 site-local (deprecated, RFC 3879)
  if ((b0 & 0xe0) !== 0x20) return 'reserved'; // outside 2000::/3 global unicast
  if (b0 === 0x20 && b1 === 0x01 && (bytes[2] ?? 0) < 0x02) return 'reserved'; // 2001::/23 IETF assignments incl. Teredo
  if (startsWith(bytes, [0x20, 0x01, 0x0d, 0xb8])) return 'reserved'; // 2001:db8::/32 documentation (RFC 3849)
  if (b0 === 0x3f && (b1 & 0xf0) === 0xf0) return 'reserved'; // 3fff::/20 documentation (RFC 9637)
  return 'public';
}

/** The class of an IP literal (IPv4 dotted quad or IPv6), or null when the text is not one. */
export function classifyAddress(address: string): AddressClass | null {
  const v4value = parseIpv4(address);
  if (v4value !== null) return classifyIpv4(v4value);
  const v6 = parseIpv6(address);
  return v6 === null ? null : classifyIpv6(v6);
}

/** Address classification for the endpoint policy: each special-purpose range, and its IPv6 disguises. */
import { describe, expect, it } from 'vitest';
import { classifyAddress, parseIpv6 } from '../../src/push/address-ranges.js';
import type { AddressClass } from '../../src/push/address-ranges.js';

const CASES: ReadonlyArray<readonly [string, AddressClass]> = [
  ['8.8.8.8', 'public'],
  ['1.1.1.1', 'public'],
  ['172.15.255.255', 'public'],
  ['172.32.0.0', 'public'],
  ['100.63.255.255', 'public'],
  ['100.128.0.0', 'public'],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['10.0.0.1', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['100.64.0.1', 'cgnat'],
  ['100.127.255.255', 'cgnat'],
  ['169.254.169.254', 'link-local'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['255.255.255.255', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['192.0.2.10', 'reserved'],
  ['198.51.100.7', 'reserved'],
  ['203.0.113.9', 'reserved'],
  ['198.18.0.1', 'reserved'],
  ['192.0.0.8', 'reserved'],
  ['2606:4700:4700::1111', 'public'],
  ['2001:4860:4860::8888', 'public'],
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['[::1]', 'loopback'],
  ['fe80::1%eth0', 'link-local'],
  ['fe80::abcd', 'link-local'],
  ['fec0::1', 'link-local'],
  ['fc00::1', 'private'],
  ['fd12:3456:789a::1', 'private'],
  ['ff02::1', 'multicast'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::ffff:10.1.2.3', 'private'],
  ['::ffff:169.254.169.254', 'link-local'],
  ['::ffff:8.8.8.8', 'public'],
  ['::ffff:0.0.0.0', 'unspecified'],
  ['::127.0.0.1', 'loopback'],
  ['64:ff9b::192.168.0.1', 'private'],
  ['64:ff9b::8.8.8.8', 'public'],
  ['64:ff9b:1::1', 'private'],
  ['2002:7f00:1::', 'loopback'],
  ['2002:0a00:0001::1', 'private'],
  ['2002:0808:0808::1', 'public'],
  ['2001:db8::1', 'reserved'],
  ['2001::1', 'reserved'],
  ['3fff::1', 'reserved'],
  ['100::1', 'reserved'],
  ['4000::1', 'reserved'],
];

describe('classifyAddress', () => {
  it.each(CASES)('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it('is null for names and malformed literals', () => {
    for (const text of ['localhost', 'push.example.org', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4x', '::g', '']) {
      expect(classifyAddress(text)).toBeNull();
    }
  });
});

describe('parseIpv6', () => {
  it('expands :: and embedded dotted quads to 16 bytes', () => {
    expect(Buffer.from(parseIpv6('::ffff:1.2.3.4') ?? []).toString('hex')).toBe('00000000000000000000ffff01020304');
    expect(Buffer.from(parseIpv6('2001:db8::8:800:200c:417a') ?? []).toString('hex')).toBe('20010db80000000000080800200c417a');
    expect(Buffer.from(parseIpv6('1:2:3:4:5:6:7:8') ?? []).toString('hex')).toBe('00010002000300040005000600070008');
  });
});

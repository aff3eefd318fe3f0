/**
 * The subscription policy (RFC 8030 endpoints, RFC 8291 keys): https only, no internal hosts
 * unless allowed, every resolved address checked, keys of the right size and on the curve.
 */
import { createECDH } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PushSubscriptionRefusedError, validateSubscription } from '../../src/push/endpoint-policy.js';
import type { Resolver } from '../../src/push/endpoint-policy.js';

function keys(): { p256dh: string; auth: string } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { p256dh: ecdh.getPublicKey().toString('base64url'), auth: Buffer.alloc(16, 7).toString('base64url') };
}

/** A resolver that answers from a table and fails for anything else (no real DNS in tests). */
function table(entries: Record<string, string[]>): Resolver {
  return async (host) => {
    const addresses = entries[host];
    if (addresses === undefined) throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

async function refusal(endpoint: string, options: { allowPrivateEndpoints?: boolean; resolve?: Resolver; p256dh?: string; auth?: string } = {}): Promise<PushSubscriptionRefusedError> {
  const k = keys();
  try {
    await validateSubscription(
      { endpoint, p256dh: options.p256dh ?? k.p256dh, auth: options.auth ?? k.auth },
      { allowPrivateEndpoints: options.allowPrivateEndpoints ?? false, resolve: options.resolve ?? table({}) },
    );
  } catch (error) {
    if (error instanceof PushSubscriptionRefusedError) return error;
    throw error;
  }
  throw new Error(`expected ${endpoint} to be refused`);
}

const dns = table({
  'push.example.org': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'internal.example.org': ['10.1.2.3'],
  'mixed.example.org': ['93.184.215.14', '127.0.0.1'],
  'mapped.example.org': ['::ffff:192.168.0.10'],
  'localhost': ['127.0.0.1', '::1'],
  'metadata.example.org': ['169.254.169.254'],
});

describe('validateSubscription', () => {
  it('accepts a public https endpoint and returns the canonical form', async () => {
    const k = keys();
    const valid = await validateSubscription({ endpoint: 'https://PUSH.example.org:443/wpush/v2/abc?x=1', p256dh: `${k.p256dh}=`, auth: k.auth }, { allowPrivateEndpoints: false, resolve: dns });
    expect(valid).toEqual({ endpoint: 'https://push.example.org/wpush/v2/abc?x=1', p256dh: k.p256dh, auth: k.auth });
  });

  it('refuses anything but https', async () => {
    for (const endpoint of ['http://push.example.org/x', 'ftp://push.example.org/x', 'wss://push.example.org/x']) {
      expect((await refusal(endpoint, { resolve: dns })).reason).toBe('endpoint-not-https');
    }
    expect((await refusal('not a url')).reason).toBe('endpoint-invalid');
    expect((await refusal('https://user:pw@push.example.org/x', { resolve: dns })).reason).toBe('endpoint-invalid');
    expect((await refusal('https://push.example.org/x#frag', { resolve: dns })).reason).toBe('endpoint-invalid');
    expect((await refusal(`https://push.example.org/${'a'.repeat(2100)}`, { resolve: dns })).reason).toBe('endpoint-invalid');
  });

  it('refuses loopback, private, link-local, CGNAT, unspecified and multicast literals', async () => {
    const cases: Array<[string, string]> = [
      ['https://127.0.0.1/x', 'loopback'],
      ['https://127.1/x', 'loopback'], // WHATWG URL turns this into 127.0.0.1
      ['https://0x7f000001/x', 'loopback'],
      ['https://2130706433/x', 'loopback'],
      ['https://[::1]/x', 'loopback'],
      ['https://[::ffff:127.0.0.1]/x', 'loopback'],
      ['https://10.0.0.8/x', 'private'],
      ['https://192.168.1.1:8443/x', 'private'],
      ['https://172.20.0.2/x', 'private'],
      ['https://[fd00::1]/x', 'private'],
      ['https://169.254.169.254/latest/meta-data', 'link-local'],
      ['https://[fe80::1]/x', 'link-local'],
      ['https://100.64.1.1/x', 'cgnat'],
      ['https://0.0.0.0/x', 'unspecified'],
      ['https://[::]/x', 'unspecified'],
      ['https://224.0.0.1/x', 'multicast'],
    ];
    for (const [endpoint, cls] of cases) {
      const error = await refusal(endpoint);
      expect(error.reason, endpoint).toBe('endpoint-address-refused');
      expect(error.addressClass, endpoint).toBe(cls);
    }
  });

  it('resolves names and refuses them if any address is internal', async () => {
    for (const host of ['internal.example.org', 'mixed.example.org', 'mapped.example.org', 'localhost', 'metadata.example.org']) {
      expect((await refusal(`https://${host}/x`, { resolve: dns })).reason, host).toBe('endpoint-address-refused');
    }
    expect((await refusal('https://nowhere.example.org/x', { resolve: dns })).reason).toBe('endpoint-unresolvable');
  });

  it('lets private and loopback addresses through when allowPrivateEndpoints is on', async () => {
    const k = keys();
    for (const endpoint of ['https://127.0.0.1:8443/x', 'https://[::1]/x', 'https://10.0.0.8/x', 'https://internal.example.org/x', 'https://localhost/x', 'https://169.254.1.1/x', 'https://100.64.0.1/x']) {
      await expect(validateSubscription({ endpoint, ...k }, { allowPrivateEndpoints: true, resolve: dns }), endpoint).resolves.toMatchObject({ p256dh: k.p256dh });
    }
  });

  it('still refuses unspecified, multicast and reserved addresses when private ones are allowed', async () => {
    for (const endpoint of ['https://0.0.0.0/x', 'https://[::]/x', 'https://224.0.0.1/x', 'https://255.255.255.255/x', 'https://192.0.2.1/x', 'https://[2001:db8::1]/x']) {
      expect((await refusal(endpoint, { allowPrivateEndpoints: true })).reason, endpoint).toBe('endpoint-address-refused');
    }
  });

  it('refuses p256dh that is not a 65-byte uncompressed point on P-256', async () => {
    const good = Buffer.from(keys().p256dh, 'base64url');
    const offCurve = Buffer.from(good);
    offCurve[64] = (offCurve[64] ?? 0) ^ 1;
    const compressed = Buffer.concat([Buffer.from([0x02]), good.subarray(1, 33)]);
    const wrongPrefix = Buffer.from(good);
    wrongPrefix[0] = 0x05;
    for (const p256dh of [offCurve.toString('base64url'), compressed.toString('base64url'), wrongPrefix.toString('base64url'), 'not base64!', `+${good.toString('base64url').slice(1)}`, '']) {
      expect((await refusal('https://push.example.org/x', { resolve: dns, p256dh })).reason, p256dh).toBe('p256dh-invalid');
    }
  });

  it('refuses an auth secret that is not 16 bytes', async () => {
    for (const auth of [Buffer.alloc(15).toString('base64url'), Buffer.alloc(17).toString('base64url'), 'a+b/', '']) {
      expect((await refusal('https://push.example.org/x', { resolve: dns, auth })).reason, auth).toBe('auth-invalid');
    }
  });
});

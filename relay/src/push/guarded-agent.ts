/**
 * The https.Agent every push request goes through. It repeats the endpoint address policy at
 * connect time, on the very addresses the socket will use, which is what defeats DNS rebinding:
 * a name that resolved to a public address at subscribe time and to 10.0.0.5 now is refused
 * before any packet leaves (no time-of-check/time-of-use gap, since the checked answer is the
 * one connected to). Two paths lead to a socket and both are guarded:
 *  - names: node:net calls the agent's `lookup`, which resolves every address, refuses the lot if
 *    any is refused, and hands only checked addresses to the connect;
 *  - IP literals: node:net skips `lookup`, so `createConnection` checks the literal itself.
 * Trust is Node's default store, which includes NODE_EXTRA_CA_CERTS; `ca` exists for tests that
 * run in-process and replaces that store when given. web-push follows no redirects, so a 3xx
 * cannot lead a request elsewhere.
 */
import type { LookupAddress, LookupOptions } from 'node:dns';
import { Agent } from 'node:https';
import type { RequestOptions } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Duplex } from 'node:stream';
import type { AddressClass } from './address-ranges.js';
import { classifyAddress } from './address-ranges.js';
import { addressRefusal, systemResolver } from './endpoint-policy.js';
import type { Resolver } from './endpoint-policy.js';

/** A connection the policy stopped at send time (RFC 8030 endpoints are client-supplied URLs). */
export class PushAddressRefusedError extends Error {
  readonly code = 'ERR_PUSH_ADDRESS_REFUSED';
  readonly addressClass: AddressClass;

  constructor(addressClass: AddressClass) {
    super(`push endpoint resolves to a ${addressClass} address; refused (push.allowPrivateEndpoints)`);
    this.name = 'PushAddressRefusedError';
    this.addressClass = addressClass;
  }
}

export interface GuardedAgentOptions {
  readonly allowPrivateEndpoints: boolean;
  readonly resolve?: Resolver;
  /** Extra trust anchors for in-process tests only; production trusts via NODE_EXTRA_CA_CERTS. */
  readonly ca?: string | Buffer;
  readonly maxSockets?: number;
}

function strip(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

export function guardedLookup(allowPrivateEndpoints: boolean, resolve: Resolver): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    resolve(hostname).then(
      (resolved) => {
        const family = options.family === 4 || options.family === 6 ? options.family : undefined;
        const addresses: LookupAddress[] = resolved.filter((a) => family === undefined || a.family === family).map((a) => ({ address: a.address, family: a.family }));
        const first = addresses[0];
        if (first === undefined) {
          const error: NodeJS.ErrnoException = new Error(`push endpoint host ${hostname} has no address`);
          error.code = 'ENOTFOUND';
          callback(error, '');
          return;
        }
        for (const { address } of addresses) {
          const refused = addressRefusal(address, allowPrivateEndpoints);
          if (refused !== null) {
            callback(new PushAddressRefusedError(refused), '');
            return;
          }
        }
        if (options.all === true) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}

export class GuardedAgent extends Agent {
  private readonly allowPrivateEndpoints: boolean;
  private readonly lookupFn: LookupFunction;

  constructor(options: GuardedAgentOptions) {
    const lookupFn = guardedLookup(options.allowPrivateEndpoints, options.resolve ?? systemResolver);
    super({
      keepAlive: true,
      maxSockets: options.maxSockets ?? 16,
      lookup: lookupFn,
      ...(options.ca === undefined ? {} : { ca: options.ca }),
    });
    this.allowPrivateEndpoints = options.allowPrivateEndpoints;
    this.lookupFn = lookupFn;
  }

  override createConnection(options: RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const host = strip(options.host ?? options.hostname ?? '');
    if (classifyAddress(host) !== null) {
      // node:net does not call `lookup` for IP literals: check the literal here, before connecting.
      const refused = addressRefusal(host, this.allowPrivateEndpoints);
      if (refused !== null) {
        const error = new PushAddressRefusedError(refused);
        if (callback === undefined) throw error;
        callback(error, undefined as unknown as Duplex);
        return undefined;
      }
    }
    return super.createConnection({ ...options, lookup: this.lookupFn }, callback);
  }
}

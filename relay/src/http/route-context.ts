/** What each route module receives: the services and a helper to authenticate a request. */
import type { FastifyRequest } from 'fastify';
import type { RelayServices } from '../services/relay-services.js';
import { enforceRate } from '../services/rate-limits.js';
import type { DeviceAddress } from '../storage/records.js';

/** Rate rules keyed by client address (routes that may be called without a session). */
export type AddressRule = 'authPerAddress' | 'registerPerAddress' | 'provisioningCreatePerAddress' | 'provisioningPerAddress';

export interface RouteContext {
  readonly services: RelayServices;
  /** The device a request's session token speaks for (RELAY_ERR_UNAUTHENTICATED otherwise). */
  authenticate(request: FastifyRequest): Promise<DeviceAddress>;
  /** Applies a per-client-address rate rule. */
  limitByAddress(request: FastifyRequest, rule: AddressRule): Promise<void>;
}

export function createRouteContext(services: RelayServices): RouteContext {
  const { deps } = services;
  return {
    services,
    async authenticate(request) {
      const device = await services.auth.authenticate(request.headers.authorization);
      await enforceRate(deps.limiter, `http:${device.accountId}/${device.deviceId}`, deps.config.rateLimits.requestsPerDevice, deps.clock());
      return device;
    },
    async limitByAddress(request, rule) {
      await enforceRate(deps.limiter, `${rule}:${request.ip}`, deps.config.rateLimits[rule], deps.clock());
    },
  };
}

/**
 * The push routes (docs/push.md): GET /v1/push/vapid-key (public, no auth — it is the relay's
 * public key, RFC 8292 §3.2), and for the authenticated device PUT, GET and DELETE
 * /v1/push/subscription. Mounted by the relay app only when push is on.
 *
 * A body that does not match the schema is RELAY_ERR_INVALID_REQUEST (400); a well-formed
 * subscription the endpoint policy refuses is RELAY_ERR_PUSH_SUBSCRIPTION_REFUSED (422) with
 * `details.reason` (a PushRefusalReason) and, for a refused address, `details.addressClass`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pushSubscriptionRequestSchema } from '../api/push.js';
import type { PushStatusResponse, VapidKeyResponse } from '../api/push.js';
import { RelayError } from '../errors.js';
import { parseInput } from '../http/parse-input.js';
import type { DeviceAddress } from '../storage/records.js';
import { PushSubscriptionRefusedError } from './endpoint-policy.js';
import type { PushService } from './push-service.js';

export interface PushRouteDeps {
  /** The device a request's session token speaks for (the relay's RouteContext.authenticate). */
  authenticate(request: FastifyRequest): Promise<DeviceAddress>;
  readonly push: PushService;
}

export function registerPushRoutes(app: FastifyInstance, deps: PushRouteDeps): void {
  const { push } = deps;

  app.get('/v1/push/vapid-key', async (): Promise<VapidKeyResponse> => ({ publicKey: push.vapidPublicKey }));

  app.put('/v1/push/subscription', async (request): Promise<PushStatusResponse> => {
    const device = await deps.authenticate(request);
    const body = parseInput(pushSubscriptionRequestSchema, request.body, 'push subscription');
    try {
      return await push.subscribe(device, { endpoint: body.endpoint, p256dh: body.keys.p256dh, auth: body.keys.auth });
    } catch (error) {
      if (error instanceof PushSubscriptionRefusedError) {
        throw new RelayError('RELAY_ERR_PUSH_SUBSCRIPTION_REFUSED', error.message, { reason: error.reason, ...(error.addressClass === undefined ? {} : { addressClass: error.addressClass }) });
      }
      throw error;
    }
  });

  app.get('/v1/push/subscription', async (request): Promise<PushStatusResponse> => {
    const device = await deps.authenticate(request);
    return push.status(device);
  });

  app.delete('/v1/push/subscription', async (request, reply) => {
    const device = await deps.authenticate(request);
    await push.unsubscribe(device);
    return reply.status(204).send();
  });
}

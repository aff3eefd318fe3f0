/**
 * Provisioning channels for linking a new device (docs/api.md "Linking a device"):
 * POST /v1/provisioning, PUT and GET /v1/provisioning/:channelId/messages/:role and
 * DELETE /v1/provisioning/:channelId. `:role` is the caller's own role. The joiner has no
 * account yet, so its requests carry no token: the 128-bit channel id is its capability. The
 * initiator's requests carry the session of the device that opened the channel.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ProvisioningRole } from '../../api/http.js';
import { provisioningChannelIdSchema, provisioningMessageSchema, provisioningRoleSchema, provisioningWaitQuerySchema } from '../../api/http.js';
import type { DeviceAddress } from '../../storage/records.js';
import { parseInput } from '../parse-input.js';
import type { RouteContext } from '../route-context.js';

const channelParams = z.strictObject({ channelId: provisioningChannelIdSchema });
const messageParams = z.strictObject({ channelId: provisioningChannelIdSchema, role: provisioningRoleSchema });

export function registerProvisioningRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { provisioning } = ctx.services;
  /** The initiator must prove it is a device (the service checks it is the owning one); the joiner cannot. */
  const callerFor = (request: FastifyRequest, role: ProvisioningRole): Promise<DeviceAddress | null> =>
    role === 'initiator' ? ctx.authenticate(request) : Promise.resolve(null);

  app.post('/v1/provisioning', async (request, reply) => {
    const device = await ctx.authenticate(request);
    await ctx.limitByAddress(request, 'provisioningCreatePerAddress');
    return reply.status(201).send(await provisioning.open(device));
  });

  app.put('/v1/provisioning/:channelId/messages/:role', async (request, reply) => {
    await ctx.limitByAddress(request, 'provisioningPerAddress');
    const { channelId, role } = parseInput(messageParams, request.params, 'path');
    const caller = await callerFor(request, role);
    const body = parseInput(provisioningMessageSchema, request.body, 'provisioning message');
    await provisioning.put(channelId, role, caller, body.ciphertext);
    return reply.status(204).send();
  });

  app.get('/v1/provisioning/:channelId/messages/:role', async (request, reply) => {
    await ctx.limitByAddress(request, 'provisioningPerAddress');
    const { channelId, role } = parseInput(messageParams, request.params, 'path');
    const caller = await callerFor(request, role);
    const query = parseInput(provisioningWaitQuerySchema, request.query, 'query');
    // A client that gives up on its long poll must not have a message taken for it.
    const gone = new AbortController();
    reply.raw.once('close', () => gone.abort());
    const ciphertext = await provisioning.get(channelId, role, caller, Number(query.waitMs ?? 0), gone.signal);
    return ciphertext === null ? reply.status(204).send() : { ciphertext };
  });

  app.delete('/v1/provisioning/:channelId', async (request, reply) => {
    await ctx.limitByAddress(request, 'provisioningPerAddress');
    const device = await ctx.authenticate(request);
    const { channelId } = parseInput(channelParams, request.params, 'path');
    await provisioning.close(channelId, device);
    return reply.status(204).send();
  });
}

/** PUT/GET /v1/presence/viewers and GET /v1/accounts/:accountId/presence. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { accountIdSchema } from '../../api/common.js';
import { presenceViewersSchema } from '../../api/http.js';
import { parseInput } from '../parse-input.js';
import type { RouteContext } from '../route-context.js';

const accountParams = z.strictObject({ accountId: accountIdSchema });

export function registerPresenceRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { presence } = ctx.services;

  app.put('/v1/presence/viewers', async (request, reply) => {
    const device = await ctx.authenticate(request);
    const body = parseInput(presenceViewersSchema, request.body, 'presence viewers');
    await presence.setViewers(device, body.accountIds);
    return reply.status(204).send();
  });

  app.get('/v1/presence/viewers', async (request) => {
    const device = await ctx.authenticate(request);
    return { accountIds: await presence.getViewers(device) };
  });

  app.get('/v1/accounts/:accountId/presence', async (request) => {
    const device = await ctx.authenticate(request);
    const { accountId } = parseInput(accountParams, request.params, 'path');
    return presence.get(device, accountId);
  });
}

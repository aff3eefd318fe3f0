/** PUT /v1/prekeys, GET /v1/prekeys/counts and GET /v1/accounts/:accountId/bundles. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { accountIdSchema } from '../../api/common.js';
import { bundleQuerySchema, prekeyUploadSchema } from '../../api/http.js';
import { parseInput } from '../parse-input.js';
import type { RouteContext } from '../route-context.js';

const accountParams = z.strictObject({ accountId: accountIdSchema });

export function registerPrekeyRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { prekeys } = ctx.services;

  app.put('/v1/prekeys', async (request) => {
    const device = await ctx.authenticate(request);
    return prekeys.upload(device, parseInput(prekeyUploadSchema, request.body, 'prekey upload'));
  });

  app.get('/v1/prekeys/counts', async (request) => {
    return prekeys.counts(await ctx.authenticate(request));
  });

  app.get('/v1/accounts/:accountId/bundles', async (request) => {
    const device = await ctx.authenticate(request);
    const { accountId } = parseInput(accountParams, request.params, 'path');
    const query = parseInput(bundleQuerySchema, request.query, 'query');
    const only = query.devices?.split(',').map(Number);
    return prekeys.fetchBundles(device, accountId, only);
  });
}

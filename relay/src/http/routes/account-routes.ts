/**
 * Accounts and device lists: POST /v1/accounts (register), GET /v1/accounts/:accountId,
 * GET /v1/usernames/:username, GET /v1/accounts/:accountId/device-list, PUT /v1/device-list.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { accountIdSchema } from '../../api/common.js';
import { deviceListUpdateSchema, registerRequestSchema } from '../../api/http.js';
import { parseInput } from '../parse-input.js';
import type { RouteContext } from '../route-context.js';

const accountParams = z.strictObject({ accountId: accountIdSchema });
const usernameParams = z.strictObject({ username: z.string().max(64) });

export function registerAccountRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { accounts } = ctx.services;

  app.post('/v1/accounts', async (request, reply) => {
    await ctx.limitByAddress(request, 'registerPerAddress');
    const body = parseInput(registerRequestSchema, request.body, 'registration');
    return reply.status(201).send(await accounts.register(body));
  });

  app.get('/v1/accounts/:accountId', async (request) => {
    await ctx.authenticate(request);
    const { accountId } = parseInput(accountParams, request.params, 'path');
    return accounts.getAccount(accountId);
  });

  app.get('/v1/usernames/:username', async (request) => {
    await ctx.authenticate(request);
    const { username } = parseInput(usernameParams, request.params, 'path');
    return accounts.findByUsername(username);
  });

  app.get('/v1/accounts/:accountId/device-list', async (request) => {
    await ctx.authenticate(request);
    const { accountId } = parseInput(accountParams, request.params, 'path');
    return accounts.getDeviceList(accountId);
  });

  app.put('/v1/device-list', async (request) => {
    const device = await ctx.authenticate(request);
    const body = parseInput(deviceListUpdateSchema, request.body, 'device list update');
    return accounts.updateDeviceList(device, body.deviceList);
  });
}

/** POST /v1/auth/challenge and POST /v1/auth/session (docs/api.md "Authentication"). */
import type { FastifyInstance } from 'fastify';
import { sessionRequestSchema } from '../../api/http.js';
import { parseInput } from '../parse-input.js';
import type { RouteContext } from '../route-context.js';

export function registerAuthRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post('/v1/auth/challenge', async (request) => {
    await ctx.limitByAddress(request, 'authPerAddress');
    return ctx.services.auth.issueChallenge();
  });

  app.post('/v1/auth/session', async (request) => {
    await ctx.limitByAddress(request, 'authPerAddress');
    const body = parseInput(sessionRequestSchema, request.body, 'session request');
    return ctx.services.auth.createSession(body);
  });
}

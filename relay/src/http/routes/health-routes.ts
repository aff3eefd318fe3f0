/**
 * GET /healthz (the process is up), GET /readyz (storage answers and the relay is not draining;
 * 503 otherwise, so a load balancer stops sending traffic during shutdown), GET /metrics.
 */
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../route-context.js';

export interface Readiness {
  readonly draining: () => boolean;
}

export function registerHealthRoutes(app: FastifyInstance, ctx: RouteContext, readiness: Readiness): void {
  const { deps } = ctx.services;

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const ready = !readiness.draining() && (await deps.storage.ping());
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable' });
  });

  if (deps.config.metrics.enabled) {
    app.get('/metrics', async (_request, reply) => {
      const text = await deps.metrics.registry.metrics();
      return reply.header('Content-Type', deps.metrics.registry.contentType).send(text);
    });
  }
}

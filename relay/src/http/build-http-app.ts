/**
 * The fastify app factory (separate from listen, so tests can inject requests without a port):
 * body limit, proxy trust, error mapping, per-route latency metrics, request logs without
 * bodies or headers, and every /v1 route — the media API always, the local backend's signed
 * blob routes when media lives on the relay's disk, and the push routes when push is on.
 */
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { LocalMediaBackend } from '../media/local-media-backend.js';
import { localMediaRoutes } from '../media/local-media-routes.js';
import { mediaApiRoutes } from '../media/media-api-routes.js';
import { registerPushRoutes } from '../push/push-routes.js';
import type { RelayServices } from '../services/relay-services.js';
import { installErrorHandling } from './error-handler.js';
import { createRouteContext } from './route-context.js';
import { registerAccountRoutes } from './routes/account-routes.js';
import { registerAuthRoutes } from './routes/auth-routes.js';
import { registerHealthRoutes } from './routes/health-routes.js';
import type { Readiness } from './routes/health-routes.js';
import { registerPrekeyRoutes } from './routes/prekey-routes.js';
import { registerPresenceRoutes } from './routes/presence-routes.js';
import { registerProvisioningRoutes } from './routes/provisioning-routes.js';

export function buildHttpApp(services: RelayServices, readiness: Readiness): FastifyInstance {
  const { config, logger, metrics } = services.deps;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // fastify's default request logs are replaced by one line per response below.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.server.bodyLimitBytes,
    trustProxy: config.server.trustProxy,
    return503OnClosing: true,
  });
  installErrorHandling(app, metrics);

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe({ route, method: request.method, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    request.log.debug({ method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  const ctx = createRouteContext(services);
  registerHealthRoutes(app, ctx, readiness);
  registerAuthRoutes(app, ctx);
  registerAccountRoutes(app, ctx);
  registerPrekeyRoutes(app, ctx);
  registerPresenceRoutes(app, ctx);
  registerProvisioningRoutes(app, ctx);
  // Both media plugins are encapsulated: the blob routes' raw-body parsing stays in their scope,
  // and their errors still reach the error handler installed above.
  const { mediaBackend } = services.deps;
  if (mediaBackend instanceof LocalMediaBackend) void app.register(localMediaRoutes, { backend: mediaBackend, clock: services.deps.clock });
  void app.register(mediaApiRoutes, { service: services.media, config: config.media, authenticate: ctx.authenticate });
  if (services.push !== undefined) registerPushRoutes(app, { authenticate: ctx.authenticate, push: services.push });
  return app;
}

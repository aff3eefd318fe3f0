/** /healthz, /readyz (503 while draining) and /metrics over a real socket. */
import { describe, expect, it } from 'vitest';
import { healthResponseSchema } from '../../../src/api/index.js';
import { request } from '../../support/http-client.js';
import { startRelay } from '../../support/relay-harness.js';
import { registerAccount } from '../../support/test-accounts.js';

describe('health routes', () => {
  it('reports health and readiness; unready once storage stops answering', async () => {
    const h = await startRelay();
    try {
      expect(healthResponseSchema.parse((await request(h.url, 'GET', '/healthz')).body)).toEqual({ status: 'ok' });
      const ready = await request(h.url, 'GET', '/readyz');
      expect(ready.status).toBe(200);
      // Closing storage underneath the relay makes it unready (storage no longer answers).
      await h.relay.services.deps.storage.close();
      const unready = await request(h.url, 'GET', '/readyz');
      expect(unready.status).toBe(503);
      expect(healthResponseSchema.parse(unready.body)).toEqual({ status: 'unavailable' });
    } finally {
      await h.stop();
    }
  });

  it('serves Prometheus metrics with relay counters and no account ids', async () => {
    const h = await startRelay();
    try {
      const alice = await registerAccount(h.url);
      await request(h.url, 'GET', '/v1/nope');
      const metrics = await request<string>(h.url, 'GET', '/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toContain('text/plain');
      expect(metrics.body).toContain('sealpost_relay_ws_connections');
      expect(metrics.body).toContain('sealpost_relay_queue_entries');
      expect(metrics.body).toContain('sealpost_relay_errors_total{code="RELAY_ERR_NOT_FOUND"} 1');
      expect(metrics.body).toMatch(/sealpost_relay_http_request_duration_seconds_count\{route="\/v1\/accounts",method="POST",status="201"\} 1/);
      expect(metrics.body).not.toContain(alice.accountId);
    } finally {
      await h.stop();
    }
  });

  it('does not serve metrics when disabled', async () => {
    const h = await startRelay({ metrics: { enabled: false } });
    try {
      expect((await request(h.url, 'GET', '/metrics')).status).toBe(404);
    } finally {
      await h.stop();
    }
  });
});

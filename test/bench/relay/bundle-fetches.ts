/**
 * Key bundle fetches per second (GET /v1/accounts/:id/bundles), closed loop: `concurrency`
 * keep-alive connections each issue the next request as soon as the previous answer is read,
 * within a request budget (each relay fetch uses up one-time prekeys).
 * The same client drives the relay and the bare node:http baseline. Every answer body is parsed
 * on both, and fetches that got no one-time keys are counted, since an exhausted pool makes a
 * fetch cheaper on the relay.
 */
import { Agent, request } from 'node:http';

export interface BundleFetchPlan {
  readonly baseUrl: string;
  /** Session tokens of the requesting devices, used round-robin. */
  readonly tokens: readonly string[];
  /** Target account ids, used round-robin. */
  readonly targets: readonly string[];
}

export interface BundleFetchOptions {
  readonly concurrency: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Stop early after this many requests (warm-up included): bounds prekey consumption. */
  readonly maxRequests: number;
}

export interface BundleFetchResult {
  readonly perSecond: number;
  readonly ok: number;
  readonly failed: number;
  readonly statuses: Record<string, number>;
  readonly measuredMs: number;
  /** Measured answers that carried no one-time X25519 key (pool empty). */
  readonly withoutOneTimeKey: number;
  readonly stoppedEarly: boolean;
}

interface Answer {
  readonly status: number;
  readonly body: string;
}

function get(agent: Agent, url: URL, token: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method: 'GET', headers: { authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error('bundle fetch timed out')));
    req.on('error', reject);
    req.end();
  });
}

function lacksOneTimeKey(body: string): boolean {
  const parsed = JSON.parse(body) as { bundles?: Array<{ oneTimePrekey?: string | null }> };
  return (parsed.bundles ?? []).some((bundle) => bundle.oneTimePrekey === null || bundle.oneTimePrekey === undefined);
}

export async function runBundleFetches(plan: BundleFetchPlan, options: BundleFetchOptions): Promise<BundleFetchResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  // The warm-up ends after warmupMs or a tenth of the request budget, whichever comes first, so
  // a small prekey budget is not spent before measuring starts.
  const warmupEnd = performance.now() + options.warmupMs;
  const warmupRequests = Math.floor(options.maxRequests / 10);
  let measureFrom = Number.NaN;
  let end = Number.POSITIVE_INFINITY;
  const hardEnd = warmupEnd + options.durationMs;
  const statuses: Record<string, number> = {};
  let issued = 0;
  let answered = 0;
  let ok = 0;
  let failed = 0;
  let withoutOneTimeKey = 0;
  let lastMeasured = Number.NaN;
  const worker = async () => {
    while (issued < options.maxRequests && performance.now() < Math.min(end, hardEnd)) {
      const i = issued++;
      const target = plan.targets[i % plan.targets.length] as string;
      const url = new URL(`/v1/accounts/${target}/bundles`, plan.baseUrl);
      let answer: Answer;
      try {
        answer = await get(agent, url, plan.tokens[i % plan.tokens.length] as string);
      } catch {
        answer = { status: 0, body: '' };
      }
      const now = performance.now();
      answered++;
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      if (Number.isNaN(measureFrom)) {
        if (now < warmupEnd && answered < warmupRequests) continue;
        measureFrom = now;
        end = now + options.durationMs;
        continue;
      }
      if (now >= end) continue;
      lastMeasured = now;
      if (answer.status !== 200) {
        failed++;
        continue;
      }
      ok++;
      if (lacksOneTimeKey(answer.body)) withoutOneTimeKey++;
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    agent.destroy();
  }
  const stoppedEarly = issued >= options.maxRequests;
  // Stopped early (request budget spent): measure up to the last answer, not the planned end.
  const measuredMs = Number.isNaN(measureFrom) ? Number.NaN : stoppedEarly ? Math.max(1, lastMeasured - measureFrom) : options.durationMs;
  return { perSecond: (ok * 1000) / measuredMs, ok, failed, statuses, measuredMs, withoutOneTimeKey, stoppedEarly };
}

import { type RetryAfterForm, startSimulator } from '@flora-resilience/simulator';
import { describe, expect, it } from '@jest/globals';
import { call } from './http.js';

async function limited(
  retryAfter: RetryAfterForm | undefined,
  fn: (url: string, clock: { t: number }) => Promise<void>,
) {
  const clock = { t: 1_700_000_000_250 };
  const sim = await startSimulator({
    now: () => clock.t,
    rateLimit: { requestsPerSecond: 1, burst: 2, ...(retryAfter ? { retryAfter } : {}) },
  });
  try {
    await fn(sim.url, clock);
  } finally {
    await sim.close();
  }
}

describe('per-workspace token bucket', () => {
  it('answers 429 rate_limited once the burst is spent, and refills on the simulator clock', async () => {
    await limited(undefined, async (url, clock) => {
      expect((await call(url, '/models')).status).toBe(200);
      expect((await call(url, '/models')).status).toBe(200);
      const r = await call(url, '/models');
      expect(r.status).toBe(429);
      expect(r.json).toEqual({ error: { code: 'rate_limited', message: 'Rate limit exceeded.' } });
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['retry-after']).toBe('1');
      clock.t += 999;
      expect((await call(url, '/models')).status).toBe(429);
      clock.t += 1;
      expect((await call(url, '/models')).status).toBe(200);
    });
  });

  it.each([
    ['seconds', { 'retry-after': '1' }],
    ['ms', { 'retry-after-ms': '600' }],
    // 1_700_000_000_250 + 400 + 600 ms, rounded up to the whole second
    ['http-date', { 'retry-after': new Date(1_700_000_002_000).toUTCString() }],
    ['absent', {}],
    ['garbage', { 'retry-after': 'soon' }],
    ['huge', { 'retry-after': '3600' }],
  ] as const)('retry-after form %s', async (form, expected) => {
    await limited(form, async (url, clock) => {
      await call(url, '/models');
      await call(url, '/models');
      clock.t += 400; // 0.4 token refilled: the next token is 600 ms away
      const r = await call(url, '/models');
      expect(r.status).toBe(429);
      const hints = Object.fromEntries(
        Object.entries(r.headers).filter(([k]) => k === 'retry-after' || k === 'retry-after-ms'),
      );
      expect(hints).toEqual(expected);
    });
  });

  it('buckets are per workspace; rate-limited requests are counted and cause no side effect', async () => {
    const clock = { t: 0 };
    const sim = await startSimulator({
      now: () => clock.t,
      apiKeys: { sk_test_a: 'ws_a', sk_test_b: 'ws_b' },
      rateLimit: { requestsPerSecond: 10, burst: 1 },
    });
    try {
      const body = (ws: string) => ({ name: 'p', workspace_id: ws });
      expect((await call(sim.url, '/projects', { apiKey: 'sk_test_a', body: body('ws_a') })).status).toBe(
        200,
      );
      const limitedA = await call(sim.url, '/projects', { apiKey: 'sk_test_a', body: body('ws_a') });
      expect(limitedA.status).toBe(429);
      expect(limitedA.headers['retry-after']).toBe('1'); // 100 ms, rounded up to whole seconds
      expect((await call(sim.url, '/projects', { apiKey: 'sk_test_b', body: body('ws_b') })).status).toBe(
        200,
      );
      const s = sim.stats();
      expect(s.sideEffects.projectsCreated).toBe(2);
      expect(s.byCode).toEqual({ rate_limited: 1 });
      expect(s.attempts.map((a) => [a.workspaceId, a.status])).toEqual([
        ['ws_a', 200],
        ['ws_a', 429],
        ['ws_b', 200],
      ]);
    } finally {
      await sim.close();
    }
  });

  it('is off by default', async () => {
    const sim = await startSimulator({ now: () => 0 });
    try {
      const statuses = await Promise.all(
        Array.from({ length: 50 }, () => call(sim.url, '/models').then((r) => r.status)),
      );
      expect(new Set(statuses)).toEqual(new Set([200]));
    } finally {
      await sim.close();
    }
  });
});

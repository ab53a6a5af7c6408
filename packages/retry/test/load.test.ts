import { floraErrors } from '@flora-resilience/errors';
import { createRetryPolicy, floraRetry, type RetryOptions, type RetryPolicy } from '@flora-resilience/retry';
import { SIMULATOR_API_KEY, type Simulator, startSimulator } from '@flora-resilience/simulator';
import { afterEach, describe, expect, it } from '@jest/globals';
import got from 'got';

// Real time, real HTTP: each scenario runs a few seconds. Figures go to the README; set
// FLORA_RETRY_FIGURES=1 to see them.
const report = (label: string, figures: Record<string, number>) => {
  if (process.env.FLORA_RETRY_FIGURES) process.stdout.write(`${label} ${JSON.stringify(figures)}\n`);
};

const sims: Simulator[] = [];
const policies: RetryPolicy[] = [];
afterEach(async () => {
  for (const p of policies.splice(0)) p.dispose();
  await Promise.all(sims.splice(0).map((s) => s.close()));
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function drive(
  sim: Simulator,
  options: RetryOptions,
  {
    workers,
    callsPerWorker,
    untilMs,
    thinkMs,
    deadlineMs,
  }: { workers: number; callsPerWorker?: number; untilMs?: number; thinkMs: number; deadlineMs: number },
) {
  const policy = createRetryPolicy(options);
  policies.push(policy);
  const http = got.extend(floraErrors(), floraRetry(policy), {
    prefixUrl: sim.url,
    headers: { authorization: `Bearer ${SIMULATOR_API_KEY}` },
    timeout: { request: 5000 },
  });
  const start = Date.now();
  let calls = 0;
  let ok = 0;
  const reasons: Record<string, number> = {};
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (
        let i = 0;
        callsPerWorker === undefined ? Date.now() - start < (untilMs ?? 0) : i < callsPerWorker;
        i++
      ) {
        calls++;
        try {
          await http('workspaces', { context: { flora: { deadlineMs } } }).json();
          ok++;
        } catch (e) {
          const r = (e as { giveUpReason?: string }).giveUpReason ?? 'other';
          reasons[r] = (reasons[r] ?? 0) + 1;
        }
        await sleep(thinkMs);
      }
    }),
  );
  const requests = sim.stats().requests;
  return {
    calls,
    ok,
    requests,
    successRate: ok / calls,
    requestsPerCall: requests / calls,
    reasons,
    ms: Date.now() - start,
  };
}

describe('load (real time)', () => {
  it('rate-limit storm: 50 concurrent callers vs 20 req/s: 100% success, ≤ 1.3 server requests per call', async () => {
    const sim = await startSimulator({ scenario: 'rate-limit-storm' });
    sims.push(sim);
    // Each caller does a little work (50 ms) between its calls.
    const r = await drive(sim, {}, { workers: 50, callsPerWorker: 3, thinkMs: 50, deadlineMs: 30_000 });
    report('storm', {
      calls: r.calls,
      ok: r.ok,
      requests: r.requests,
      requestsPerCall: r.requestsPerCall,
      ms: r.ms,
    });
    expect(r.calls).toBe(150);
    expect(r.ok).toBe(150);
    expect(r.requestsPerCall).toBeLessThanOrEqual(1.3);
    expect(sim.stats().byStatus['429']).toBeGreaterThan(0); // the limit really bit
  }, 30_000);

  it('brownout (5 s of 60% 503, no retry-after): budget on bounds extra load; off reaches ≥ 99% success', async () => {
    const brownout = {
      kind: 'status' as const,
      status: 503,
      code: 'service_unavailable',
      from: 0,
      until: 5000,
      probability: 0.6,
    };
    const [on, off] = await Promise.all([
      startSimulator({ faults: [brownout], seed: 1 }),
      startSimulator({ faults: [brownout], seed: 2 }),
    ]);
    sims.push(on!, off!);
    const scaled = { baseDelayMs: 250, maxDelayMs: 7500 }; // FLORA's 1 s / 30 s backoff, ×¼ to keep the test short
    const load = { workers: 40, untilMs: 5000, thinkMs: 10, deadlineMs: 10_000 };
    const budget = { ratio: 0.2, minRetriesPerSecond: 10, windowMs: 10_000 };
    const [withBudget, without] = await Promise.all([
      drive(on!, { ...scaled, maxAttempts: 8, budget }, load),
      drive(off!, { ...scaled, maxAttempts: 8, budget: false }, load),
    ]);
    report('brownout budget on', {
      calls: withBudget.calls,
      success: withBudget.successRate,
      requestsPerCall: withBudget.requestsPerCall,
      ...withBudget.reasons,
    });
    report('brownout budget off', {
      calls: without.calls,
      success: without.successRate,
      requestsPerCall: without.requestsPerCall,
      ...without.reasons,
    });
    // Budget on: retries stay within ratio·calls + floor·window.
    const retries = withBudget.requests - withBudget.calls;
    expect(retries).toBeLessThanOrEqual(
      budget.ratio * withBudget.calls + budget.minRetriesPerSecond * (budget.windowMs / 1000),
    );
    expect(withBudget.reasons.retry_budget_exhausted).toBeGreaterThan(0);
    // Budget off: nearly every call gets through within its deadline, at the price of more load.
    expect(without.successRate).toBeGreaterThanOrEqual(0.99);
    expect(without.requestsPerCall).toBeGreaterThan(withBudget.requestsPerCall);
  }, 30_000);
});

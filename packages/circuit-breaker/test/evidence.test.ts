/**
 * The evidence, with real HTTP against the simulator, real got and real opossum.
 * Fake timers drive the probe schedule (opossum's reset timer and the simulator's clock);
 * "no request was sent" is read from the simulator's own counters, never from timings.
 */
import {
  type BreakerRegistry,
  createBreakerRegistry,
  floraCircuitBreaker,
} from '@flora-resilience/circuit-breaker';
import { type FloraError, fromGotError, isCircuitOpenError, isFloraApiError } from '@flora-resilience/errors';
import { type Simulator, startSimulator } from '@flora-resilience/simulator';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import {
  clientFor,
  FAKE_TIMERS,
  hits,
  outcome,
  recordChanges,
  THUMBNAIL_RUN,
  UPSCALE_RUN,
} from './helpers.js';

let sims: Simulator[] = [];
let registries: BreakerRegistry[] = [];

async function simulator(options: Parameters<typeof startSimulator>[0] = {}): Promise<Simulator> {
  const sim = await startSimulator(options);
  sims.push(sim);
  return sim;
}
function registry(options?: Parameters<typeof createBreakerRegistry>[0]): BreakerRegistry {
  const r = createBreakerRegistry(options);
  registries.push(r);
  return r;
}

afterEach(async () => {
  for (const r of registries) r.dispose();
  registries = [];
  jest.useRealTimers();
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

const MODELS = 'GET /models';

describe('outage: the breaker stops hammering a dead operation', () => {
  it('after opening, at most one probe per reset window reaches the server, on a 1 s, 2 s, 4 s … 30 s schedule', async () => {
    jest.useFakeTimers(FAKE_TIMERS);
    const sim = await simulator();
    const r = registry();
    const events = recordChanges(r);
    const client = clientFor(sim, r);
    sim.faults.add({ kind: 'status', status: 503, code: 'service_unavailable', route: MODELS });

    for (let i = 0; i < 10; i++) expect(await outcome(client.get('models'))).toMatchObject({ status: 503 });
    expect(r.states().get(MODELS)).toBe('open');
    sim.resetStats();

    // 62 s of a caller asking every 250 ms while the operation stays down.
    const probeTimes: number[] = [];
    let failedFast = 0;
    for (let t = 0; t < 62_000; t += 250) {
      const before = hits(sim, MODELS);
      const result = await outcome(client.get('models'));
      if (hits(sim, MODELS) > before) {
        probeTimes.push(Date.now());
        expect(result).toMatchObject({ status: 503 });
      } else {
        expect(isCircuitOpenError(result)).toBe(true);
        failedFast++;
      }
      await jest.advanceTimersByTimeAsync(250);
    }
    const gaps = probeTimes.slice(1).map((t, i) => t - (probeTimes[i] as number));
    const expected = [2000, 4000, 8000, 16_000, 30_000];
    expect(gaps).toHaveLength(expected.length);
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(expected[i] as number);
      expect(gap).toBeLessThan((expected[i] as number) + 250);
    });
    // Exactly one request per half-open window, and none in between.
    expect(hits(sim, MODELS)).toBe(probeTimes.length);
    expect(events.filter((e) => e.to === 'half_open')).toHaveLength(probeTimes.length);
    expect(failedFast).toBe(248 - probeTimes.length);
    expect(sim.stats().requests).toBe(probeTimes.length);
  });

  it('fails fast with CircuitOpenError: circuit_open, the key, retryAfterMs, no request sent, not retried', async () => {
    const sim = await simulator();
    const r = registry();
    sim.faults.add({ kind: 'status', status: 502, code: 'bad_gateway', route: MODELS });
    // got's own retry would retry a 502; the breaker error must not be retried.
    const client = clientFor(sim, r, {
      retry: {
        limit: 3,
        methods: ['GET'],
        statusCodes: [502],
        calculateDelay: ({ computedValue }) => (computedValue ? 1 : 0),
      },
    });
    const first = await outcome(client.get('models'));
    const second = await outcome(client.get('models'));
    const third = await outcome(client.get('models'));
    expect(first).toMatchObject({ status: 502, attempts: 4 });
    expect(second).toMatchObject({ status: 502, attempts: 4 });
    // attempts 9 and 10 fail, the 10th opens the breaker; attempt 11 is refused and not retried.
    expect(isCircuitOpenError(third)).toBe(true);
    expect(third).toMatchObject({
      code: 'circuit_open',
      key: MODELS,
      retryable: false,
      attempts: 3,
      method: 'GET',
    });
    expect((third as FloraError).retryAfterMs).toBeGreaterThan(0);
    expect((third as FloraError).retryAfterMs).toBeLessThanOrEqual(1000);
    expect((third as FloraError).requestIds).toHaveLength(2);
    expect(hits(sim, MODELS)).toBe(10);
    for (let i = 0; i < 20; i++) expect(isCircuitOpenError(await outcome(client.get('models')))).toBe(true);
    expect(hits(sim, MODELS)).toBe(10);
  });

  it('network errors (connection reset) and attempt timeouts count as failures', async () => {
    const sim = await simulator();
    const r = registry();
    // Two clients on one registry: resets need no timeout (a loaded machine may take longer than any
    // short one to deliver them), timeouts need one far below the injected latency.
    const client = clientFor(sim, r);
    const timed = clientFor(sim, r, { timeout: { request: 100 } });
    sim.faults.add({ kind: 'reset', route: MODELS });
    sim.faults.add({ kind: 'latency', ms: 3_000, route: 'GET /workspaces' });
    const resets = await Promise.all(Array.from({ length: 10 }, () => outcome(client.get('models'))));
    const timeouts = await Promise.all(Array.from({ length: 10 }, () => outcome(timed.get('workspaces'))));
    expect(resets.map((e) => (e as FloraError).code)).toEqual(Array(10).fill('network_error'));
    expect(timeouts.map((e) => (e as FloraError).code)).toEqual(Array(10).fill('attempt_timeout'));
    expect(r.states().get(MODELS)).toBe('open');
    expect(r.states().get('GET /workspaces')).toBe('open');
  });
});

describe('the breaker sees every attempt inside got’s retry loop', () => {
  it('learns a network failure when it happens, before got’s retry wait ends (the adapter watches each ClientRequest)', async () => {
    jest.useFakeTimers(FAKE_TIMERS);
    const sim = await simulator();
    const r = registry();
    sim.faults.add({ kind: 'reset', route: MODELS });
    const client = clientFor(sim, r, {
      retry: {
        limit: 1,
        methods: ['GET'],
        errorCodes: ['ECONNRESET'],
        calculateDelay: ({ computedValue }) => (computedValue ? 2000 : 0),
      },
    });
    const call = outcome(client.get('models'));
    while (hits(sim, MODELS) < 1) await new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < 20 && r.get(MODELS).stats().failures < 1; i++)
      await new Promise((resolve) => setImmediate(resolve));
    // got is now sleeping 2 s before attempt 2; the breaker already counted attempt 1.
    expect(r.get(MODELS).stats()).toMatchObject({ admitted: 1, failures: 1 });
    await jest.advanceTimersByTimeAsync(2000);
    expect(await call).toMatchObject({ code: 'network_error', attempts: 2 });
    expect(r.get(MODELS).stats()).toMatchObject({ admitted: 2, failures: 2 });
  });
});

describe('recovery: the next probe closes the breaker', () => {
  it('calls succeed again within 2 s of the server coming back, through a probe, not after a fixed reset', async () => {
    jest.useFakeTimers(FAKE_TIMERS);
    const sim = await simulator();
    const r = registry();
    const events = recordChanges(r);
    const client = clientFor(sim, r);
    const fault = sim.faults.add({ kind: 'status', status: 500, code: 'internal_error', route: MODELS });
    for (let i = 0; i < 10; i++) await outcome(client.get('models'));
    const openedAt = Date.now();
    expect(r.states().get(MODELS)).toBe('open');

    let backAt = 0;
    let firstSuccess = 0;
    for (let t = 0; t < 10_000 && firstSuccess === 0; t += 100) {
      if (backAt === 0 && Date.now() - openedAt >= 1500) {
        sim.faults.remove(fault);
        backAt = Date.now();
      }
      if ((await outcome(client.get('models').json())) === 'ok') firstSuccess = Date.now();
      await jest.advanceTimersByTimeAsync(100);
    }
    expect(firstSuccess - backAt).toBeGreaterThan(0);
    expect(firstSuccess - backAt).toBeLessThanOrEqual(2000);
    expect(events.map((e) => e.to)).toEqual(['open', 'half_open', 'open', 'half_open', 'closed']);
    // and it stays closed: every following call goes through
    for (let i = 0; i < 20; i++) expect(await outcome(client.get('models'))).toBe('ok');
    expect(r.states().get(MODELS)).toBe('closed');
  });

  it('an aborted probe cannot leave the breaker stuck half-open', async () => {
    jest.useFakeTimers(FAKE_TIMERS);
    const sim = await simulator();
    const r = registry();
    const events = recordChanges(r);
    const client = clientFor(sim, r);
    sim.faults.add({ kind: 'status', status: 503, code: 'service_unavailable', route: MODELS, count: 10 });
    for (let i = 0; i < 10; i++) await outcome(client.get('models'));
    await jest.advanceTimersByTimeAsync(1000);
    expect(r.states().get(MODELS)).toBe('half_open');

    const controller = new AbortController();
    const probe = client.get('models', { signal: controller.signal });
    probe.on('request', () => controller.abort());
    const aborted = await outcome(probe);
    expect(aborted).toMatchObject({ code: 'aborted' });
    expect(r.states().get(MODELS)).toBe('open');
    expect(r.get(MODELS).retryAfterMs()).toBe(1000);

    await jest.advanceTimersByTimeAsync(1000);
    expect(await outcome(client.get('models'))).toBe('ok');
    expect(events.map((e) => e.to)).toEqual(['open', 'half_open', 'open', 'half_open', 'closed']);
  });
});

describe('keyed isolation', () => {
  it('one technique failing leaves the other techniques and operations untouched', async () => {
    const down = await simulator();
    const up = await simulator();
    down.faults.add({
      kind: 'status',
      status: 500,
      code: 'internal_error',
      route: 'POST /techniques/:slug/runs',
    });
    const r = registry();
    const client = clientFor('', r);
    const results = { thumbnail: [] as unknown[], upscale: [] as unknown[], models: [] as unknown[] };
    for (let i = 0; i < 30; i++) {
      results.thumbnail.push(
        await outcome(client.post(`${down.url}/techniques/thumbnail-v3/runs`, { json: THUMBNAIL_RUN })),
      );
      results.upscale.push(
        await outcome(client.post(`${up.url}/techniques/upscale-4k/runs`, { json: UPSCALE_RUN })),
      );
      results.models.push(await outcome(client.get(`${down.url}/models`)));
    }
    expect(r.states().get('POST /techniques/thumbnail-v3/runs')).toBe('open');
    expect(results.thumbnail.filter(isCircuitOpenError)).toHaveLength(20);
    expect(hits(down, 'POST /techniques/:slug/runs')).toBe(10);
    const verdict = (e: unknown) => (e === 'ok' ? 'ok' : (e as FloraError).code);
    expect(results.upscale.map(verdict)).toEqual(Array(30).fill('ok'));
    expect(results.models.map(verdict)).toEqual(Array(30).fill('ok'));
    expect(hits(up, 'POST /techniques/:slug/runs')).toBe(30);
    expect(hits(down, MODELS)).toBe(30);
    expect(r.states().get('POST /techniques/upscale-4k/runs')).toBe('closed');
    expect(r.states().get(MODELS)).toBe('closed');
  });
});

describe('caller errors never open it', () => {
  it('hundreds of 400, 401, 404, 409, 422 and 429 responses leave every breaker closed and count as neither', async () => {
    const sim = await simulator();
    const limited = await simulator({ rateLimit: { requestsPerSecond: 1, burst: 1 } });
    const r = registry();
    const events = recordChanges(r);
    const client = clientFor(sim, r);
    const noAuth = clientFor(sim, r, { headers: { authorization: 'Bearer sk_live_wrong' } });
    const statuses: number[] = [];
    const record = async (p: Promise<unknown>) => {
      const e = await outcome(p);
      statuses.push(e === 'ok' ? 200 : ((e as FloraError).status ?? 0));
    };
    const run = (prompt: string) => ({
      mode: 'async',
      inputs: [{ id: 'prompt', type: 'text', value: prompt }],
    });
    for (let round = 0; round < 4; round++) {
      await Promise.all([
        ...Array.from({ length: 25 }, () =>
          record(client.post('techniques/thumbnail-v3/runs', { json: { mode: 'async', inputs: [] } })),
        ),
        ...Array.from({ length: 25 }, () =>
          record(noAuth.post('techniques/thumbnail-v3/runs', { json: THUMBNAIL_RUN })),
        ),
        ...Array.from({ length: 25 }, () => record(client.get('runs/run_doesnotexist'))),
        // the same Idempotency-Key header again: 409 idempotency_duplicate
        ...Array.from({ length: 25 }, () =>
          record(
            client.post('techniques/thumbnail-v3/runs', {
              json: THUMBNAIL_RUN,
              headers: { 'idempotency-key': `h-${round}` },
            }),
          ),
        ),
        // the same body idempotency_key with another body: 422 idempotency_conflict
        ...Array.from({ length: 25 }, (_, i) =>
          record(
            client.post('techniques/thumbnail-v3/runs', {
              json: { ...run(`p-${i}`), idempotency_key: `b-${round}` },
            }),
          ),
        ),
      ]);
    }
    await Promise.all(Array.from({ length: 100 }, () => record(clientFor(limited, r).get('models'))));
    expect([...new Set(statuses)].sort()).toEqual([200, 400, 401, 404, 409, 422, 429]);
    expect(statuses.filter((s) => s !== 200)).toHaveLength(600 - 9);
    expect(events).toEqual([]);
    expect(r.stats().open + r.stats().halfOpen).toBe(0);
    expect(sim.stats().requests + limited.stats().requests).toBe(600);
    for (const key of r.states().keys()) expect(r.get(key).stats().failures).toBe(0);
  });

  it('caller errors do not dilute real failures, and a caller-error probe does not heal an open breaker', async () => {
    jest.useFakeTimers(FAKE_TIMERS);
    const sim = await simulator();
    const r = registry();
    const events = recordChanges(r);
    const client = clientFor(sim, r);
    const RUNS = 'POST /techniques/thumbnail-v3/runs';
    const fault = sim.faults.add({
      kind: 'status',
      status: 503,
      code: 'service_unavailable',
      route: 'POST /techniques/:slug/runs',
    });
    const bad = () => outcome(client.post('techniques/thumbnail-v3/runs', { json: { inputs: 'nope' } }));
    for (let i = 0; i < 5; i++)
      await outcome(client.post('techniques/thumbnail-v3/runs', { json: THUMBNAIL_RUN }));
    sim.faults.remove(fault);
    for (let i = 0; i < 50; i++) expect(await bad()).toMatchObject({ status: 400 });
    const again = sim.faults.add({
      kind: 'status',
      status: 503,
      code: 'service_unavailable',
      route: 'POST /techniques/:slug/runs',
    });
    for (let i = 0; i < 5; i++)
      await outcome(client.post('techniques/thumbnail-v3/runs', { json: THUMBNAIL_RUN }));
    expect(r.states().get(RUNS)).toBe('open');

    // Half-open, the probe is a caller error: the breaker opens again for the same 1 s, it does not close.
    sim.faults.remove(again);
    await jest.advanceTimersByTimeAsync(1000);
    expect(await bad()).toMatchObject({ status: 400 });
    expect(r.states().get(RUNS)).toBe('open');
    expect(r.get(RUNS).retryAfterMs()).toBe(1000);
    const refused = await bad();
    expect(isCircuitOpenError(refused)).toBe(true);
    await jest.advanceTimersByTimeAsync(1000);
    expect(await outcome(client.post('techniques/thumbnail-v3/runs', { json: THUMBNAIL_RUN }))).toBe('ok');
    expect(events.map((e) => e.to)).toEqual(['open', 'half_open', 'open', 'half_open', 'closed']);
  });
});

describe('lifecycle', () => {
  it('after dispose() nothing of the breaker is left running, and the adapter lets calls through', async () => {
    const handles = () =>
      process
        .getActiveResourcesInfo()
        .filter((x) => x !== 'TTYWrap' && x !== 'PipeWrap')
        .sort();
    const before = handles();
    const sim = await simulator();
    const r = createBreakerRegistry();
    const client = clientFor(sim, r);
    sim.faults.add({ kind: 'status', status: 503, code: 'service_unavailable', route: MODELS, count: 10 });
    for (let i = 0; i < 10; i++) await outcome(client.get('models'));
    expect(r.states().get(MODELS)).toBe('open');
    r.dispose();
    expect(await outcome(client.get('models'))).toBe('ok');
    await sim.close();
    sims = [];
    // Nothing new is left (handles of the previous test's simulator may still be closing at the start,
    // and the client's keep-alive sockets take a moment to see the server close on a loaded machine).
    const timeouts = (list: readonly string[]) => list.filter((x) => x === 'Timeout').length;
    let after = handles();
    for (let i = 0; i < 100 && (after.length > before.length || timeouts(after) > timeouts(before)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      after = handles();
    }
    expect(after.length).toBeLessThanOrEqual(before.length);
    expect(after.filter((x) => x === 'Timeout').length).toBeLessThanOrEqual(
      before.filter((x) => x === 'Timeout').length,
    );
  });

  it('the adapter accepts options and builds its own registry', async () => {
    const sim = await simulator();
    const client = clientFor(sim, registry(), {});
    expect(await outcome(client.get('models'))).toBe('ok');
    const config = floraCircuitBreaker({ volumeThreshold: 5 });
    expect(Object.keys(config).sort()).toEqual(['handlers', 'hooks']);
  });

  it('a got 5xx body is classified as FLORA sends it (the breaker never changes the error)', async () => {
    const sim = await simulator();
    const client = clientFor(sim, registry());
    sim.faults.add({ kind: 'html', status: 502, route: MODELS, count: 1 });
    const e = await outcome(client.get('models'));
    expect(isFloraApiError(e)).toBe(true);
    expect(e).toMatchObject({ status: 502 });
    expect(fromGotError(e)).toBe(e);
  });
});

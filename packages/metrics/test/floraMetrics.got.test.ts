import { CircuitOpenError, floraErrors, isFloraError } from '@flora-resilience/errors';
import {
  type BreakerStateChange,
  createFloraMetrics,
  type FloraMetrics,
  floraMetrics,
  instrumentBreakers,
  instrumentRetry,
  type RetryEvent,
} from '@flora-resilience/metrics';
import { SIMULATOR_API_KEY, type Simulator, startSimulator } from '@flora-resilience/simulator';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import got, { type ExtendOptions, type Got } from 'got';
import { Registry } from 'prom-client';
import { histogramSum, labelSets, sample } from './registryReader.js';

let sim: Simulator;
let registry: Registry;
let metrics: FloraMetrics;

beforeEach(async () => {
  sim = await startSimulator({ port: 0, seed: 7, runs: { pendingMs: 0, runningMs: 0 } });
  registry = new Registry();
  metrics = createFloraMetrics({ registry });
});

afterEach(async () => {
  await sim.close();
});

/** The preset's order: errors, retry (got's own here), breaker, timeout, …, metrics last. */
function client(...extra: ExtendOptions[]): Got {
  return got.extend(
    {
      prefixUrl: sim.url,
      headers: { authorization: `Bearer ${SIMULATOR_API_KEY}` },
      retry: { limit: 2, methods: ['GET'], statusCodes: [429, 500, 502, 503], backoffLimit: 20 },
    },
    floraErrors(),
    ...extra,
    floraMetrics(metrics),
  );
}

const calls = (labels: Record<string, string>) => sample(registry, 'flora_client_calls_total', labels);
const attempts = (labels: Record<string, string>) => sample(registry, 'flora_client_attempts_total', labels);

async function failure(p: PromiseLike<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

describe('floraMetrics with got and the simulator', () => {
  it('success: one call, one attempt, durations, nothing in flight, body still readable', async () => {
    const body = await client()
      .get('techniques/thumbnail-v3')
      .json<{ slug?: string; technique_id: string }>();
    expect(body.technique_id).toBe('tech_thumbnail_v3');
    const labels = { method: 'GET', operation: 'GET /techniques/thumbnail-v3', outcome: 'success' };
    expect(await calls({ ...labels, status: '200', code: 'none', category: 'none' })).toBe(1);
    expect(await attempts({ ...labels, status: '200', code: 'none' })).toBe(1);
    expect(await sample(registry, 'flora_client_call_duration_seconds', labels)).toBe(1);
    expect(await sample(registry, 'flora_client_attempt_duration_seconds', labels)).toBe(1);
    expect(await sample(registry, 'flora_client_in_flight_calls')).toBe(0);
    expect(await sample(registry, 'flora_client_retries_total')).toBe(0);
  });

  it('counts a call in flight while it runs', async () => {
    sim.faults.add({ kind: 'latency', ms: 300, route: 'GET /workspaces' });
    const p = client().get('workspaces').json();
    // The handler marks the call in flight synchronously, before any I/O.
    expect(await sample(registry, 'flora_client_in_flight_calls', { operation: 'GET /workspaces' })).toBe(1);
    await p;
    expect(await sample(registry, 'flora_client_in_flight_calls', { operation: 'GET /workspaces' })).toBe(0);
  });

  it('retried failure: two 503 attempts, one retry per failure, the call counted once as success', async () => {
    sim.faults.add({
      kind: 'status',
      status: 503,
      code: 'service_unavailable',
      route: 'GET /models',
      count: 2,
    });
    await client().get('models').json();
    expect(sim.stats().byRoute['GET /models']).toBe(3);
    expect(await calls({ operation: 'GET /models' })).toBe(1);
    expect(await calls({ operation: 'GET /models', outcome: 'success', status: '200' })).toBe(1);
    expect(
      await attempts({
        operation: 'GET /models',
        outcome: 'error',
        status: '503',
        code: 'service_unavailable',
        category: 'server',
      }),
    ).toBe(2);
    expect(await attempts({ operation: 'GET /models', outcome: 'success' })).toBe(1);
    expect(
      await sample(registry, 'flora_client_retries_total', { operation: 'GET /models', reason: 'server' }),
    ).toBe(2);
  });

  it('failure for good: a 429 storm exhausts the retries; the call ends as rate_limited', async () => {
    sim.faults.add({
      kind: 'status',
      status: 429,
      code: 'rate_limited',
      route: 'GET /workspaces',
      headers: { 'retry-after-ms': '5' },
    });
    const error = await failure(client({ retry: { maxRetryAfter: 1000 } }).get('workspaces'));
    expect(isFloraError(error)).toBe(true);
    const labels = { operation: 'GET /workspaces', outcome: 'error', status: '429', code: 'rate_limited' };
    expect(await calls({ ...labels, category: 'rate_limited' })).toBe(1);
    expect(await attempts(labels)).toBe(3);
    expect(await sample(registry, 'flora_client_retries_total', { reason: 'rate_limited' })).toBe(2);
  });

  it('a non-retryable 400 is one attempt and one failed call, by FLORA code', async () => {
    await failure(client().post('techniques/thumbnail-v3/runs', { json: { inputs: [] } }));
    const labels = {
      method: 'POST',
      operation: 'POST /techniques/thumbnail-v3/runs',
      status: '400',
      code: 'input_validation_error',
      category: 'invalid_request',
    };
    expect(await calls(labels)).toBe(1);
    expect(await attempts(labels)).toBe(1);
  });

  it('network failures: connection reset and HTML 502 get bounded codes', async () => {
    sim.faults.add({ kind: 'reset', route: 'GET /projects', count: 1 });
    sim.faults.add({ kind: 'html', status: 502, route: 'GET /projects', count: 1 });
    await client({ retry: { errorCodes: ['ECONNRESET'] } })
      .get('projects')
      .json();
    expect(
      await attempts({
        operation: 'GET /projects',
        status: 'none',
        code: 'network_error',
        category: 'network',
      }),
    ).toBe(1);
    expect(await attempts({ operation: 'GET /projects', status: '502', code: 'bad_gateway' })).toBe(1);
    expect(await attempts({ operation: 'GET /projects', outcome: 'success' })).toBe(1);
    expect(await calls({ operation: 'GET /projects', outcome: 'success' })).toBe(1);
  });

  it('an attempt timeout is counted as attempt_timeout', async () => {
    sim.faults.add({ kind: 'latency', ms: 400, route: 'GET /workspaces' });
    await failure(client({ timeout: { request: 50 }, retry: { limit: 0 } }).get('workspaces'));
    expect(await attempts({ status: 'none', code: 'attempt_timeout', category: 'timeout' })).toBe(1);
    expect(await calls({ status: 'none', code: 'attempt_timeout', category: 'timeout' })).toBe(1);
  });

  it('open breaker: the call fails as circuit_open with no attempt sent; transitions and state are visible', async () => {
    // A structural stand-in for @flora-resilience/circuit-breaker: its got hook and its event source.
    let open = false;
    const listeners = new Set<(e: BreakerStateChange) => void>();
    const key = 'GET /workspaces';
    const setOpen = (value: boolean) => {
      const from = open ? 'open' : 'closed';
      open = value;
      for (const l of listeners) l({ key, from, to: open ? 'open' : 'closed', time: Date.now() });
    };
    const breaker: ExtendOptions = {
      hooks: {
        beforeRequest: [
          () => {
            if (open) {
              throw new CircuitOpenError({
                code: 'circuit_open',
                message: 'open',
                category: 'circuit_open',
                retryable: false,
                hint: 'wait',
                key,
              });
            }
          },
        ],
      },
    };
    instrumentBreakers(metrics, {
      onStateChange: (l) => {
        listeners.add(l);
        return { dispose: () => listeners.delete(l) };
      },
      states: () => new Map([[key, open ? 'open' : 'closed']] as const),
    });
    const api = client(breaker);
    await api.get('workspaces').json();
    setOpen(true);
    const before = sim.stats().requests;
    const error = await failure(api.get('workspaces'));
    expect((error as { code?: string }).code).toBe('circuit_open');
    expect(sim.stats().requests).toBe(before);
    expect(
      await calls({
        operation: key,
        outcome: 'error',
        status: 'none',
        code: 'circuit_open',
        category: 'circuit_open',
      }),
    ).toBe(1);
    expect(await attempts({ operation: key })).toBe(1); // only the request that was really sent
    expect(await sample(registry, 'flora_client_circuit_state', { operation: key })).toBe(2);
    expect(
      await sample(registry, 'flora_client_circuit_transitions_total', {
        operation: key,
        from: 'closed',
        to: 'open',
      }),
    ).toBe(1);
    expect(await sample(registry, 'flora_client_in_flight_calls')).toBe(0);
  });

  it('a caller abort ends the call as aborted and leaves nothing in flight', async () => {
    sim.faults.add({ kind: 'latency', ms: 300, route: 'GET /workspaces' });
    const controller = new AbortController();
    const p = client().get('workspaces', { signal: controller.signal });
    // Abort once the attempt is on the wire (the simulator holds it for 300 ms).
    p.on('request', () => setTimeout(() => controller.abort(), 20));
    await failure(p);
    expect(await calls({ code: 'aborted', category: 'aborted' })).toBe(1);
    expect(await attempts({ code: 'aborted' })).toBe(1);
    expect(await sample(registry, 'flora_client_in_flight_calls')).toBe(0);
  });

  it('throwHttpErrors: false still counts a 503 as a failed call', async () => {
    sim.faults.add({ kind: 'status', status: 503, code: 'service_unavailable', route: 'GET /models' });
    const response = await client({ throwHttpErrors: false, retry: { limit: 0 } }).get('models');
    expect(response.statusCode).toBe(503);
    expect(await calls({ outcome: 'error', status: '503', code: 'service_unavailable' })).toBe(1);
  });

  it('the call duration includes the wait between attempts; the attempt duration does not', async () => {
    let clock = 0;
    const timed = createFloraMetrics({ registry: new Registry(), now: () => clock });
    sim.faults.add({ kind: 'status', status: 500, code: 'internal_error', route: 'GET /models', count: 1 });
    const api = got.extend(
      {
        prefixUrl: sim.url,
        headers: { authorization: `Bearer ${SIMULATOR_API_KEY}` },
        retry: {
          limit: 1,
          // Stands in for the retry policy's wait: 5 s on the injected clock, 1 ms of real time.
          calculateDelay: ({ computedValue }) => {
            if (computedValue === 0) return 0;
            clock += 5000;
            return 1;
          },
        },
      },
      floraErrors(),
      floraMetrics(timed),
    );
    await api.get('models').json();
    const r = timed.registry as Registry;
    expect(await histogramSum(r, 'flora_client_call_duration_seconds')).toBe(5);
    expect(await histogramSum(r, 'flora_client_attempt_duration_seconds')).toBe(0);
    expect(await sample(r, 'flora_client_attempt_duration_seconds')).toBe(2);
  });

  it('with a retry policy instrumented, retries come from its events only (never counted twice)', async () => {
    const listeners = new Set<(e: RetryEvent) => void>();
    const sub = instrumentRetry(metrics, {
      onRetry: (l) => {
        listeners.add(l);
        return { dispose: () => listeners.delete(l) };
      },
    });
    sim.faults.add({ kind: 'status', status: 500, code: 'internal_error', route: 'GET /models', count: 1 });
    await client().get('models').json();
    expect(await sample(registry, 'flora_client_retries_total')).toBe(0);
    for (const l of listeners) {
      l({
        attempt: 1,
        delayMs: 10,
        reason: 'server',
        error: {} as RetryEvent['error'],
        requestId: 'req_x',
        method: 'GET',
        operation: 'GET /models',
        workspaceId: undefined,
      });
    }
    expect(
      await sample(registry, 'flora_client_retries_total', { operation: 'GET /models', reason: 'server' }),
    ).toBe(1);
    sub.dispose();
  });

  it('counts a failed run seen in a poll once, however often it is polled', async () => {
    await sim.close();
    sim = await startSimulator({
      port: 0,
      seed: 3,
      runs: { pendingMs: 0, runningMs: 0, failureRate: 1, errorVocabulary: 'production' },
    });
    const api = client();
    const run = await api
      .post('techniques/thumbnail-v3/runs', {
        json: { inputs: [{ id: 'prompt', type: 'text', value: 'a cat' }], mode: 'async' },
      })
      .json<{ run_id: string }>();
    await new Promise((r) => setTimeout(r, 20));
    const polled = await api.get(`runs/${run.run_id}`).json<{ status: string; error_code: string }>();
    await api.get(`runs/${run.run_id}`).json();
    expect(polled.status).toBe('failed');
    expect(await sample(registry, 'flora_client_runs_failed_total')).toBe(1);
    expect(await sample(registry, 'flora_client_runs_failed_total', { code: polled.error_code })).toBe(1);
    const ops = (await labelSets(registry, 'flora_client_calls_total')).map((l) => l.operation);
    expect(ops).toContain('GET /runs/:id');
    expect(await registry.metrics()).not.toContain(run.run_id);
  });

  it('never puts a request-id, API key, run id or workspace id in the exposition', async () => {
    sim.faults.add({ kind: 'status', status: 500, code: 'internal_error', route: 'GET /models', count: 1 });
    await client().get('models').json();
    await failure(client().get('runs/run_doesnotexist123'));
    const text = await registry.metrics();
    expect(text).not.toMatch(/req_[A-Za-z0-9]/);
    expect(text).not.toContain(SIMULATOR_API_KEY);
    expect(text).not.toContain('run_doesnotexist123');
    expect(text).not.toContain('ws_simulator');
    expect(text).toContain('operation="GET /runs/:id"');
  });

  it('floraMetrics({ registry }) builds its own metrics; two such plugins on one registry do not collide', async () => {
    const shared = new Registry();
    const a = got.extend(
      { prefixUrl: sim.url, headers: { authorization: `Bearer ${SIMULATOR_API_KEY}` } },
      floraMetrics({ registry: shared }),
    );
    const b = got.extend(
      { prefixUrl: sim.url, headers: { authorization: `Bearer ${SIMULATOR_API_KEY}` } },
      floraMetrics({ registry: shared }),
    );
    await a.get('workspaces').json();
    await b.get('workspaces').json();
    expect(await sample(shared, 'flora_client_calls_total', { operation: 'GET /workspaces' })).toBe(2);
  });
});

import {
  type BreakerEventSource,
  type BreakerStateChange,
  createFloraMetrics,
  DEFAULT_DURATION_BUCKETS,
  type GiveUpEvent,
  instrumentBreakers,
  instrumentRetry,
  type RetryEvent,
  type RetryEventSource,
} from '@flora-resilience/metrics';
import { describe, expect, it } from '@jest/globals';
import { Counter, Registry } from 'prom-client';
import { labelSets, sample } from './registryReader.js';

/** A structural retry policy: the shape `@flora-resilience/retry` exposes. */
function fakeRetrySource() {
  const retry = new Set<(e: RetryEvent) => void>();
  const giveUp = new Set<(e: GiveUpEvent) => void>();
  const source: RetryEventSource = {
    onRetry(l) {
      retry.add(l);
      return { dispose: () => retry.delete(l) };
    },
    onGiveUp(l) {
      giveUp.add(l);
      return { dispose: () => giveUp.delete(l) };
    },
  };
  const base = {
    error: {} as RetryEvent['error'],
    requestId: 'req_secret1',
    method: 'POST',
    workspaceId: 'ws_1',
  };
  return {
    source,
    listeners: () => retry.size + giveUp.size,
    retry: (operation: string, reason: string) => {
      for (const l of retry) l({ ...base, attempt: 1, delayMs: 1000, reason, operation });
    },
    giveUp: (operation: string, reason: GiveUpEvent['reason']) => {
      for (const l of giveUp) l({ ...base, attempt: 3, reason, operation, retryAfterMs: undefined });
    },
  };
}

function fakeBreakers(initial: [string, 'closed' | 'open' | 'half_open'][] = []) {
  const listeners = new Set<(e: BreakerStateChange) => void>();
  const states = new Map(initial);
  const source: BreakerEventSource = {
    onStateChange(l) {
      listeners.add(l);
      return { dispose: () => listeners.delete(l) };
    },
    states: () => states,
  };
  return {
    source,
    listeners: () => listeners.size,
    change: (key: string, from: BreakerStateChange['from'], to: BreakerStateChange['to']) => {
      states.set(key, to);
      for (const l of listeners) l({ key, from, to, time: 0 });
    },
  };
}

describe('createFloraMetrics: registration', () => {
  it('registers the design names into the given registry, never the global one', async () => {
    const registry = new Registry();
    createFloraMetrics({ registry });
    const names = (await registry.getMetricsAsJSON()).map((m) => m.name).sort();
    expect(names).toEqual(
      [
        'flora_client_attempt_duration_seconds',
        'flora_client_attempts_total',
        'flora_client_call_duration_seconds',
        'flora_client_calls_total',
        'flora_client_circuit_state',
        'flora_client_circuit_transitions_total',
        'flora_client_in_flight_calls',
        'flora_client_retries_total',
        'flora_client_retry_give_ups_total',
        'flora_client_runs_failed_total',
      ].sort(),
    );
    const { register } = await import('prom-client');
    expect(register.getSingleMetric('flora_client_calls_total')).toBeUndefined();
  });

  it('is get-or-create: two clients on one registry share collectors and add up', async () => {
    const registry = new Registry();
    const a = createFloraMetrics({ registry });
    const b = createFloraMetrics({ registry });
    expect(b.collectors.calls).toBe(a.collectors.calls);
    a.recordCall({ method: 'GET', operation: 'GET /runs/:id', durationMs: 10, status: 200 });
    b.recordCall({ method: 'GET', operation: 'GET /runs/:id', durationMs: 10, status: 200 });
    expect(await sample(registry, 'flora_client_calls_total', { outcome: 'success' })).toBe(2);
  });

  it('histogram buckets reach minutes', () => {
    const registry = new Registry();
    const m = createFloraMetrics({ registry });
    expect(DEFAULT_DURATION_BUCKETS.at(-1)).toBeGreaterThanOrEqual(300);
    expect((m.collectors.callDuration as unknown as { upperBounds: number[] }).upperBounds).toEqual([
      ...DEFAULT_DURATION_BUCKETS,
    ]);
  });

  it('throws precisely when a same-named metric does not fit', () => {
    const registry = new Registry();
    new Counter({ name: 'flora_client_calls_total', help: 'x', labelNames: ['a'], registers: [registry] });
    expect(() => createFloraMetrics({ registry })).toThrow(
      "createFloraMetrics: the registry already has a counter 'flora_client_calls_total' with labels [a], expected [method, operation, outcome, status, code, category]; use another registry or prefix",
    );
    const other = new Registry();
    createFloraMetrics({ registry: other });
    expect(() => createFloraMetrics({ registry: other, buckets: [1, 2] })).toThrow(RangeError);
  });

  it('a prefix gives a second, independent family in the same registry', async () => {
    const registry = new Registry();
    createFloraMetrics({ registry });
    const batch = createFloraMetrics({ registry, prefix: 'flora_batch_' });
    batch.recordCall({ method: 'GET', operation: 'GET /runs/:id', durationMs: 1, status: 200 });
    expect(await sample(registry, 'flora_batch_calls_total')).toBe(1);
    expect(await sample(registry, 'flora_client_calls_total')).toBe(0);
  });

  it.each([
    [null, TypeError, 'createFloraMetrics: options must be an object with a registry, got null'],
    [
      {},
      TypeError,
      'createFloraMetrics: options.registry must be a prom-client Registry (new Registry()), got undefined',
    ],
    [
      { registry: {} },
      TypeError,
      'createFloraMetrics: options.registry must be a prom-client Registry (new Registry()), got an object without getSingleMetric/registerMetric',
    ],
    [{ prefix: 'flora-client' }, TypeError, 'options.prefix must match'],
    [{ maxOperations: 0 }, RangeError, 'options.maxOperations must be an integer ≥ 1, got 0'],
    [{ maxOperations: 1.5 }, RangeError, 'options.maxOperations must be an integer ≥ 1, got 1.5'],
    [{ buckets: [] }, TypeError, 'options.buckets must be a non-empty array of seconds, got []'],
    [
      { buckets: [1, 1] },
      RangeError,
      'options.buckets must be strictly increasing, got 1 after 1 at index 1',
    ],
    [{ buckets: [-1] }, RangeError, 'options.buckets[0] must be a finite number > 0, got -1'],
    [{ keepSlugs: 'yes' }, TypeError, 'options.keepSlugs must be a boolean, got "yes"'],
    [{ observeRuns: 1 }, TypeError, 'options.observeRuns must be a boolean, got 1'],
    [{ now: 5 }, TypeError, 'options.now must be a function returning milliseconds, got 5'],
  ])('rejects %j', (bad, type, message) => {
    const options =
      bad === null || 'registry' in (bad as object) || Object.keys(bad as object).length === 0
        ? bad
        : { registry: new Registry(), ...(bad as object) };
    expect(() => createFloraMetrics(options as never)).toThrow(type);
    expect(() => createFloraMetrics(options as never)).toThrow(message);
  });

  it('does not mutate the options it is given', () => {
    const options = Object.freeze({ registry: new Registry(), buckets: Object.freeze([1, 2, 3]) });
    const m = createFloraMetrics(options);
    expect(m.options.buckets).toEqual([1, 2, 3]);
    expect(m.options.prefix).toBe('flora_client_');
    expect(m.options.maxOperations).toBe(200);
  });
});

describe('FloraMetrics recorder', () => {
  it('caps operations per instance and folds the rest into _OTHER', async () => {
    const registry = new Registry();
    const m = createFloraMetrics({ registry, maxOperations: 2 });
    for (const slug of ['a', 'b', 'c', 'd']) {
      m.recordCall({
        method: 'POST',
        operation: `POST /techniques/${slug}/runs`,
        durationMs: 1,
        status: 200,
      });
    }
    const ops = (await labelSets(registry, 'flora_client_calls_total')).map((l) => l.operation).sort();
    expect(ops).toEqual(['POST /techniques/a/runs', 'POST /techniques/b/runs', '_OTHER']);
    expect(await sample(registry, 'flora_client_calls_total', { operation: '_OTHER' })).toBe(2);
  });

  it('tracks calls in flight; the done function is idempotent', async () => {
    const registry = new Registry();
    const m = createFloraMetrics({ registry });
    const done1 = m.startCall('GET', 'GET /runs/:id');
    const done2 = m.startCall('GET', 'GET /runs/:id');
    expect(await sample(registry, 'flora_client_in_flight_calls')).toBe(2);
    done1();
    done1();
    expect(await sample(registry, 'flora_client_in_flight_calls')).toBe(1);
    done2();
    expect(await sample(registry, 'flora_client_in_flight_calls')).toBe(0);
  });

  it('observes durations in seconds, and ignores negative or non-finite ones', async () => {
    const registry = new Registry();
    const m = createFloraMetrics({ registry });
    m.recordAttempt({ method: 'GET', operation: 'GET /runs/:id', durationMs: 250_000, status: 200 });
    m.recordAttempt({ method: 'GET', operation: 'GET /runs/:id', durationMs: Number.NaN, status: 200 });
    const text = await registry.getSingleMetricAsString('flora_client_attempt_duration_seconds');
    expect(text).toContain('le="120",method="GET",operation="GET /runs/:id",outcome="success"} 0');
    expect(text).toContain('le="300",method="GET",operation="GET /runs/:id",outcome="success"} 1');
    expect(text).toContain(
      'flora_client_attempt_duration_seconds_sum{method="GET",operation="GET /runs/:id",outcome="success"} 250',
    );
    expect(await sample(registry, 'flora_client_attempts_total')).toBe(2);
  });

  it('counts a failed run once per run id, by bounded code, recovery and moderation', async () => {
    const registry = new Registry();
    const m = createFloraMetrics({ registry });
    const failed = { run_id: 'run_1', status: 'failed', error_code: 'GENERATION_PROVIDER_TIMEOUT' };
    expect(m.observeRun(failed)).toBe(true);
    expect(m.observeRun(failed)).toBe(false);
    expect(m.observeRun({ run_id: 'run_2', status: 'completed' })).toBe(false);
    expect(m.observeRun('garbage')).toBe(false);
    m.observeRun({
      runId: 'run_3',
      status: 'failed',
      errorCode: 'GPU_PROVIDER_ERROR',
      errorMessage: 'Your request was rejected by the safety system.',
    });
    m.observeRun({ run_id: 'run_4', status: 'FAILED', error_code: 'SOMETHING_NEW' });
    m.observeRun({ run_id: 'run_5', status: 'failed' });
    expect(
      await sample(registry, 'flora_client_runs_failed_total', {
        code: 'GENERATION_PROVIDER_TIMEOUT',
        recovery: 'retry_now',
        moderated: 'false',
      }),
    ).toBe(1);
    expect(
      await sample(registry, 'flora_client_runs_failed_total', {
        code: 'GPU_PROVIDER_ERROR',
        recovery: 'change_input',
        moderated: 'true',
      }),
    ).toBe(1);
    expect(await sample(registry, 'flora_client_runs_failed_total', { code: '_OTHER' })).toBe(1);
    expect(await sample(registry, 'flora_client_runs_failed_total', { code: 'none' })).toBe(1);
    expect(await registry.metrics()).not.toMatch(/run_\d/);
  });
});

describe('instrumentRetry', () => {
  it('counts retries by category and give-ups by reason, without request-ids; dispose unsubscribes', async () => {
    const registry = new Registry();
    const m = createFloraMetrics({ registry });
    const fake = fakeRetrySource();
    const sub = instrumentRetry(m, fake.source);
    fake.retry('POST /techniques/thumbnail-v3/runs', 'rate_limited');
    fake.retry('POST /techniques/thumbnail-v3/runs', 'rate_limited');
    fake.retry('GET /runs/:id', 'made_up');
    fake.giveUp('GET /runs/:id', 'attempts_exhausted');
    fake.giveUp('GET /runs/:id', 'nonsense' as GiveUpEvent['reason']);
    expect(
      await sample(registry, 'flora_client_retries_total', {
        operation: 'POST /techniques/thumbnail-v3/runs',
        reason: 'rate_limited',
      }),
    ).toBe(2);
    expect(await sample(registry, 'flora_client_retries_total', { reason: '_OTHER' })).toBe(1);
    expect(
      await sample(registry, 'flora_client_retry_give_ups_total', { reason: 'attempts_exhausted' }),
    ).toBe(1);
    expect(await sample(registry, 'flora_client_retry_give_ups_total', { reason: '_OTHER' })).toBe(1);
    expect(await registry.metrics()).not.toContain('req_secret1');
    expect(await registry.metrics()).not.toContain('ws_1');
    sub.dispose();
    sub.dispose();
    expect(fake.listeners()).toBe(0);
    fake.retry('GET /runs/:id', 'server');
    expect(await sample(registry, 'flora_client_retries_total')).toBe(3);
  });

  it('works with a source that has no onGiveUp, and rejects a non-source precisely', () => {
    const m = createFloraMetrics({ registry: new Registry() });
    const sub = instrumentRetry(m, { onRetry: () => ({ dispose() {} }) });
    sub.dispose();
    expect(() => instrumentRetry(m, {} as RetryEventSource)).toThrow(
      'instrumentRetry: source must have an onRetry(listener) method (a @flora-resilience/retry policy), got object',
    );
    expect(() => instrumentRetry({} as never, { onRetry: () => ({ dispose() {} }) })).toThrow(TypeError);
  });
});

describe('instrumentBreakers', () => {
  it('seeds the state gauge from states(), follows transitions, counts them', async () => {
    const registry = new Registry();
    const m = createFloraMetrics({ registry });
    const fake = fakeBreakers([
      ['GET /runs/:id', 'closed'],
      ['POST /generate', 'open'],
    ]);
    const sub = instrumentBreakers(m, fake.source);
    expect(await sample(registry, 'flora_client_circuit_state', { operation: 'GET /runs/:id' })).toBe(0);
    expect(await sample(registry, 'flora_client_circuit_state', { operation: 'POST /generate' })).toBe(2);
    fake.change('POST /generate', 'open', 'half_open');
    expect(await sample(registry, 'flora_client_circuit_state', { operation: 'POST /generate' })).toBe(1);
    fake.change('POST /generate', 'half_open', 'closed');
    fake.change('GET /runs/:id', 'closed', 'open');
    expect(await sample(registry, 'flora_client_circuit_state', { operation: 'POST /generate' })).toBe(0);
    expect(await sample(registry, 'flora_client_circuit_state', { operation: 'GET /runs/:id' })).toBe(2);
    expect(
      await sample(registry, 'flora_client_circuit_transitions_total', {
        operation: 'GET /runs/:id',
        from: 'closed',
        to: 'open',
      }),
    ).toBe(1);
    expect(await sample(registry, 'flora_client_circuit_transitions_total')).toBe(3);
    sub.dispose();
    expect(fake.listeners()).toBe(0);
  });

  it('breaker keys past the operation cap share _OTHER, which shows the worst state', async () => {
    const registry = new Registry();
    const m = createFloraMetrics({ registry, maxOperations: 1 });
    const fake = fakeBreakers();
    instrumentBreakers(m, fake.source);
    fake.change('GET /a', 'closed', 'open');
    fake.change('GET /b', 'closed', 'open');
    fake.change('GET /c', 'closed', 'half_open');
    expect(await sample(registry, 'flora_client_circuit_state', { operation: '_OTHER' })).toBe(2);
    fake.change('GET /b', 'open', 'closed');
    expect(await sample(registry, 'flora_client_circuit_state', { operation: '_OTHER' })).toBe(1);
  });

  it('rejects a non-source precisely', () => {
    const m = createFloraMetrics({ registry: new Registry() });
    expect(() => instrumentBreakers(m, null as never)).toThrow(
      'instrumentBreakers: source must have an onStateChange(listener) method (a @flora-resilience/circuit-breaker registry), got null',
    );
  });
});

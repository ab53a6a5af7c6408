import { isFloraError } from '@flora-resilience/errors';
import { floraRequestId, getRequestIds, LOG_MESSAGES } from '@flora-resilience/request-id';
import { SIMULATOR_API_KEY, type Simulator } from '@flora-resilience/simulator';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import got from 'got';
import { answeredIds, contractRetryPolicy, memoryLogger, useSharedSimulator } from './helpers.js';

let sim: Simulator;
useSharedSimulator((s) => {
  sim = s;
});
afterEach(() => {
  jest.useRealTimers();
});

const DELAY = 5_000;

function client(policy: ReturnType<typeof contractRetryPolicy>, plugin: ReturnType<typeof floraRequestId>) {
  return got.extend(
    {
      prefixUrl: sim.url,
      headers: { authorization: `Bearer ${SIMULATOR_API_KEY}` },
      retry: policy.retry,
    },
    plugin,
  );
}

/** Runs a call under fake timers, stepping through got's backoff sleeps. */
async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  const outcome = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  for (let i = 0; i < 10; i++) await jest.advanceTimersByTimeAsync(DELAY);
  return outcome;
}

describe('retry lines with the retry policy’s events (retryEvents)', () => {
  it('logs each retry at decision time, with its delay, before got sleeps', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    sim.faults.add({
      kind: 'status',
      status: 503,
      code: 'service_unavailable',
      route: 'GET /models',
      count: 2,
    });
    const policy = contractRetryPolicy(DELAY);
    const logger = memoryLogger();
    const plugin = floraRequestId({ logger, retryEvents: policy });
    const call = client(policy, plugin).get('models');
    // Let attempt 1 fail and the policy decide; got is now sleeping DELAY ms.
    for (let i = 0; i < 50 && logger.lines.length === 0; i++) await jest.advanceTimersByTimeAsync(1);
    expect(logger.lines).toHaveLength(1);
    expect(sim.stats().requests).toBe(1);
    const { value, error } = await settle(call);
    expect(error).toBeUndefined();
    const sent = answeredIds(sim);
    expect(getRequestIds(value)).toEqual(sent);
    expect(logger.lines.map((l) => [l.level, l.msg, l.obj.attempt, l.obj.requestId, l.obj.delayMs])).toEqual([
      ['warn', LOG_MESSAGES.retry, 1, sent[0], DELAY],
      ['warn', LOG_MESSAGES.retry, 2, sent[1], DELAY],
      ['debug', LOG_MESSAGES.success, 3, sent[2], undefined],
    ]);
    // Attempt durations exclude the backoff; the call's duration includes both waits.
    expect(logger.lines[0]?.obj.durationMs).toBeLessThan(DELAY);
    expect(logger.lines[1]?.obj.durationMs).toBeLessThan(DELAY);
    expect(logger.lines[2]?.obj.durationMs).toBeGreaterThanOrEqual(2 * DELAY);
    plugin.dispose();
  });

  it('writes the give-up reason on the failure line and never logs a retry twice', async () => {
    sim.faults.add({ kind: 'status', status: 500, code: 'internal_error', route: 'GET /models' });
    const policy = contractRetryPolicy(1);
    const logger = memoryLogger();
    const plugin = floraRequestId({ logger, retryEvents: policy });
    const error = await client(policy, plugin)
      .get('models')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    if (!isFloraError(error)) throw new Error('expected a FloraError');
    expect(error.requestIds).toEqual(answeredIds(sim));
    expect(logger.lines.map((l) => [l.level, l.obj.attempt, l.obj.delayMs])).toEqual([
      ['warn', 1, 1],
      ['warn', 2, 1],
      ['error', 3, undefined],
    ]);
    expect(logger.lines[2]?.obj.giveUpReason).toBe('attempts_exhausted');
    plugin.dispose();
  });

  it('ignores events of calls made by other instances sharing the policy', async () => {
    sim.faults.add({
      kind: 'status',
      status: 503,
      code: 'service_unavailable',
      route: 'GET /models',
      count: 1,
    });
    const policy = contractRetryPolicy(1);
    const mine = memoryLogger();
    const theirs = memoryLogger();
    const myPlugin = floraRequestId({ logger: mine, retryEvents: policy });
    const theirPlugin = floraRequestId({ logger: theirs, retryEvents: policy });
    await client(policy, theirPlugin).get('models');
    expect(mine.lines).toHaveLength(0);
    expect(theirs.lines.map((l) => l.level)).toEqual(['warn', 'debug']);
    myPlugin.dispose();
    theirPlugin.dispose();
  });

  it('dispose() releases its subscriptions on the policy', () => {
    const policy = contractRetryPolicy(1);
    const plugin = floraRequestId({ logger: memoryLogger(), retryEvents: policy });
    expect(policy.listenerCount()).toBe(2);
    plugin.dispose();
    plugin.dispose();
    expect(policy.listenerCount()).toBe(0);
  });
});

describe('retry lines without retryEvents', () => {
  it('logs from beforeRetry (after the wait), taking the delay from the call record’s lastRetry', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    sim.faults.add({
      kind: 'status',
      status: 503,
      code: 'service_unavailable',
      route: 'GET /models',
      count: 1,
    });
    const policy = contractRetryPolicy(DELAY);
    const logger = memoryLogger();
    const call = client(policy, floraRequestId({ logger })).get('models');
    for (let i = 0; i < 50 && sim.stats().requests === 0; i++) await jest.advanceTimersByTimeAsync(1);
    await jest.advanceTimersByTimeAsync(10);
    // got is sleeping: no line yet, since beforeRetry runs after the sleep.
    expect(logger.lines).toHaveLength(0);
    const { error } = await settle(call);
    expect(error).toBeUndefined();
    expect(logger.lines.map((l) => [l.level, l.obj.attempt, l.obj.delayMs])).toEqual([
      ['warn', 1, DELAY],
      ['debug', 2, undefined],
    ]);
    // The attempt's duration ends when its response arrived, not when the line is written.
    expect(logger.lines[0]?.obj.durationMs).toBeLessThan(DELAY);
  });

  it('leaves delayMs out when nothing recorded it (got’s own retry)', async () => {
    sim.faults.add({
      kind: 'status',
      status: 503,
      code: 'service_unavailable',
      route: 'GET /models',
      count: 1,
    });
    const logger = memoryLogger();
    const plain = got.extend(
      {
        prefixUrl: sim.url,
        headers: { authorization: `Bearer ${SIMULATOR_API_KEY}` },
        retry: { limit: 1, calculateDelay: ({ computedValue }) => (computedValue > 0 ? 1 : 0) },
      },
      floraRequestId({ logger }),
    );
    await plain.get('models');
    expect(logger.lines[0]?.level).toBe('warn');
    expect(logger.lines[0]?.obj).not.toHaveProperty('delayMs');
    expect(logger.lines[0]?.obj.requestId).toBe(answeredIds(sim)[0]);
  });
});

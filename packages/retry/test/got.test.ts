import { floraErrors, isFloraError } from '@flora-resilience/errors';
import {
  createRetryPolicy,
  floraRetry,
  type GiveUpEvent,
  type RetryEvent,
  type RetryPolicy,
} from '@flora-resilience/retry';
import { SIMULATOR_API_KEY, type Simulator, startSimulator } from '@flora-resilience/simulator';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import got, { type Got } from 'got';

let sim: Simulator;
let policy: RetryPolicy;
const client = (p: RetryPolicy, extra: Record<string, unknown> = {}): Got =>
  got.extend(floraErrors(), floraRetry(p), {
    prefixUrl: sim.url,
    headers: { authorization: `Bearer ${SIMULATOR_API_KEY}` },
    agent: {},
    ...extra,
  });

afterEach(async () => {
  jest.useRealTimers();
  policy?.dispose();
  await sim?.close();
});

describe('caller errors: exactly one attempt', () => {
  beforeEach(async () => {
    sim = await startSimulator();
    policy = createRetryPolicy();
  });
  it.each([
    [400, 'input_validation_error'],
    [400, 'invalid_json'],
    [401, 'invalid_api_key'],
    [402, 'insufficient_credits'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [409, 'idempotency_duplicate'],
    [409, 'conflict'],
    [422, 'idempotency_conflict'],
  ])('%i %s', async (status, code) => {
    sim.faults.add({ kind: 'status', status, code, route: 'GET /workspaces' });
    const giveUps: GiveUpEvent[] = [];
    policy.onGiveUp((e) => giveUps.push(e));
    const error = await client(policy)('workspaces')
      .json()
      .catch((e: unknown) => e);
    expect(isFloraError(error) && error.status).toBe(status);
    expect(isFloraError(error) && error.code).toBe(code);
    expect(sim.stats().requests).toBe(1);
    expect(giveUps).toHaveLength(1);
    expect(giveUps[0]).toMatchObject({ attempt: 1, reason: 'not_retryable', operation: 'GET /workspaces' });
    expect(giveUps[0]?.requestId).toMatch(/^req_/);
    expect(isFloraError(error) && error.giveUpReason).toBe('not_retryable');
  });
});

describe('retry-after is honoured exactly (fake timers)', () => {
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  });

  const until = async (p: Promise<unknown>) => {
    let done = false;
    void p.then(
      () => {
        done = true;
      },
      () => {
        done = true;
      },
    );
    for (let i = 0; i < 4000 && !done; i++) {
      await new Promise((r) => setImmediate(r));
      await jest.advanceTimersByTimeAsync(5);
    }
  };

  it.each([
    ['seconds', { 'retry-after': '2' }, 2000],
    ['http-date', undefined, 3000],
    ['retry-after-ms', { 'retry-after-ms': '1500' }, 1500],
  ])('%s', async (_form, headers, expected) => {
    sim = await startSimulator();
    policy = createRetryPolicy({ random: () => 0 });
    jest.setSystemTime(Math.ceil(Date.now() / 1000) * 1000);
    const h = headers ?? { 'retry-after': new Date(Date.now() + 3000).toUTCString() };
    sim.faults.add({ kind: 'status', status: 429, code: 'rate_limited', headers: h, count: 1 });
    const retries: RetryEvent[] = [];
    policy.onRetry((e) => retries.push(e));
    const p = client(policy)('workspaces').json();
    await until(p);
    await expect(p).resolves.toMatchObject({ workspaces: expect.any(Array) });
    const [first, second] = sim.stats().attempts;
    expect(second).toBeDefined();
    const gap = (second?.time ?? 0) - (first?.time ?? 0);
    // fake time: the wait is what the server asked (an HTTP-date is whole seconds: up to 1 s less)
    // Fake time: the wait is what the server asked, to the 5 ms step of the loop above.
    expect(gap).toBeGreaterThanOrEqual(expected - 5);
    expect(gap).toBeLessThanOrEqual(expected + 10);
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ attempt: 1, reason: 'rate_limited' });
  });

  it('retry-after: 3600 fails at once with retryAfterMs and the reason', async () => {
    sim = await startSimulator();
    policy = createRetryPolicy();
    sim.faults.add({ kind: 'status', status: 429, code: 'rate_limited', headers: { 'retry-after': '3600' } });
    const start = Date.now();
    const p = client(policy)('runs/run_abc').json();
    await until(p);
    const error = await p.catch((e: unknown) => e);
    expect(isFloraError(error)).toBe(true);
    expect(error).toMatchObject({
      status: 429,
      retryAfterMs: 3_600_000,
      giveUpReason: 'retry_after_too_long',
    });
    expect(sim.stats().requests).toBe(1);
    expect(Date.now() - start).toBeLessThan(1000);
    // The workspace is paused: a new call fails at once too, without a request.
    const again = await client(policy)('runs/run_abc')
      .json()
      .catch((e: unknown) => e);
    expect(again).toMatchObject({ giveUpReason: 'retry_after_too_long' });
    expect(sim.stats().requests).toBe(1);
  });
});

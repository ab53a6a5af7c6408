import { floraErrors, isFloraDeadlineError, isFloraError } from '@flora-resilience/errors';
import {
  classifyThrown,
  createRetryPolicy,
  floraRetry,
  type RetryEvent,
  type RetryPolicy,
  withFloraRetry,
} from '@flora-resilience/retry';
import { SIMULATOR_API_KEY, type Simulator, startSimulator } from '@flora-resilience/simulator';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import got from 'got';

let policy: RetryPolicy | undefined;
let sim: Simulator | undefined;
afterEach(async () => {
  jest.useRealTimers();
  policy?.dispose();
  await sim?.close();
  sim = undefined;
});

/** Shaped like FLORA's SDK `APIError` (status, headers as a WHATWG Headers, error = parsed body). */
class APIError extends Error {
  constructor(
    readonly status: number,
    readonly error: unknown,
    readonly headers: Headers,
  ) {
    super(`${status}`);
    this.name = 'APIError';
  }
}
class APIConnectionError extends Error {
  override name = 'APIConnectionError';
}

describe('withFloraRetry', () => {
  it('retries a plain function on retryable FLORA failures with the policy’s waits and events', async () => {
    jest.useFakeTimers();
    policy = createRetryPolicy({ random: () => 0 });
    const retries: RetryEvent[] = [];
    policy.onRetry((e) => retries.push(e));
    let calls = 0;
    const p = withFloraRetry(
      async () => {
        calls++;
        if (calls === 1)
          throw new APIError(
            503,
            { error: { code: 'service_unavailable', message: 'busy' } },
            new Headers({ 'request-id': 'req_1' }),
          );
        if (calls === 2)
          throw new APIError(
            429,
            { error: { code: 'rate_limited', message: 'slow' } },
            new Headers({ 'retry-after': '2' }),
          );
        return 'ok';
      },
      { policy, url: '/runs/run_abc' },
    );
    await jest.advanceTimersByTimeAsync(500); // equal jitter, random 0: half of 1000 ms
    expect(calls).toBe(2);
    await jest.advanceTimersByTimeAsync(1999);
    expect(calls).toBe(2);
    await jest.advanceTimersByTimeAsync(1 + 1000);
    await expect(p).resolves.toBe('ok');
    expect(calls).toBe(3);
    expect(retries.map((r) => [r.attempt, r.reason, r.delayMs, r.requestId, r.operation])).toEqual([
      [1, 'server', 500, 'req_1', 'GET /runs/:id'],
      [2, 'rate_limited', 2000, undefined, 'GET /runs/:id'],
    ]);
  });

  it('does not retry caller errors, non-FLORA errors, or a POST network failure without a key', async () => {
    policy = createRetryPolicy({ baseDelayMs: 1, maxDelayMs: 1 });
    let n = 0;
    const e1 = await withFloraRetry(
      () => {
        n++;
        throw new APIError(409, { error: { code: 'idempotency_duplicate', message: 'dup' } }, new Headers());
      },
      { policy },
    ).catch((e: unknown) => e);
    expect(n).toBe(1);
    expect(e1).toMatchObject({ code: 'idempotency_duplicate', giveUpReason: 'not_retryable' });
    n = 0;
    const e2 = await withFloraRetry(
      () => {
        n++;
        throw new Error('bug');
      },
      { policy },
    ).catch((e: unknown) => e);
    expect(n).toBe(1);
    expect(e2).toMatchObject({ code: 'unexpected_error', giveUpReason: 'not_retryable' });
    expect((e2 as Error).cause).toEqual(new Error('bug'));
    n = 0;
    const e3 = await withFloraRetry(
      () => {
        n++;
        throw new APIConnectionError('reset');
      },
      { policy, method: 'POST', idempotencyKey: false },
    ).catch((e: unknown) => e);
    expect(n).toBe(1);
    expect(e3).toMatchObject({ category: 'network', giveUpReason: 'method_not_idempotent' });
    // With a key (minted by default for POST), the same failure is retried, with the same key each time.
    const keys: Array<string | undefined> = [];
    const e4 = await withFloraRetry(
      (a) => {
        keys.push(a.idempotencyKey);
        throw new APIConnectionError('reset');
      },
      { policy, method: 'POST' },
    ).catch((e: unknown) => e);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(e4).toMatchObject({ giveUpReason: 'attempts_exhausted', attempts: 3 });
  });

  it('a deadline aborts the attempt in flight (its signal) and rejects with FloraDeadlineError', async () => {
    policy = createRetryPolicy();
    const error = await withFloraRetry(
      (a) =>
        new Promise((_, reject) => {
          a.signal.addEventListener('abort', () =>
            reject(Object.assign(new Error('aborted'), { name: 'APIUserAbortError' })),
          );
        }),
      { policy, deadlineMs: 50 },
    ).catch((e: unknown) => e);
    expect(isFloraDeadlineError(error)).toBe(true);
    expect(error).toMatchObject({ giveUpReason: 'deadline_exceeded' });
  });

  it('validates its options', async () => {
    await expect(withFloraRetry(() => 1, { deadlineMs: -5 })).rejects.toThrow(
      new RangeError('withFloraRetry: options.deadlineMs must be a number > 0, got -5'),
    );
    await expect(withFloraRetry(() => 1, { retries: 3 } as never)).rejects.toThrow(
      'unknown option "retries"',
    );
    await expect(withFloraRetry('x' as never)).rejects.toThrow(TypeError);
  });

  it('classifyThrown reads an SDK-shaped error like a got response: code, request-id, retry-after', () => {
    const e = classifyThrown(
      new APIError(
        429,
        { error: { code: 'rate_limited', message: 'Rate limit exceeded.' } },
        new Headers({ 'request-id': 'req_9', 'retry-after-ms': '1200' }),
      ),
    );
    expect(e).toMatchObject({
      status: 429,
      code: 'rate_limited',
      requestId: 'req_9',
      retryAfterMs: 1200,
      retryable: true,
    });
    expect(
      classifyThrown(Object.assign(new Error('t'), { name: 'APIConnectionTimeoutError' })),
    ).toMatchObject({ category: 'timeout' });
  });
});

describe('workspace cooldown shared across calls (got + simulator)', () => {
  it('after a 429 with retry-after, new calls of the workspace wait instead of collecting their own 429', async () => {
    sim = await startSimulator();
    policy = createRetryPolicy();
    sim.faults.add({
      kind: 'status',
      status: 429,
      code: 'rate_limited',
      headers: { 'retry-after': '1' },
      count: 1,
    });
    const http = got.extend(floraErrors(), floraRetry(policy), {
      prefixUrl: sim.url,
      headers: { authorization: `Bearer ${SIMULATOR_API_KEY}` },
    });
    const first = http('workspaces').json();
    await new Promise((r) => setTimeout(r, 50));
    const others = Array.from({ length: 10 }, () => http('workspaces').json());
    await Promise.all([first, ...others]);
    const stats = sim.stats();
    expect(stats.requests).toBe(12); // 1 rate-limited + 11 successes: no other call hit the 429
    expect(stats.byStatus['429']).toBe(1);
    const t429 = stats.attempts[0]!.time;
    // Nobody went before the pause ended; releases were spread, not simultaneous.
    const later = stats.attempts.slice(1).map((a) => a.time - t429);
    expect(Math.min(...later)).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...later) - Math.min(...later)).toBeGreaterThan(20);
  });

  it('a cooldown longer than the call’s deadline fails the call at once, without a request', async () => {
    sim = await startSimulator();
    policy = createRetryPolicy();
    sim.faults.add({
      kind: 'status',
      status: 429,
      code: 'rate_limited',
      headers: { 'retry-after': '20' },
      count: 1,
    });
    const http = got.extend(floraErrors(), floraRetry(policy), {
      prefixUrl: sim.url,
      headers: { authorization: `Bearer ${SIMULATOR_API_KEY}` },
    });
    const controller = new AbortController();
    const first = http('workspaces', { signal: controller.signal })
      .json()
      .catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    const error = await http('workspaces', { context: { flora: { deadlineMs: 5000 } } })
      .json()
      .catch((e: unknown) => e);
    expect(isFloraDeadlineError(error)).toBe(true);
    expect(error).toMatchObject({ giveUpReason: 'deadline_exceeded' });
    expect((error as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(19_000);
    expect(sim.stats().requests).toBe(1);
    expect(isFloraError(error)).toBe(true);
    controller.abort();
    await first;
  });
});

import { floraErrors, isFloraDeadlineError, isFloraError } from '@flora-resilience/errors';
import { createRetryPolicy, floraRetry, idempotencyPlan, type RetryPolicy } from '@flora-resilience/retry';
import { SIMULATOR_API_KEY, type Simulator, startSimulator } from '@flora-resilience/simulator';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import got, { type Got } from 'got';

let sim: Simulator | undefined;
let policy: RetryPolicy | undefined;
afterEach(async () => {
  jest.useRealTimers();
  policy?.dispose();
  await sim?.close();
});
const client = (s: Simulator, p: RetryPolicy): Got =>
  got.extend(floraErrors(), floraRetry(p), {
    prefixUrl: s.url,
    headers: { authorization: `Bearer ${SIMULATOR_API_KEY}` },
  });
const runBody = () => ({ inputs: [{ id: 'prompt', type: 'text', value: 'a cat' }], mode: 'async' });
const T = 'techniques/thumbnail-v3/runs';

describe('idempotency key', () => {
  it('pure plan: minted for POST/PATCH only, caller keys kept, body key only on technique runs, json copied', () => {
    const mint = () => 'k1';
    const json = { inputs: [], mode: 'async' };
    const run = idempotencyPlan({
      method: 'POST',
      pathname: '/api/v1/techniques/cctv/runs',
      headerKey: undefined,
      json,
      callKey: undefined,
      mint,
    });
    expect(run).toEqual({
      key: 'k1',
      header: 'k1',
      json: { inputs: [], mode: 'async', idempotency_key: 'k1' },
    });
    expect(json).toEqual({ inputs: [], mode: 'async' });
    expect(
      idempotencyPlan({
        method: 'POST',
        pathname: '/api/v1/generate',
        headerKey: undefined,
        json,
        callKey: undefined,
        mint,
      }),
    ).toEqual({ key: 'k1', header: 'k1', json: undefined });
    expect(
      idempotencyPlan({
        method: 'GET',
        pathname: '/api/v1/runs/run_1',
        headerKey: undefined,
        json: undefined,
        callKey: undefined,
        mint,
      }).key,
    ).toBeUndefined();
    expect(
      idempotencyPlan({
        method: 'POST',
        pathname: '/api/v1/generate',
        headerKey: 'mine',
        json,
        callKey: undefined,
        mint,
      }),
    ).toEqual({ key: 'mine', header: undefined, json: undefined });
    expect(
      idempotencyPlan({
        method: 'POST',
        pathname: '/x/techniques/a/runs',
        headerKey: undefined,
        json: { idempotency_key: 'b' },
        callKey: undefined,
        mint,
      }),
    ).toEqual({ key: 'b', header: 'b', json: undefined });
    expect(
      idempotencyPlan({
        method: 'POST',
        pathname: '/api/v1/generate',
        headerKey: undefined,
        json,
        callKey: 'ctx',
        mint,
      }).key,
    ).toBe('ctx');
    expect(
      idempotencyPlan({
        method: 'POST',
        pathname: '/api/v1/generate',
        headerKey: undefined,
        json,
        callKey: false,
        mint,
      }).key,
    ).toBeUndefined();
    expect(
      idempotencyPlan({
        method: 'POST',
        pathname: '/api/v1/generate',
        headerKey: undefined,
        json,
        callKey: undefined,
        mint: false,
      }).key,
    ).toBeUndefined();
  });

  it('POST technique runs with a reset after the side effect: 0 duplicate runs, 0 lost calls over 100 calls', async () => {
    sim = await startSimulator({ idempotency: 'body', seed: 7 });
    policy = createRetryPolicy({ baseDelayMs: 1, maxDelayMs: 5, budget: false });
    sim.faults.add({ kind: 'reset', phase: 'after', route: 'POST /techniques/:slug/runs', probability: 0.3 });
    const http = client(sim, policy);
    const body = runBody();
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () => http.post(T, { json: body }).json<{ run_id: string }>()),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(100); // 0 lost
    const runIds = new Set(ok.map((r) => (r as PromiseFulfilledResult<{ run_id: string }>).value.run_id));
    expect(runIds.size).toBe(100);
    const stats = sim.stats();
    expect(stats.sideEffects.runsCreated).toBe(100); // 0 duplicates
    expect(stats.byCode.reset).toBeGreaterThan(10); // the fault really fired
    // Every attempt of one call carried the same key: 100 distinct keys, each attempt counted under its key.
    const keys = Object.keys(stats.byIdempotencyKey);
    expect(keys).toHaveLength(100);
    expect(Object.values(stats.byIdempotencyKey).reduce((a, b) => a + b, 0)).toBe(stats.requests);
    expect(body).toEqual(runBody()); // the caller's json was not mutated
    // header and body key are identical on each attempt
    expect(stats.attempts.every((a) => a.idempotencyKey !== null)).toBe(true);
  });

  it('header-only FLORA variant (409 suppressor): a reset after the side effect ends with 409 idempotency_duplicate, never a second run', async () => {
    sim = await startSimulator({ idempotency: 'header' });
    policy = createRetryPolicy({ baseDelayMs: 1, maxDelayMs: 5 });
    sim.faults.add({ kind: 'reset', phase: 'after', route: 'POST /projects', count: 1 });
    const error = await client(sim, policy)
      .post('projects', { json: { name: 'p', workspace_id: 'ws_simulator' } })
      .json()
      .catch((e: unknown) => e);
    const stats = sim.stats();
    expect(stats.requests).toBe(2);
    expect(Object.values(stats.byIdempotencyKey)).toEqual([2]);
    expect(isFloraError(error) && error.code).toBe('idempotency_duplicate');
    expect(isFloraError(error) && error.giveUpReason).toBe('not_retryable');
  });

  it('a caller-set key is kept; idempotencyKey: false sends none, and a POST without a key is not retried after a reset', async () => {
    sim = await startSimulator({ idempotency: 'body' });
    policy = createRetryPolicy({ baseDelayMs: 1, maxDelayMs: 5 });
    const http = client(sim, policy);
    await http.post(T, { json: runBody(), headers: { 'idempotency-key': 'my-key-1' } }).json();
    expect(sim.stats().attempts[0]?.idempotencyKey).toBe('my-key-1');
    sim.resetStats();
    sim.faults.add({ kind: 'reset', phase: 'before', route: 'POST /techniques/:slug/runs', count: 1 });
    const error = await http
      .post(T, { json: runBody(), context: { flora: { idempotencyKey: false } } })
      .json()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ giveUpReason: 'method_not_idempotent' });
    expect(sim.stats().requests).toBe(1);
    expect(sim.stats().attempts[0]?.idempotencyKey).toBeNull();
  });

  it('per-call options are validated precisely', async () => {
    sim = await startSimulator();
    policy = createRetryPolicy();
    const http = client(sim, policy);
    expect(() => http('workspaces', { context: { flora: { deadlineMs: '5s' } } })).toThrow(
      new TypeError('context.flora.deadlineMs must be a number of milliseconds, got "5s"'),
    );
    expect(() => http('workspaces', { context: { flora: { deadlineMs: -1 } } })).toThrow(RangeError);
    expect(() => http('workspaces', { context: { flora: { idempotencyKey: 42 } } })).toThrow(
      'context.flora.idempotencyKey must be a non-empty string or false, got 42',
    );
    expect(() => http('workspaces', { context: { flora: 'x' } })).toThrow('context.flora must be an object');
    expect(sim.stats().requests).toBe(0);
  });
});

describe('deadline and abort', () => {
  it('a deadline passing during an attempt ends it promptly with a FloraDeadlineError', async () => {
    sim = await startSimulator();
    policy = createRetryPolicy();
    sim.faults.add({ kind: 'latency', ms: 5000, route: 'GET /workspaces' });
    const start = Date.now();
    const error = await client(sim, policy)('workspaces', { context: { flora: { deadlineMs: 300 } } })
      .json()
      .catch((e: unknown) => e);
    expect(Date.now() - start).toBeLessThan(2000);
    expect(isFloraDeadlineError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'deadline_exceeded',
      giveUpReason: 'deadline_exceeded',
      deadlineMs: 300,
    });
    expect((error as Error).cause).toMatchObject({ code: 'attempt_timeout' });
  });

  it('a backoff that would cross the deadline is not slept', async () => {
    sim = await startSimulator();
    policy = createRetryPolicy();
    sim.faults.add({ kind: 'status', status: 503, code: 'service_unavailable', route: 'GET /workspaces' });
    const start = Date.now();
    const error = await client(sim, policy)('workspaces', { context: { flora: { deadlineMs: 400 } } })
      .json()
      .catch((e: unknown) => e);
    // The shortest backoff is 500 ms (equal jitter of 1 s): finishing well under it proves none was slept.
    expect(Date.now() - start).toBeLessThan(480);
    expect(sim.stats().requests).toBe(1);
    expect(isFloraDeadlineError(error)).toBe(true);
    expect((error as Error).cause).toMatchObject({ status: 503, code: 'service_unavailable' });
  });

  it('the caller’s AbortSignal ends a cooldown wait at once and leaves no timer behind', async () => {
    sim = await startSimulator();
    policy = createRetryPolicy();
    sim.faults.add({
      kind: 'status',
      status: 429,
      code: 'rate_limited',
      headers: { 'retry-after': '30' },
      count: 1,
    });
    const http = client(sim, policy);
    const firstController = new AbortController();
    const first = http('workspaces', { signal: firstController.signal })
      .json()
      .catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    const controller = new AbortController();
    const giveUps: string[] = [];
    policy.onGiveUp((e) => giveUps.push(e.reason));
    const second = http('workspaces', { signal: controller.signal })
      .json()
      .catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    // Both wait in the workspace queue: the first for its retry, the second before its first request.
    expect(policy.gate?.waiting).toBe(2);
    controller.abort();
    const error = await second;
    expect(isFloraError(error) || (error as Error).name === 'AbortError').toBe(true);
    expect(policy.gate?.waiting).toBe(1);
    expect(sim.stats().requests).toBe(1);
    firstController.abort();
    await first;
    expect(policy.gate?.waiting).toBe(0);
    expect(giveUps).toEqual(['aborted', 'aborted']);
  });
});

import {
  CircuitOpenError,
  FloraAbortError,
  FloraDeadlineError,
  FloraNetworkError,
  FloraTimeoutError,
  toFloraError,
} from '@flora-resilience/errors';
import {
  backoffDelay,
  createRetryPolicy,
  decideRetry,
  GIVE_UP_REASONS,
  type RetryState,
  resolveRetryOptions,
} from '@flora-resilience/retry';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

const options = resolveRetryOptions({});
const state = (over: Partial<RetryState> = {}): RetryState => ({
  attempt: 1,
  method: 'GET',
  hasIdempotencyKey: false,
  elapsedMs: 0,
  deadlineMs: undefined,
  budgetAvailable: true,
  random: () => 0.5,
  ...over,
});
const api = (status: number, code?: string, headers: Record<string, string> = {}) =>
  toFloraError({ status, headers, body: code ? { error: { code, message: code } } : '', now: 0 });

const network = () =>
  new FloraNetworkError({
    code: 'network_error',
    message: 'reset',
    category: 'network',
    retryable: true,
    hint: '',
  });
const timeout = () =>
  new FloraTimeoutError({
    code: 'attempt_timeout',
    message: 't',
    category: 'timeout',
    retryable: true,
    hint: '',
  });

describe('decideRetry: every documented status/code (flora-api.md §1.3)', () => {
  const table: Array<[number, string | undefined, 'retry' | string]> = [
    [400, 'invalid_json', 'not_retryable'],
    [400, 'input_validation_error', 'not_retryable'],
    [401, 'unauthorized', 'not_retryable'],
    [401, 'invalid_api_key', 'not_retryable'],
    [401, 'invalid_token', 'not_retryable'],
    [402, 'insufficient_credits', 'not_retryable'],
    [403, 'forbidden', 'not_retryable'],
    [403, 'paid_plan_required', 'not_retryable'],
    [404, 'not_found', 'not_retryable'],
    [409, 'conflict', 'not_retryable'],
    [409, 'idempotency_duplicate', 'not_retryable'],
    [422, 'idempotency_conflict', 'not_retryable'],
    [422, undefined, 'not_retryable'],
    [429, 'rate_limited', 'retry'],
    [500, 'internal_error', 'retry'],
    [500, 'unknown_error', 'retry'],
    [500, undefined, 'retry'],
    [502, undefined, 'retry'],
    [503, 'service_unavailable', 'retry'],
    [504, undefined, 'retry'],
    [501, undefined, 'not_retryable'],
  ];
  it.each(table)('%i %s → %s', (status, code, expected) => {
    const d = decideRetry(api(status, code), state(), options);
    expect(d.retry ? 'retry' : d.reason).toBe(expected);
  });

  it('retries network failures and timeouts of a GET, and of a POST only with an idempotency key', () => {
    for (const make of [network, timeout]) {
      expect(decideRetry(make(), state(), options).retry).toBe(true);
      expect(decideRetry(make(), state({ method: 'POST' }), options)).toMatchObject({
        retry: false,
        reason: 'method_not_idempotent',
      });
      expect(decideRetry(make(), state({ method: 'POST', hasIdempotencyKey: true }), options).retry).toBe(
        true,
      );
    }
  });

  it('a POST without a key is retried after 429/503 (nothing happened) but not after 500/502/504 (maybe happened)', () => {
    const post = state({ method: 'POST' });
    expect(decideRetry(api(429, 'rate_limited'), post, options).retry).toBe(true);
    expect(decideRetry(api(503, 'service_unavailable'), post, options).retry).toBe(true);
    for (const s of [500, 502, 504]) {
      expect(decideRetry(api(s), post, options)).toMatchObject({
        retry: false,
        reason: 'method_not_idempotent',
      });
      expect(decideRetry(api(s), state({ method: 'POST', hasIdempotencyKey: true }), options).retry).toBe(
        true,
      );
    }
  });

  it('never retries an open circuit, an abort or a deadline error', () => {
    const circuit = new CircuitOpenError({
      code: 'circuit_open',
      message: 'open',
      category: 'circuit_open',
      retryable: false,
      hint: '',
      key: 'GET /runs/:id',
    });
    expect(decideRetry(circuit, state(), options)).toMatchObject({ retry: false, reason: 'circuit_open' });
    const abort = new FloraAbortError({
      code: 'aborted',
      message: 'a',
      category: 'aborted',
      retryable: false,
      hint: '',
    });
    expect(decideRetry(abort, state(), options)).toMatchObject({ retry: false, reason: 'aborted' });
    const deadline = new FloraDeadlineError({
      code: 'deadline_exceeded',
      message: 'd',
      category: 'deadline',
      retryable: false,
      hint: '',
    });
    expect(decideRetry(deadline, state(), options)).toMatchObject({
      retry: false,
      reason: 'deadline_exceeded',
    });
  });

  it('3 attempts in all by default; unknown_error only 2 (FLORA: worth one retry)', () => {
    expect(decideRetry(api(500, 'internal_error'), state({ attempt: 2 }), options).retry).toBe(true);
    expect(decideRetry(api(500, 'internal_error'), state({ attempt: 3 }), options)).toMatchObject({
      reason: 'attempts_exhausted',
    });
    expect(decideRetry(api(500, 'unknown_error'), state({ attempt: 2 }), options)).toMatchObject({
      reason: 'attempts_exhausted',
    });
  });

  it('backoff min(1000·2^n, 30000) with equal jitter', () => {
    const at = (attempt: number, r: number) =>
      decideRetry(api(503), state({ attempt, random: () => r }), resolveRetryOptions({ maxAttempts: 10 }));
    expect(at(1, 0)).toMatchObject({ retry: true, delayMs: 500 });
    expect(at(1, 0.999999)).toMatchObject({ delayMs: 1000 });
    expect(at(2, 0)).toMatchObject({ delayMs: 1000 });
    expect(at(3, 0.999999)).toMatchObject({ delayMs: 4000 });
    expect(at(9, 0.999999)).toMatchObject({ delayMs: 30_000 });
  });

  it('honours retry-after forms; a wait past maxRetryAfterMs or the deadline is refused with retryAfterMs', () => {
    const sec = api(429, 'rate_limited', { 'retry-after': '2' });
    expect(decideRetry(sec, state(), options)).toMatchObject({
      retry: true,
      delayMs: 2000,
      serverAsked: true,
      spendsBudget: false,
    });
    const ms = api(503, 'service_unavailable', { 'retry-after-ms': '1500' });
    expect(decideRetry(ms, state(), options)).toMatchObject({ delayMs: 1500, spendsBudget: true });
    const date = api(429, 'rate_limited', { 'retry-after': new Date(3000).toUTCString() });
    expect(decideRetry(date, state(), options)).toMatchObject({ delayMs: 3000 });
    const huge = api(429, 'rate_limited', { 'retry-after': '3600' });
    expect(decideRetry(huge, state(), options)).toEqual({
      retry: false,
      reason: 'retry_after_too_long',
      retryAfterMs: 3_600_000,
    });
    expect(decideRetry(sec, state({ deadlineMs: 5000, elapsedMs: 3500 }), options)).toMatchObject({
      retry: false,
      reason: 'retry_after_too_long',
      retryAfterMs: 2000,
    });
  });

  it('a backoff past the deadline gives up with deadline_exceeded', () => {
    expect(decideRetry(api(503), state({ deadlineMs: 1000, elapsedMs: 600 }), options)).toMatchObject({
      retry: false,
      reason: 'deadline_exceeded',
    });
  });

  it('an empty budget stops backoff retries but not a 429 wait paced by retry-after', () => {
    const empty = state({ budgetAvailable: false });
    expect(decideRetry(api(503), empty, options)).toMatchObject({ reason: 'retry_budget_exhausted' });
    expect(decideRetry(api(429, 'rate_limited', { 'retry-after': '1' }), empty, options).retry).toBe(true);
  });
});

describe('decideRetry properties', () => {
  const statuses = fc.constantFrom(400, 401, 402, 403, 404, 409, 422, 429, 500, 501, 502, 503, 504);
  const retryAfter = fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined });
  it('the delay is within [0, cap], never reaches the remaining deadline; reasons come from the set', () => {
    fc.assert(
      fc.property(
        statuses,
        retryAfter,
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
        fc.boolean(),
        fc.option(fc.integer({ min: 1, max: 120_000 }), { nil: undefined }),
        fc.integer({ min: 0, max: 120_000 }),
        fc.boolean(),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (status, ra, attempt, method, key, deadlineMs, elapsedMs, budget, r) => {
          const o = resolveRetryOptions({ maxAttempts: 10 });
          const headers: Record<string, string> = ra === undefined ? {} : { 'retry-after-ms': String(ra) };
          const d = decideRetry(
            api(status, undefined, headers),
            state({
              attempt,
              method,
              hasIdempotencyKey: key,
              deadlineMs,
              elapsedMs,
              budgetAvailable: budget,
              random: () => r,
            }),
            o,
          );
          if (!d.retry) {
            expect(GIVE_UP_REASONS).toContain(d.reason);
            return;
          }
          const cap = d.serverAsked ? o.maxRetryAfterMs : o.maxDelayMs;
          expect(d.delayMs).toBeGreaterThanOrEqual(0);
          expect(d.delayMs).toBeLessThanOrEqual(cap);
          if (deadlineMs !== undefined) expect(d.delayMs).toBeLessThan(deadlineMs - elapsedMs);
        },
      ),
    );
  });

  it('backoffDelay stays within [0, min(base·2^n, max)] for every jitter and random value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 80 }),
        fc.constantFrom('equal' as const, 'full' as const, 'none' as const),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (n, jitter, r) => {
          const d = backoffDelay(n, { baseDelayMs: 1000, maxDelayMs: 30_000, jitter }, () => r);
          expect(d).toBeGreaterThanOrEqual(jitter === 'equal' ? Math.min(1000 * 2 ** n, 30_000) / 2 - 1 : 0);
          expect(d).toBeLessThanOrEqual(Math.min(1000 * 2 ** n, 30_000));
        },
      ),
    );
  });
});

describe('options are validated precisely and never mutated', () => {
  it.each([
    [{ maxAttempts: 0 }, RangeError, 'createRetryPolicy(options).maxAttempts must be ≥ 1 and ≤ 100, got 0'],
    [{ maxAttempts: 1.5 }, RangeError, 'maxAttempts must be an integer, got 1.5'],
    [{ maxAttempts: '3' }, TypeError, 'maxAttempts must be a number, got "3"'],
    [{ baseDelayMs: -1 }, RangeError, 'baseDelayMs must be ≥ 0'],
    [{ baseDelayMs: 5000, maxDelayMs: 1000 }, RangeError, 'maxDelayMs (1000) must be ≥ baseDelayMs (5000)'],
    [{ jitter: 'half' }, TypeError, "jitter must be one of 'equal', 'full', 'none', got \"half\""],
    [{ deadlineMs: 0 }, RangeError, 'deadlineMs must be > 0'],
    [{ budget: true }, TypeError, 'budget (an object or false) must be an object, got true'],
    [{ budget: { ratio: -0.1 } }, RangeError, 'budget.ratio must be ≥ 0'],
    [{ budget: { percent: 20 } }, TypeError, 'budget has an unknown option "percent"'],
    [{ cooldown: { store: {} } }, TypeError, 'cooldown.store must be a CooldownStore'],
    [{ workspaceId: '' }, TypeError, 'workspaceId must be a non-empty string, got ""'],
    [{ idempotencyKey: 'abc' }, TypeError, 'idempotencyKey must be true, false or a function'],
    [{ random: 0.5 }, TypeError, 'random must be a function, got 0.5'],
    [{ retries: 3 }, TypeError, 'has an unknown option "retries"'],
  ])('%j', (bad, Type, message) => {
    expect(() => createRetryPolicy(bad as never)).toThrow(Type);
    expect(() => createRetryPolicy(bad as never)).toThrow(message);
  });

  it('copies options: changing them afterwards changes nothing', () => {
    const opts = { maxAttempts: 4, budget: { ratio: 0.5 } };
    const frozen = JSON.stringify(opts);
    const policy = createRetryPolicy(opts);
    opts.budget.ratio = 9;
    expect(JSON.stringify({ maxAttempts: 4, budget: { ratio: 0.5 } })).toBe(frozen);
    expect(policy.options.budget).toMatchObject({ ratio: 0.5 });
    policy.dispose();
  });
});

describe('retry budget', () => {
  it('allows ratio·calls + floor retries per window, then gives up with retry_budget_exhausted', () => {
    let now = 0;
    const policy = createRetryPolicy({
      now: () => now,
      budget: { ratio: 0.2, minRetriesPerSecond: 0.1, windowMs: 10_000 },
      maxAttempts: 3,
    });
    for (let i = 0; i < 10; i++) policy.startCall();
    // allowed = 0.2·10 + 0.1·10 = 3
    const ctx = {
      attempt: 1,
      method: 'GET',
      operation: 'GET /runs/:id',
      hasIdempotencyKey: false,
      startedAt: 0,
      deadlineMs: undefined,
      cooldownKey: 'k',
      workspaceId: undefined,
    };
    const reasons = Array.from({ length: 5 }, () => {
      const d = policy.decide(api(503), ctx);
      return d.retry ? 'retry' : d.reason;
    });
    expect(reasons).toEqual(['retry', 'retry', 'retry', 'retry_budget_exhausted', 'retry_budget_exhausted']);
    now = 20_000; // the window slid past
    expect(policy.decide(api(503), ctx).retry).toBe(true);
    policy.dispose();
  });
});

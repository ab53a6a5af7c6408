import { CircuitOpenError, floraErrors, type GiveUpEvent, isFloraError } from '@flora-resilience/errors';
import { createRetryPolicy, floraRetry, type RetryPolicy } from '@flora-resilience/retry';
import { SIMULATOR_API_KEY, type Simulator, startSimulator } from '@flora-resilience/simulator';
import { afterEach, describe, expect, it } from '@jest/globals';
import got from 'got';

// got 16 turns `retry.enforceRetryRules` on by default, which would skip `calculateDelay` whenever got's
// own rules say no (limit reached, a status or code outside its lists): the policy must still see every
// failure, decide, and report why it stopped. These run on got 14 and, in CI's Node 24 leg, on got 16.

let sim: Simulator | undefined;
let policy: RetryPolicy | undefined;
afterEach(async () => {
  policy?.dispose();
  await sim?.close();
  sim = undefined;
});

async function run(
  simOptions: Parameters<typeof startSimulator>[0],
  path: string,
  extra: Record<string, unknown> = {},
): Promise<{ error: unknown; events: GiveUpEvent[] }> {
  sim = await startSimulator(simOptions);
  policy = createRetryPolicy({ baseDelayMs: 1, maxDelayMs: 2, budget: false });
  const events: GiveUpEvent[] = [];
  policy.onGiveUp((e) => events.push(e));
  const client = got.extend(
    { prefixUrl: sim.url, headers: { authorization: `Bearer ${SIMULATOR_API_KEY}` } },
    floraErrors(),
    floraRetry(policy),
    extra,
  );
  const error = await client.get(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, events };
}

describe('give-up reasons reach the error and onGiveUp on every got version', () => {
  it('attempts_exhausted after maxAttempts of 503', async () => {
    const { error, events } = await run(
      { faults: [{ kind: 'status', status: 503, code: 'service_unavailable' }] },
      'models',
    );
    expect(isFloraError(error) && [error.attempts, error.giveUpReason]).toEqual([3, 'attempts_exhausted']);
    expect(events.map((e) => e.reason)).toEqual(['attempts_exhausted']);
    expect(sim?.stats().requests).toBe(3);
  });

  it('not_retryable on a 400', async () => {
    const { error, events } = await run(
      { faults: [{ kind: 'status', status: 400, code: 'input_validation_error' }] },
      'models',
    );
    expect(isFloraError(error) && error.giveUpReason).toBe('not_retryable');
    expect(events.map((e) => e.reason)).toEqual(['not_retryable']);
  });

  it('retry_after_too_long on a 429 asking for an hour', async () => {
    const { error, events } = await run(
      { rateLimit: { requestsPerSecond: 0.0001, burst: 1, retryAfter: 'huge' } },
      'models',
    );
    // The first call takes the only token; it succeeds, so run a second call on the same simulator.
    expect(error).toBeUndefined();
    const client = got.extend(
      { prefixUrl: sim?.url, headers: { authorization: `Bearer ${SIMULATOR_API_KEY}` } },
      floraErrors(),
      floraRetry(policy as RetryPolicy),
    );
    const second = await client.get('models').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isFloraError(second) && [second.giveUpReason, second.retryAfterMs]).toEqual([
      'retry_after_too_long',
      3_600_000,
    ]);
    expect(events.map((e) => e.reason)).toEqual(['retry_after_too_long']);
  });

  it('circuit_open when a hook refuses the attempt', async () => {
    const open = new CircuitOpenError({
      code: 'circuit_open',
      message: 'open',
      category: 'circuit_open',
      retryable: false,
      hint: 'wait',
      key: 'GET /models',
    });
    const { error, events } = await run({}, 'models', {
      hooks: {
        beforeRequest: [
          () => {
            throw open;
          },
        ],
      },
    });
    expect(error).toBe(open);
    expect(events.map((e) => e.reason)).toEqual(['circuit_open']);
  });
});
